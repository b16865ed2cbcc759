import { afterAll, afterEach } from "vitest";
import { cleanUpFile, cleanUpTest } from "./helpers/cleanup.js";

// Every test file: temporary directories and child processes go away with the test (or file) that made them.
afterEach(cleanUpTest);
afterAll(cleanUpFile);
