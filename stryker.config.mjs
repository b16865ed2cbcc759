// Mutation testing of the pure core: if a changed line in these modules leaves every test green, the tests do
// not pin that behaviour down. Run with `npm run test:mutation`; reports land in reports/mutation/.

// The modules under test and their own unit tests, side by side: update both lists when files move.
const mutate = [
  "src/zoom/classify-answer.ts",
  "src/zoom/answer.ts",
  "src/zoom/retry-after.ts",
  "src/input/check-row.ts",
  "src/send/backoff.ts",
  "src/pacing/adaptive-rate.ts",
  "src/pacing/spacing.ts",
  "src/pacing/own-starts.ts",
  "src/pacing/window-guard.ts",
  "src/resume/carry-over.ts",
  "src/lookup/guard.ts",
  "src/lookup/choose-strategy.ts",
  "src/report/format-row.ts",
];

/** Only the modules' own unit tests may kill their mutants: no end-to-end tests, nothing that spawns the CLI. */
export const unitTests = [
  "test/zoom/answer.test.ts",
  "test/zoom/classify-answer.test.ts",
  "test/zoom/operations/common-rules.test.ts",
  "test/zoom/retry-after.test.ts",
  "test/input/check-row.test.ts",
  "test/send/backoff.test.ts",
  "test/pacing/adaptive-rate.test.ts",
  "test/pacing/spacing.test.ts",
  "test/pacing/own-starts.test.ts",
  "test/pacing/window-guard.test.ts",
  "test/resume/carry-over.test.ts",
  "test/lookup/pure.test.ts",
  "test/report/format-row.test.ts",
  // Holds the tests of the report's line writer (format-row.ts) beside the writer's own.
  "test/report/report-writer.test.ts",
];

/** @type {import("@stryker-mutator/api/core").PartialStrykerOptions} */
export default {
  mutate,
  testRunner: "vitest",
  // Stryker's own `testFiles` option would be the natural place for the list, but with it Stryker 9 activates
  // mutants of module-level constants too late and reports them as survivors; the vitest config narrows instead.
  vitest: { configFile: "vitest.mutation.config.mjs" },
  coverageAnalysis: "perTest",
  // A mutant that does not compile is no evidence about the tests, so the type checker discards it first.
  checkers: ["typescript"],
  tsconfigFile: "tsconfig.json",
  // Two processes, the type checker and one test runner: the run leaves room on a shared two-core machine.
  concurrency: 2,
  // Every run tests every mutant. `npm run test:mutation -- --incremental` reuses the last run's results for code
  // and tests that did not change, but it also keeps a survivor of a module-level constant after new tests were
  // added: trust only a full run's score.
  incremental: false,
  incrementalFile: "reports/mutation/incremental.json",
  reporters: ["clear-text", "html", "json", "progress"],
  htmlReporter: { fileName: "reports/mutation/index.html" },
  jsonReporter: { fileName: "reports/mutation/mutation.json" },
  clearTextReporter: { allowColor: false, reportScoreTable: true, reportMutants: true },
  thresholds: { high: 90, low: 80, break: 80 },
  tempDirName: ".stryker-tmp",
  cleanTempDir: "always",
};
