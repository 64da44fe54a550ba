// The OpenAPI of asynchronous edits and webhooks, merged into openApiDocument() (openapi.ts) by
// withJobs: the job and event schemas (from shared/src/edit-jobs.ts), the Prefer and
// Cancel-After headers and the 202 of POST /v1/edits, the job routes (GET, cancel, events) and
// /v1/webhooks. Every operation has an operationId, its real error statuses and its headers.
import {
  editJobSchema,
  JOB_EVENTS,
  JOB_STATES,
  PREFER_WAIT_MAX_SECONDS,
  WEBHOOK_EVENTS,
  WEBHOOK_HEADERS,
  webhookPayloadSchema,
} from "@zone/shared";
import { z } from "zod";
import { JOB_ID_PATTERN } from "../jobs/job-id.ts";
import { JOB_POLL_SECONDS } from "../jobs/job-poll.ts";
import { DELIVERY_LIST_LIMIT, webhookInputSchema } from "../webhooks/webhook-input.ts";

type Doc = Record<string, unknown> & {
  paths: Record<
    string,
    Record<string, Record<string, unknown> & { parameters?: unknown[]; responses?: Record<string, unknown> }>
  >;
  components: { schemas: Record<string, unknown> };
};

const problem = (description: string) => ({
  description,
  content: { "application/problem+json": { schema: { $ref: "#/components/schemas/Problem" } } },
});
const errorsOf = (...statuses: number[]) =>
  Object.fromEntries(
    statuses.map((s) => [String(s), problem(ERROR_WORDS[s] ?? "Problem details (RFC 9457)")]),
  );
const ERROR_WORDS: Record<number, string> = {
  400: "Invalid input",
  401: "No or unknown API key",
  404: "No such job or webhook for this account",
  429: "Rate limited",
};

const JOB_ID = {
  name: "id",
  in: "path",
  required: true,
  description: `A job's id (\`${JOB_ID_PATTERN.source.slice(1, -1)}\`), as the 202's Location named it; once the job has succeeded it is also an edit's id (its artifacts, DELETE).`,
  schema: { type: "string", pattern: JOB_ID_PATTERN.source },
};
const WEBHOOK_ID = { name: "id", in: "path", required: true, schema: { type: "string" } };
const jsonOf = (ref: string) => ({ "application/json": { schema: { $ref: `#/components/schemas/${ref}` } } });

const LIFECYCLE = `queued (accepted; waiting for the GPU) -> running (the GPU function started it; progress per stage and denoising step) -> succeeded | failed | canceled. States: ${JOB_STATES.join(", ")}. A canceled or failed job is never billed; a succeeded one is billed once (or free when it shared another request's GPU call: cache COALESCED).`;

export const ASYNC_EDIT_PARAMETERS = [
  {
    name: "Prefer",
    in: "header",
    required: false,
    description: `RFC 7240. \`respond-async\`: answer 202 with the job at once. \`wait=N\`: wait up to N seconds (capped at ${PREFER_WAIT_MAX_SECONDS}) for the result, then 202. Without Prefer (and Cancel-After) the edit is synchronous as always. A cache hit is answered 201 at once either way.`,
    schema: { type: "string", examples: ["respond-async", "wait=10"] },
  },
  {
    name: "Cancel-After",
    in: "header",
    required: false,
    description:
      "Whole seconds: the job is canceled (never billed) if it has not finished by then. Without Prefer, waits like wait=" +
      `${PREFER_WAIT_MAX_SECONDS}. At most the longest an edit may run.`,
    schema: { type: "integer", minimum: 1 },
  },
];

const ACCEPTED = {
  description: `The edit runs as a job (${LIFECYCLE})`,
  headers: {
    Location: { description: "The job: GET it to poll", schema: { type: "string" } },
    "Retry-After": {
      description: `Seconds to wait before polling (${JOB_POLL_SECONDS})`,
      schema: { type: "integer" },
    },
    "Preference-Applied": {
      description: "The Prefer values honoured, e.g. `wait=60` when capped",
      schema: { type: "string" },
    },
  },
  content: jsonOf("EditJob"),
};

