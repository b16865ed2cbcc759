import { afterAll, afterEach, beforeEach, expect } from "vitest";
import { cleanUpFile, cleanUpTest } from "./helpers/cleanup.js";

// Every test file: temporary directories and child processes go away with the test (or file) that made them.
afterEach(cleanUpTest);
afterAll(cleanUpFile);

// A test whose checks never ran (a loop over nothing, a callback never called) fails instead of passing empty.
beforeEach(() => {
  expect.hasAssertions();
});
