// @zone/client: a typed client of the ZONE Edit API (see zone-client.ts).
export type { components, operations, paths } from "./api-types.ts";
export { type AsyncEditOptions, asyncEditHeaders } from "./async-edit.ts";
export { type EditLookup, type FinishedEdit, type JobOutcome, jobOutcome } from "./job-outcome.ts";
export { type Job, type Problem, type ProblemCode, retryAfterMs, ZoneApiError } from "./problem-error.ts";
export {
  CLIENT_RETRY_DEFAULTS,
  type ClientRetryOptions,
  RETRY_STATUSES,
  retryingFetch,
} from "./retrying-fetch.ts";
export { type JobUpdate, WAIT_DEFAULTS, type WaitForEditOptions } from "./wait-for-edit.ts";
export {
  type ReceivedWebhook,
  receiveWebhook,
  verifyWebhook,
  WEBHOOK_HEADERS,
  WEBHOOK_TOLERANCE_SECONDS,
  type WebhookPayload,
  type WebhookVerification,
} from "./webhooks.ts";
export {
  type Artifact,
  type ArtifactName,
  type CreateEditInput,
  createZoneClient,
  type Edit,
  type EditAnswer,
  type JobAnswer,
  type UsageReport,
  type ZoneClient,
  type ZoneClientOptions,
} from "./zone-client.ts";
