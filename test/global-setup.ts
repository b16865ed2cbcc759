import { spawnSync } from "node:child_process";
import { readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { hasTool, inCi, SYSTEM_TOOLS, type SystemTool, skipNotice } from "./helpers/system-tools.js";

const root = fileURLToPath(new URL("..", import.meta.url));

/**
 * Before any test: the end-to-end tests run the bundled CLI, so a bundle older than the sources is built again
 * (an `npx vitest` after an edit must never test yesterday's code). Then say once which tests this machine cannot
 * run and what to install for them.
 */
export default function setup(): void {
  // Each test project runs the global setup; once per run is enough.
  if (process.env.ZO_TEST_SETUP_DONE === "1") return;
  process.env.ZO_TEST_SETUP_DONE = "1";
  if (bundleIsStale()) {
    const build = spawnSync(process.execPath, [join(root, "scripts/build.mjs")], {
      cwd: root,
      encoding: "utf8",
    });
    if (build.status !== 0) {
      throw new Error(
        `the CLI bundle is older than src/ and building it failed:\n${build.stderr}${build.stdout}`,
      );
    }
  }
  for (const tool of Object.keys(SYSTEM_TOOLS) as SystemTool[]) {
    if (hasTool(tool)) continue;
    const notice = inCi() ? `CI=true but ${tool} is missing: its tests will fail` : skipNotice(tool);
    process.stdout.write(`\n  zoom-offboard tests: ${notice}\n`);
  }
}

function bundleIsStale(): boolean {
  let bundleMs: number;
  try {
    bundleMs = statSync(join(root, "dist/bundle/cli.js")).mtimeMs;
  } catch {
    return true;
  }
  const inputs = [
    join(root, "rolldown.config.mjs"),
    join(root, "package-lock.json"),
    ...filesUnder(join(root, "src")),
  ];
  return inputs.some((path) => statSync(path).mtimeMs > bundleMs);
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name));
}
