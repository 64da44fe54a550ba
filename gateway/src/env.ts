// The Worker's bindings, vars and secrets (declared in wrangler.toml; secrets via
// `wrangler secret put` or .dev.vars locally).
import type { AccountBalance } from "./billing/account-balance.ts";
import type { EditCoordinator } from "./coordinator/edit-coordinator.ts";
import type { WebhookQueueMessage } from "./webhooks/emit.ts";

export interface Env {
  /** Results and inputs, by cache key. */
  ARTIFACTS: R2Bucket;
  /** Accounts, keys, edits, ledger, idempotency records. */
  DB: D1Database;
  /** Single-flight per cache key. */
  EDIT_COORDINATOR: DurableObjectNamespace<EditCoordinator>;
  /** Each account's credits and test quota, exact (billing/account-balance.ts). */
  ACCOUNT_BALANCE: DurableObjectNamespace<AccountBalance>;
  /** Webhook deliveries to attempt (webhooks/deliver.ts consumes it; a dead letter queue behind it). */
  WEBHOOK_QUEUE: Queue<WebhookQueueMessage>;
  /** "true" under `npm start` only: webhooks may call loopback addresses (webhooks/webhook-url.ts). */
  WEBHOOKS_ALLOW_LOOPBACK?: string;
  /** First retry delay of a failed webhook delivery, in seconds (webhooks/retry-schedule.ts). */
  WEBHOOK_RETRY_BASE_SECONDS?: string;
  /** Workers rate-limit binding (per API key). */
  RATE_LIMITER?: RateLimit;
  /** Where the GPU function listens, e.g. the Modal web endpoint. */
  GPU_FUNCTION_URL: string;
  /** The model bundle version the GPU function serves (part of every cache key). */
  BUNDLE_VERSION: string;
  MAX_UPLOAD_BYTES?: string;
  MAX_SIDE?: string;
  MAX_PIXELS?: string;
  GPU_TIMEOUT_MS?: string;
  /** Origin of every link and Location, e.g. https://api.zone-edit.dev; the request's when unset. */
  PUBLIC_BASE_URL?: string;
  /** Origins allowed to call the API from a browser (comma-separated); unset: no CORS. */
  CORS_ORIGINS?: string;
  /** "account" (default): results are cached per account; "shared": across accounts. */
  CACHE_SCOPE?: string;
  /** Credit prices per operation, JSON (billing/prices.ts has the defaults). */
  PRICES?: string;
  /** Credits a new account starts with. */
  STARTING_CREDITS?: string;
  /** Edits a `ze_test_` key's account may make per UTC day. */
  TEST_EDITS_PER_DAY?: string;
  /** Secrets. */
  KEY_PEPPER: string;
  ADMIN_TOKEN: string;
  GPU_SHARED_SECRET: string;
  MODAL_PROXY_KEY?: string;
  MODAL_PROXY_SECRET?: string;
}

export interface Caller {
  accountId: string;
  keyId: string;
  /** `ze_live_` or `ze_test_` key: test keys never pay and have a daily quota. */
  environment: "live" | "test";
}

export type AppEnv = { Bindings: Env; Variables: { caller: Caller; requestId: string } };
