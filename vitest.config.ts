import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["packages/*/test/**/*.test.ts", "infra/test/**/*.test.ts", "test/**/*.test.ts"],
    testTimeout: 30_000,
    // Pulumi's mocks are process-wide state: one test file per worker process.
    pool: "forks",
  },
});
