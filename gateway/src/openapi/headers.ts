// The response headers of the public API, as reusable OpenAPI header components: every answer's
// X-Request-Id, and the ones particular answers carry (Location, Retry-After, Server-Timing,
// X-Cache, Idempotent-Replayed, WWW-Authenticate).
import { CACHE_STATES, REQUEST_ID_HEADER } from "@zone/shared";
import type { OpenApiObject } from "./path-module.ts";

const SERVER_TIMING =
  "This request's timings, not the stored ones: on a MISS the GPU function's stages (gpu-queue, gpu-denoise, ..., gpu-total) and the gateway's spans; on a HIT or COALESCED only the gateway's spans, e.g. `cache;desc=\"HIT\";dur=1, total;dur=4` (a free answer's row is written after it, so it has no db span).";

export const RESPONSE_HEADERS = {
  [REQUEST_ID_HEADER]: {
    description:
      "This request's id (yours, if you sent a valid X-Request-Id: up to 128 of A-Z a-z 0-9 _ = -); the GPU function logs it too",
    schema: { type: "string", example: "6f1c2a9e-3b7d-4c1e-9a55-0d2f8e7b1c34" },
  },
  Location: {
    description: "The edit's URL",
    schema: { type: "string", format: "uri", example: "https://api.example.com/v1/edits/ed_..." },
  },
  "Retry-After": {
    description: "Seconds to wait before trying again",
    schema: { type: "integer", minimum: 1, example: 5 },
  },
  "Server-Timing": {
    description: SERVER_TIMING,
    schema: { type: "string", example: 'cache;desc="MISS";dur=1840, gpu-total;dur=1795, total;dur=1852' },
  },
  "X-Cache": {
    description:
      "MISS (this request ran the edit, billed), HIT (a stored result) or COALESCED (shared a concurrent identical request's run)",
    schema: { type: "string", enum: [...CACHE_STATES] },
  },
  "Idempotent-Replayed": {
    description: "`true` when this is the stored answer of an earlier request with the same Idempotency-Key",
    schema: { type: "string", enum: ["true"] },
  },
  "WWW-Authenticate": {
    description: "How to authenticate (RFC 9110 11.6.1)",
    schema: { type: "string", example: 'Bearer realm="zone-edit"' },
  },
} as const satisfies Record<string, OpenApiObject>;

export type ResponseHeaderName = keyof typeof RESPONSE_HEADERS;

/** `headers` of a response: X-Request-Id (every answer has it) and the named ones, by reference. */
export function responseHeaders(...names: ResponseHeaderName[]): Record<string, OpenApiObject> {
  return Object.fromEntries(
    [REQUEST_ID_HEADER, ...names].map((name) => [name, { $ref: `#/components/headers/${name}` }]),
  );
}
