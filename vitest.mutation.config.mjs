import { defineConfig } from "vitest/config";
import { unitTests } from "./stryker.config.mjs";

// A zone far from UTC (and off the hour), so that a date read as local time instead of UTC changes the result;
// set before the test workers start, which take the zone from the environment.
process.env.TZ = "Asia/Kolkata";

// What Stryker runs against each mutant: only the pure core's unit tests, and no global setup (these tests never
// run the CLI, so there is no bundle to build inside Stryker's sandbox). The per-test setup still removes the
// temporary directories a test makes.
export default defineConfig({
  test: {
    include: unitTests,
    setupFiles: ["test/setup.ts"],
  },
});
