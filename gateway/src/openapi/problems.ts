// The error responses of an operation, from the error codes it can answer with: one response per
// status, listing its codes, with a realistic example and the headers those answers carry
// (WWW-Authenticate on a 401, Retry-After where the code sets it).
import { ERROR_CODES, type ErrorCode, PROBLEM_TYPE_BASE, toProblem, ZoneError } from "@zone/shared";
import { type ResponseHeaderName, responseHeaders } from "./headers.ts";
import type { OpenApiObject } from "./path-module.ts";

/** Codes whose answers carry Retry-After (ZoneError's retryAfterSeconds is set where they are thrown). */
export const RETRYABLE_CODES: ReadonlySet<ErrorCode> = new Set([
  "rate_limited",
  "quota_exceeded",
  "upstream_unavailable",
  "models_missing",
  "not_ready",
  "overloaded",
]);

export const PROBLEM_SCHEMA = {
  type: "object",
  description: "RFC 9457 problem details; `code` is stable, `detail` is for people",
  required: ["type", "title", "status", "detail", "code"],
  properties: {
    type: { type: "string", format: "uri", example: `${PROBLEM_TYPE_BASE}not-found` },
    title: { type: "string", example: "Not found" },
    status: { type: "integer", minimum: 400, maximum: 599, example: 404 },
    detail: { type: "string", example: "no edit ed_..." },
    code: { type: "string", enum: Object.keys(ERROR_CODES) },
    instance: { type: "string", example: "/v1/edits/ed_..." },
  },
  additionalProperties: true,
} as const;

/** Example problem bodies, one per code an operation lists (detail texts as the gateway writes them). */
const EXAMPLE_DETAILS: Partial<Record<ErrorCode, string>> = {
  invalid_argument: "field `steps`: must be a whole number",
  unauthorized: "send your API key as `Authorization: Bearer ze_live_...`",
  insufficient_credits: "the account has 4 credits; an edit costs 12",
  not_found: "no edit ed_...",
  rate_limited: "too many requests for this API key",
  payload_too_large: "the request body is over 20971520 bytes",
  unsupported_media_type: "the image is not PNG, JPEG or WebP",
  empty_instruction:
    "instruction: nothing is left after cleaning (spaces and control characters are removed)",
  upstream_unavailable: "the GPU function could not be reached",
  upstream_timeout: "the GPU function did not answer within 120000 ms",
};

/** `responses` entries for these codes, keyed by status. */
export function problemResponses(codes: readonly ErrorCode[]): Record<string, OpenApiObject> {
  const byStatus = new Map<number, ErrorCode[]>();
  for (const code of codes) {
    const status = ERROR_CODES[code].status;
    byStatus.set(status, [...(byStatus.get(status) ?? []), code]);
  }
  const responses: Record<string, OpenApiObject> = {};
  for (const [status, group] of [...byStatus].sort(([a], [b]) => a - b)) {
    const headers: ResponseHeaderName[] = [];
    if (status === 401) headers.push("WWW-Authenticate");
    if (group.some((code) => RETRYABLE_CODES.has(code))) headers.push("Retry-After");
    responses[String(status)] = {
      description: group.map((code) => `\`${code}\`: ${ERROR_CODES[code].title}`).join("; "),
      headers: responseHeaders(...headers),
      content: {
        "application/problem+json": {
          schema: { $ref: "#/components/schemas/Problem" },
          examples: Object.fromEntries(
            group.map((code) => [
              code,
              { value: toProblem(new ZoneError(code, EXAMPLE_DETAILS[code] ?? ERROR_CODES[code].title)) },
            ]),
          ),
        },
      },
    };
  }
  return responses;
}

/** Any answer of a route behind the API key may be these. */
export const AUTHENTICATED: readonly ErrorCode[] = ["unauthorized", "internal"];
