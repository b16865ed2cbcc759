import { accessSync, constants } from "node:fs";
import { delimiter, join } from "node:path";
import { describe, it } from "vitest";

/**
 * Programs some tests need that `npm ci` does not install. On a machine without one, those tests are skipped and
 * the run says so once (test/global-setup.ts); under CI, which installs them (.ci/run), a missing one fails.
 */
export const SYSTEM_TOOLS = {
  "redis-server": {
    install: "apt-get install redis-server",
    tests: "test/e2e/shared-budget.test.ts (several runners sharing one Light budget through Redis)",
  },
  script: {
    install: "apt-get install util-linux (it provides `script`)",
    tests: "test/e2e/terminal.test.ts (progress bar, readable logs and the prompt on a pseudo-terminal)",
  },
  chromium: {
    install: "apt-get install chromium",
    tests: "test/report/html-browser.test.ts (the HTML report opened in a real browser)",
  },
} as const;

/** Debian's Chromium; ZO_CHROMIUM points elsewhere (which is also how its absence is tried out). */
export const CHROMIUM_PATH = process.env.ZO_CHROMIUM ?? "/usr/bin/chromium";

export type SystemTool = keyof typeof SYSTEM_TOOLS;

/** The path of an executable `command` on the PATH, or undefined. */
export function findCommand(command: string, path = process.env.PATH ?? ""): string | undefined {
  for (const dir of path.split(delimiter)) {
    if (dir === "") continue;
    const candidate = join(dir, command);
    if (isExecutable(candidate)) return candidate;
  }
  return undefined;
}

export function hasTool(tool: SystemTool): boolean {
  if (tool === "chromium") return isExecutable(CHROMIUM_PATH);
  return findCommand(tool) !== undefined;
}

function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** CI installs every system tool, so there a missing one is a failure rather than a skip. */
export function inCi(): boolean {
  const ci = process.env.CI ?? "";
  return ci !== "" && ci !== "0" && ci.toLowerCase() !== "false";
}

/** One line for people: which tests were left out and how to run them. */
export function skipNotice(tool: SystemTool): string {
  const { install, tests } = SYSTEM_TOOLS[tool];
  return `${tool} is not installed: skipping ${tests}; ${install} to run them`;
}

/**
 * `describe` for tests that need `tool`: runs them when it is installed, skips them when it is not, and under CI
 * replaces them with one failing test that says what is missing.
 */
export function describeWith(
  tool: SystemTool,
  name: string,
  body: () => void,
  options: { timeout?: number } = {},
): void {
  if (hasTool(tool)) {
    describe(name, options, body);
  } else if (inCi()) {
    describe(name, () => {
      it(`needs ${tool}`, () => {
        throw new Error(
          `${tool} is not installed, and CI must run these tests: ${SYSTEM_TOOLS[tool].install}`,
        );
      });
    });
  } else {
    describe.skip(name, options, body);
  }
}
