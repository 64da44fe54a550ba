// One Vitest run for the whole repository, in two projects: Node (everything but the Worker) and
// workerd (the gateway, through Cloudflare's Vitest integration, with the GPU function replaced
// by a declared mock). The summary reporter prints the line CI reads.
import { cloudflareTest, readD1Migrations } from "@cloudflare/vitest-plugin";
import { defineConfig } from "vitest/config";
import { GPU_MOCK_ORIGIN, gpuMock } from "./gateway/test/gpu-mock.ts";

export default defineConfig({
  test: {
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
              },
              outboundService: gpuMock,
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
