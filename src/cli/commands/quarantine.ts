import { writeNewPlan } from "../../plan/plan-store.js";
import { formatPlanTable } from "../plan-table.js";
import type { RunProcess } from "../run-process.js";
import { defaultPlanPath, planIn, planSummary } from "./plan.js";

/**
 * `run --plan-required-over n`: plan first; a file that would change more than n users is held for approval
 * (a plan written, nothing sent, exit 3), as a provisioning service quarantines a run that would change too many
 * accounts. Undefined when the run may go on.
 */
export async function quarantineIfOver(run: RunProcess, most: number): Promise<number | undefined> {
  const { config, logger } = run;
  const made = await planIn(run, config);
  if ("stopped" in made) return 3;
  const { plan } = made;
  if (plan.users <= most) {
    logger.info({ users: plan.users, planRequiredOver: most }, "within --plan-required-over: running");
    return undefined;
  }
  const path =
    config.reportPath === undefined
      ? defaultPlanPath(config.inputPath, new Date())
      : config.reportPath.replace(/(\.csv)?$/i, ".plan.json");
  writeNewPlan(path, plan);
  const why = `the file would change ${plan.users} users, more than --plan-required-over ${most}: nothing was sent`;
  logger.error({ users: plan.users, planRequiredOver: most, plan: path }, `quarantined: ${why}`);
  if (config.json) {
    process.stdout.write(
      `${JSON.stringify({ quarantined: true, reason: why, ...planSummary(plan, path, 3) })}\n`,
    );
  } else {
    process.stdout.write(`Quarantined: ${why}.\n${formatPlanTable(plan, path)}`);
  }
  return 3;
}
