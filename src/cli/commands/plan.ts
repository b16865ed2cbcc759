import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { makePlan } from "../../app/make-plan.js";
import type { RunResult } from "../../app/run-result.js";
import { OffboardError } from "../../domain/errors.js";
import { accountHash, type PlanFile, sealPlan } from "../../plan/plan-file.js";
import { writeNewPlan } from "../../plan/plan-store.js";
import { defaultReportPath } from "../../report/default-path.js";
import { describeStop } from "../describe-stop.js";
import { accountIdOf, loginName, planOptionsOf } from "../plan-config.js";
import { formatPlanTable } from "../plan-table.js";
import { type RunConfig, type RunFlags, resolveRunConfig } from "../run-config.js";
import { isInteractive, type RunProcess, withRunProcess } from "../run-process.js";

/** Where a plan goes by default: `reports/<input>-<UTC time>.plan.json`. */
export function defaultPlanPath(input: string, at: Date): string {
  return defaultReportPath(input, at).replace(/\.csv$/, ".plan.json");
}

/**
 * Make a plan inside a run's process: a dry run with look-ups whose own report goes to a temporary directory
 * (the plan holds every row). Undefined, with the reason logged, when the dry run stopped early.
 */
export async function planIn(
  run: RunProcess,
  config: RunConfig,
): Promise<{ plan: PlanFile; result: RunResult } | { stopped: RunResult }> {
  const directory = mkdtempSync(join(tmpdir(), "zoom-offboard-plan-"));
  try {
    const madeAt = new Date();
    const { body, result } = await makePlan(
      { ...config, reportPath: join(directory, "dry-run.csv") },
      {
        madeBy: loginName(process.env),
        madeAt,
        account: accountHash(accountIdOf(config)),
        options: planOptionsOf(config, madeAt),
      },
      // The dry run is not the run a progress bar or a Ctrl-C flush is about.
      { ...run.deps(), onPlan: undefined, onRow: undefined, onReportOpened: undefined },
    );
    if (result.stop !== undefined) {
      run.logger.error(`no plan was made: ${describeStop(result.stop)}`);
      return { stopped: result };
    }
    return { plan: sealPlan(body), result };
  } finally {
    rmSync(directory, { recursive: true, force: true });
  }
}

/** `plan <input.csv> --out <plan>`: what a run would do, as a file to approve and apply. */
export async function planCommand(input: string, flags: RunFlags & { out?: string }): Promise<number> {
  const { out, ...runFlags } = flags;
  const config = resolveRunConfig(input, { ...runFlags, dryRun: true }, process.env, {
    interactive: isInteractive(),
  });
  if (config.lookup === "none") {
    throw new OffboardError(
      "USAGE",
      "a plan records each user's state: it cannot be made with `--lookup none`",
    );
  }
  if (config.resumeFrom !== undefined)
    throw new OffboardError("USAGE", "`--resume` is for run and apply, not plan");
  if (!config.simulate) accountIdOf(config);
  const path = out ?? defaultPlanPath(input, new Date());
  return withRunProcess(config, [], async (run) => {
    const made = await planIn(run, run.config);
    if ("stopped" in made) return 3;
    // A plan its own guards would stop could be approved and then never applied.
    const guard = made.plan.warnings.find((warning) => warning.startsWith("a real run would stop"));
    if (guard !== undefined) {
      throw new OffboardError(
        "USAGE",
        `no plan was written: ${guard.replace("a real run would stop: ", "")}`,
      );
    }
    writeNewPlan(path, made.plan);
    process.stdout.write(
      config.json
        ? `${JSON.stringify(planSummary(made.plan, path, made.result.exitCode))}\n`
        : formatPlanTable(made.plan, path),
    );
    return made.result.exitCode;
  });
}

/** `plan --json`: what a script needs to go on. */
export function planSummary(plan: PlanFile, path: string, exitCode: number): Record<string, unknown> {
  return {
    plan: path,
    plan_sha256: plan.plan_sha256,
    users: plan.users,
    changes: plan.changes.length,
    changes_by_action: plan.changes_by_action,
    not_sent: plan.not_sent.length,
    warnings: plan.warnings,
    exit_code: exitCode,
  };
}
