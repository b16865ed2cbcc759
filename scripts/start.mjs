#!/usr/bin/env node
/**
 * `npm start`: build (silently), then a real batch from fixtures/demo.csv against the embedded simulator. The
 * demo file has rows that need a person on purpose, so the run's exit code 1 counts as success here.
 */
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { buildQuietly } from "./build.mjs";

const root = fileURLToPath(new URL("..", import.meta.url));
await buildQuietly();
const demo = spawnSync(
  process.execPath,
  [
    "bin/zoom-offboard.js",
    "run",
    "fixtures/demo.csv",
    "--simulate",
    "--sim-users",
    "fixtures/demo-directory.csv",
    "--yes",
  ],
  { cwd: root, stdio: "inherit" },
);
process.exitCode = demo.status === 1 ? 0 : (demo.status ?? 1);
