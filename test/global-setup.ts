import { hasTool, inCi, SYSTEM_TOOLS, type SystemTool, skipNotice } from "./helpers/system-tools.js";

/** Says once, before the run, which tests this machine cannot run and what to install for them. */
export default function setup(): void {
  for (const tool of Object.keys(SYSTEM_TOOLS) as SystemTool[]) {
    if (hasTool(tool)) continue;
    const notice = inCi() ? `CI=true but ${tool} is missing: its tests will fail` : skipNotice(tool);
    process.stdout.write(`\n  zoom-offboard tests: ${notice}\n`);
  }
}
