// @zone/client: a typed client of the ZONE Edit API (see zone-client.ts).
export type { components, operations, paths } from "./api-types.ts";
export { type Problem, type ProblemCode, retryAfterMs, ZoneApiError } from "./problem-error.ts";
export {
  CLIENT_RETRY_DEFAULTS,
  type ClientRetryOptions,
  RETRY_STATUSES,
  retryingFetch,
} from "./retrying-fetch.ts";
export {
  type Artifact,
  type ArtifactName,
  type CreateEditInput,
  createZoneClient,
  type Edit,
  type EditAnswer,
  type EditLookup,
  type UsageReport,
  type ZoneClient,
  type ZoneClientOptions,
} from "./zone-client.ts";