/** The job routes (GET is the edit's own path), cancel, events and /v1/webhooks: a path module of the document. */
export function jobPaths(): Record<string, Record<string, unknown>> {
  return {
    "/v1/edits/{id}/cancel": {
      parameters: [JOB_ID],
      post: {
        operationId: "cancelEdit",
        tags: ["jobs"],
        summary: "Cancel a job that has not finished (nothing is billed); answers the job as it is then",
        responses: {
          "200": { description: "The job (canceled, or as it ended if it had)", content: jsonOf("EditJob") },
          ...errorsOf(401, 404),
        },
      },
    },
    "/v1/edits/{id}/events": {
      parameters: [
        JOB_ID,
        {
          name: "Last-Event-ID",
          in: "header",
          required: false,
          description: "Resume after this event (its `id`): the events after it follow",
          schema: { type: "string" },
        },
      ],
      get: {
        operationId: "streamEditEvents",
        tags: ["jobs"],
        summary: "The job's events as Server-Sent Events, in order, ending with its final state",
        description: `Events: ${JOB_EVENTS.join(", ")}. Each has an \`id\` (1, 2, ... per job) to resume with Last-Event-ID. \`edit.progress\` data: {id, stage, step, steps} (step k of n while denoising). The state events' data: {id, status}; the final one carries the whole job.`,
        responses: {
          "200": {
            description: "text/event-stream",
            content: { "text/event-stream": { schema: { type: "string" } } },
          },
          ...errorsOf(401, 404),
        },
      },
    },
    "/v1/webhooks": {
      post: {
        operationId: "createWebhook",
        tags: ["webhooks"],
        summary:
          "Register a webhook: the events wanted (default all) and a URL (https; no private, loopback or link-local address)",
        description: `Deliveries follow Standard Webhooks: headers ${Object.values(WEBHOOK_HEADERS).join(", ")} (v1 HMAC-SHA256 of "id.timestamp.body" with the secret), the same ${WEBHOOK_HEADERS.id} on every retry; retried with exponential backoff for more than a day. Body: the WebhookPayload schema, {type, timestamp, data: the job}.`,
        requestBody: { content: { "application/json": { schema: z.toJSONSchema(webhookInputSchema) } } },
        responses: {
          "201": {
            description: "The webhook, with its secret (shown once)",
            headers: { Location: { schema: { type: "string" } } },
            content: jsonOf("Webhook"),
          },
          ...errorsOf(400, 401),
        },
      },
      get: {
        operationId: "listWebhooks",
        tags: ["webhooks"],
        summary: "The account's webhooks (without secrets)",
        responses: {
          "200": {
            description: "Webhooks",
            content: {
              "application/json": {
                schema: {
                  type: "object",
                  properties: {
                    webhooks: { type: "array", items: { $ref: "#/components/schemas/Webhook" } },
                  },
                },
              },
            },
          },
          ...errorsOf(401),
        },
      },
    },
    "/v1/webhooks/{id}": {
      parameters: [WEBHOOK_ID],
      delete: {
        operationId: "deleteWebhook",
        tags: ["webhooks"],
        summary: "Remove a webhook; its pending deliveries stop",
        responses: { "204": { description: "Removed" }, ...errorsOf(401, 404) },
      },
    },
    "/v1/webhooks/{id}/deliveries": {
      parameters: [WEBHOOK_ID],
      get: {
        operationId: "listWebhookDeliveries",
        tags: ["webhooks"],
        summary: `The webhook's latest ${DELIVERY_LIST_LIMIT} deliveries, newest first, each with every attempt (time, HTTP status or error, duration)`,
        responses: {
          "200": {
            description: "Deliveries",
            content: { "application/json": { schema: { type: "object" } } },
          },
          ...errorsOf(401, 404),
        },
      },
    },
    "/v1/webhooks/{id}/deliveries/{deliveryId}/redeliver": {
      parameters: [
        WEBHOOK_ID,
        { name: "deliveryId", in: "path", required: true, schema: { type: "string" } },
      ],
      post: {
        operationId: "redeliverWebhook",
        tags: ["webhooks"],
        summary: "Send a delivery again (the same webhook-id), with a new day of retries",
        responses: {
          "202": { description: "Queued", content: { "application/json": { schema: { type: "object" } } } },
          ...errorsOf(401, 404),
        },
      },
    },
  };
}

/** What a webhook delivery's body is: webhookPayloadSchema, its job by reference to EditJob. */
function webhookPayloadJsonSchema(): Record<string, unknown> {
  const schema = z.toJSONSchema(webhookPayloadSchema) as { properties: Record<string, unknown> };
  return {
    ...schema,
    description: `A delivery's JSON body, signed as its ${WEBHOOK_HEADERS.signature} header says`,
    properties: {
      ...schema.properties,
      data: { $ref: "#/components/schemas/EditJob", description: "The job as GET /v1/edits/{id} answers it" },
    },
  };
}

/** The schemas the job and webhook paths reference. */
export function jobSchemas(): Record<string, Record<string, unknown>> {
  return {
    EditJob: z.toJSONSchema(editJobSchema) as Record<string, unknown>,
    WebhookPayload: webhookPayloadJsonSchema(),
    Webhook: {
      type: "object",
      required: ["id", "url", "events", "createdAt"],
      properties: {
        id: { type: "string" },
        url: { type: "string" },
        events: { type: "array", items: { type: "string", enum: WEBHOOK_EVENTS } },
        createdAt: { type: "string" },
        secret: { type: "string", description: "whsec_...: only in the answer to POST, never again" },
      },
    },
  };
}

/** What async edits change in operations other modules own (it is changed in place and returned):
 * POST /v1/edits takes Prefer and Cancel-After and may answer 202; GET /v1/edits/{id} may answer a job
 * (with Retry-After while it is open). */
export function withJobs(document: Record<string, unknown>): Record<string, unknown> {
  const doc = document as Doc;
  const post = doc.paths["/v1/edits"]?.post;
  if (post) {
    post.parameters = [...(post.parameters ?? []), ...ASYNC_EDIT_PARAMETERS];
    post.responses = { ...post.responses, "202": ACCEPTED };
  }
  const getEdit = doc.paths["/v1/edits/{id}"]?.get;
  const answer = getEdit?.responses?.["200"] as
    | {
        description: string;
        content: { "application/json": { schema: { oneOf?: unknown[]; $ref?: string } } };
      }
    | undefined;
  if (answer) {
    const schema = answer.content["application/json"].schema;
    const choices = schema.oneOf ?? [{ $ref: schema.$ref }];
    answer.description = `${answer.description}; for a job id the job (its state, progress, timestamps, problem; the edit once succeeded)`;
    answer.content["application/json"].schema = {
      oneOf: [...choices, { $ref: "#/components/schemas/EditJob" }],
    };
    const headers = (answer as { headers?: Record<string, unknown> }).headers ?? {};
    (answer as { headers?: Record<string, unknown> }).headers = {
      ...headers,
      "Retry-After": {
        description: `A job that has not finished: seconds to wait before polling again (${JOB_POLL_SECONDS})`,
        schema: { type: "integer" },
      },
    };
  }
  return doc;
}
