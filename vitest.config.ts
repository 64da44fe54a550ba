// One Vitest run for the whole repository, in two projects: Node (everything but the Worker) and
// workerd (the gateway, through Cloudflare's Vitest integration, with the GPU function replaced
// by a declared mock). The summary reporter prints the line CI reads.
//
// One test file per core, at least two: Vitest's default (cores - 1) runs the files one at a time
// on a 2-core machine, while much of this suite waits on child processes, sockets and timers
// (the local stack, the browser, retries). Measured on 2 cores in a clean-clone .ci/run (with
// ../shared and the export venv): 848 s one at a time, 656 s two at a time (0.77x); without the
// venv's torch tests, 355 s two at a time.
import { availableParallelism } from "node:os";
import { cloudflareTest, readD1Migrations } from "@cloudflare/vitest-plugin";
import { defineConfig } from "vitest/config";
import { GPU_MOCK_ORIGIN, gpuMock } from "./gateway/test/gpu-mock.ts";
import { WEBHOOK_RECEIVER_ORIGIN, webhookReceiver } from "./gateway/test/webhook-receiver.ts";

export default defineConfig({
  test: {
    maxWorkers: Math.max(2, availableParallelism()),
    reporters: ["default", "./test/summary-reporter.ts"],
    projects: [
      {
        test: {
          name: "node",
          include: [
            "shared/**/*.test.ts",
            "gpu-function/**/*.test.ts",
            "gateway/**/*.test.ts",
            "test/**/*.test.ts",
          ],
          exclude: ["**/node_modules/**", "gateway/**/*.worker.test.ts"],
          environment: "node",
          testTimeout: 30_000,
        },
      },
      {
        plugins: [
          cloudflareTest(async () => ({
            wrangler: { configPath: "./wrangler.toml" },
            miniflare: {
              bindings: {
                TEST_MIGRATIONS: await readD1Migrations("./gateway/migrations"),
                KEY_PEPPER: "test-pepper",
                ADMIN_TOKEN: "test-admin-token",
                GPU_SHARED_SECRET: "test-gpu-secret",
                GPU_FUNCTION_URL: GPU_MOCK_ORIGIN,
                BUNDLE_VERSION: "test-bundle",
                MAX_UPLOAD_BYTES: "200000",
                GPU_TIMEOUT_MS: "5000",
                TEST_EDITS_PER_DAY: "20",
                // A receiver on loopback (webhook-receiver.ts), retried 1 s, 2 s, 4 s ... apart.
                WEBHOOKS_ALLOW_LOOPBACK: "true",
                WEBHOOK_RETRY_BASE_SECONDS: "1",
              },
              outboundService: (request: Request) =>
                new URL(request.url).origin === WEBHOOK_RECEIVER_ORIGIN
                  ? webhookReceiver(request)
                  : gpuMock(request),
            },
          })),
        ],
        test: {
          name: "workers",
          include: ["gateway/**/*.worker.test.ts"],
          setupFiles: ["./gateway/test/apply-migrations.ts"],
          testTimeout: 30_000,
        },
      },
    ],
  },
});
