// The Worker's bindings, vars and secrets (declared in wrangler.toml; secrets via
// `wrangler secret put` or .dev.vars locally).
import type { EditCoordinator } from "./coordinator/edit-coordinator.ts";

export interface Env {
  /** Results and inputs, by cache key. */
  ARTIFACTS: R2Bucket;
  /** Accounts, keys, edits, ledger, idempotency records. */
  DB: D1Database;
  /** Single-flight per cache key. */
  EDIT_COORDINATOR: DurableObjectNamespace<EditCoordinator>;
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
}

export type AppEnv = { Bindings: Env; Variables: { caller: Caller; requestId: string } };
