// The Worker tests' `env` (from cloudflare:test): the Worker's own bindings plus the migrations.
import type { D1Migration } from "cloudflare:test";
import type { Env as WorkerEnv } from "../src/env.ts";

declare global {
  namespace Cloudflare {
    interface Env extends WorkerEnv {
      TEST_MIGRATIONS: D1Migration[];
    }
  }
}
