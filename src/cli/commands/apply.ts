import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { OffboardError } from "../../domain/errors.js";
import { countingApprovers, refusalsOf } from "../../plan/check-plan.js";
import { applyInputText, approvedChanges } from "../../plan/plan-input.js";
import { readPlan } from "../../plan/plan-store.js";
import { freeDefaultReportPath } from "../../report/default-path.js";
import { metaPathFor } from "../../resume/run-meta.js";
import { duration, wholeNumber } from "../parse-values.js";
import { type ApplyFlags, accountIdOf, applyConfigOf } from "../plan-config.js";
import { isInteractive } from "../run-process.js";
import { runCommand } from "./run.js";

const DAY_MS = 24 * 3_600_000;

const taken = (path: string): boolean => existsSync(path) || existsSync(metaPathFor(path));

/**
 * `apply <plan>`: send exactly the plan's changes, to users still in the state the plan saw, then read the
 * directory back. Refused, with nothing sent, for a plan edited after approval, too old, for another account, or
 * short of the approvals asked for.
 */
export async function applyCommand(path: string, flags: ApplyFlags): Promise<number> {
  const plan = readPlan(path);
  const directory = mkdtempSync(join(tmpdir(), "zoom-offboard-apply-"));
  try {
    const input = join(directory, "plan-input.csv");
    const { config, notes } = applyConfigOf(plan, input, flags, process.env, {
      interactive: isInteractive(),
    });
    const refusals = refusalsOf(plan, {
      now: Date.now(),
      maxAgeMs: flags.maxPlanAge === undefined ? DAY_MS : duration("--max-plan-age", flags.maxPlanAge),
      accountId: accountIdOf(config),
      approvals: flags.approvals === undefined ? 0 : wholeNumber("--approvals", flags.approvals),
    });
    if (refusals.length > 0) {
      throw new OffboardError(
        "PLAN_REFUSED",
        `${path} is not applied, nothing was sent: ${refusals.join("; ")}`,
      );
    }
    // Holds emails: private, and gone when the apply ends.
    writeFileSync(input, applyInputText(plan), { mode: 0o600 });
    const name = `${basename(path).replace(/(\.plan)?\.json$/i, "")}-apply.csv`;
    return await runCommand(
      {
        ...config,
        inputLabel: path,
        reportPath: config.reportPath ?? freeDefaultReportPath(name, new Date(), taken),
      },
      notes,
      "apply",
      {
        named: { file: path, sha256: plan.plan_sha256, approvers: countingApprovers(plan) },
        approved: approvedChanges(plan),
        lockInput: path,
      },
    );
  } finally {
    rmSync(directory, { recursive: true, force: true });
  }
}
