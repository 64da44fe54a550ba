// Applies the D1 migrations before the Worker tests (storage is isolated per test file).
import { applyD1Migrations, env } from "cloudflare:test";

await applyD1Migrations(env.DB, env.TEST_MIGRATIONS);
