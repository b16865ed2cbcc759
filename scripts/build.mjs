#!/usr/bin/env node
/**
 * `npm run build`: compile src/ with tsc, then bundle dist/ with rolldown — silently, so that `npm start` and
 * `npm test` show only what the tool and the tests say. On a failure, everything the compiler or bundler said is
 * printed and the exit code is 2.
 */
import { spawnSync } from "node:child_process";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";
import { build } from "rolldown";
import config from "../rolldown.config.mjs";

const root = fileURLToPath(new URL("..", import.meta.url));

// Bottleneck loads its optional Redis clients with `eval("require")`, which rolldown warns about; we hand
// Bottleneck the ioredis client ourselves, so that code never runs.
const KNOWN_WARNINGS = [{ code: "EVAL", id: /node_modules\/bottleneck\// }];

function fail(what, detail) {
  process.stderr.write(`build failed (${what}):\n${detail}\n`);
  process.exit(2);
}

export async function buildQuietly() {
  const tsc = createRequire(import.meta.url).resolve("typescript/bin/tsc");
  const compiled = spawnSync(process.execPath, [tsc, "-p", "tsconfig.build.json"], {
    cwd: root,
    encoding: "utf8",
  });
  if (compiled.status !== 0) fail("tsc", `${compiled.stdout}${compiled.stderr}`);
  const warnings = [];
  try {
    await build({
      ...config,
      cwd: root,
      onLog(level, log) {
        const known = KNOWN_WARNINGS.some((w) => w.code === log.code && w.id.test(log.id ?? log.message));
        if (!known) warnings.push(`${level}: ${log.message}`);
      },
    });
  } catch (error) {
    fail("rolldown", `${warnings.join("\n")}\n${error instanceof Error ? error.message : String(error)}`);
  }
  // A new warning is worth a look, but it does not stop the build.
  if (warnings.length > 0) process.stderr.write(`${warnings.join("\n")}\n`);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await buildQuietly();
