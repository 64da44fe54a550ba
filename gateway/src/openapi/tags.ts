// The OpenAPI document's tags (Swagger UI's groups, in this order): the one list the document
// declares, and every operation names one of them (openapi.test.ts checks both ways).
export const OPENAPI_TAGS = [
  { name: "edits", description: "Create, read and delete edits; download their artifacts" },
  {
    name: "jobs",
    description:
      "Asynchronous edits (POST /v1/edits with Prefer, polled at GET /v1/edits/{id}): a job's events (SSE) and cancel",
  },
  {
    name: "chains",
    description: "Multi-turn edits: a chain's turns (stack), its original upload, and undo (render)",
  },
  { name: "compose", description: "Make another editor's output of a photo a local edit of it" },
  {
    name: "webhooks",
    description: "Signed (Standard Webhooks) deliveries of job events: endpoints, deliveries, redelivery",
  },
  { name: "usage", description: "Your account's usage and ledger" },
  { name: "service", description: "Health and this document" },
  { name: "admin", description: "Operator endpoints (ADMIN_TOKEN)" },
] as const;

export type OpenApiTag = (typeof OPENAPI_TAGS)[number]["name"];
