import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    globalSetup: ["test/global-setup.ts"],
    exclude: ["test/bench/**", "node_modules/**"],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    // End-to-end tests spawn the CLI and a simulator; two cores are all CI has.
    maxWorkers: 2,
    coverage: {
      provider: "v8",
      // End-to-end tests run the bundled CLI in a child process, which v8 in the test process cannot see, so
      // these figures count only what unit and in-process integration tests reach.
      include: ["src/**"],
      reporter: ["text-summary", "json-summary"],
      reportsDirectory: "coverage",
      // Just under the measured figures, so coverage cannot slide unnoticed; raise them when it grows.
      thresholds: {
        lines: 80,
        branches: 77,
        functions: 77,
        statements: 80,
      },
    },
  },
});
