import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: [
      "packages/*/src/**/*.test.ts",
      "packages/*/conformance/**/*.test.ts",
      "infra/**/*.test.ts",
      "scripts/**/*.test.ts",
    ],
    testTimeout: 30_000,
    // Pulumi's mocks are process-wide state: one test file per worker process.
    pool: "forks",
  },
});
