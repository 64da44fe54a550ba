// One Vitest run for the whole repository; the summary reporter prints the line CI reads.
import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: [
      "shared/**/*.test.ts",
      "gpu-function/**/*.test.ts",
      "gateway/**/*.test.ts",
      "test/**/*.test.ts",
    ],
    exclude: ["**/node_modules/**"],
    environment: "node",
    testTimeout: 30_000,
    reporters: ["default", "./test/summary-reporter.ts"],
  },
});
