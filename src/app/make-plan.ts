import type { Action } from "../domain/actions.js";
import type { PlannedChange } from "../domain/plan.js";
import { userKey } from "../domain/users.js";
import { VERSION } from "../domain/version.js";
import { type NotSentRow, PLAN_FORMAT, type PlanBody, type PlanOptions } from "../plan/plan-file.js";
import { type OffboardDeps, runOffboard } from "./run-offboard.js";
import type { RunOptions } from "./run-options.js";
import type { RunResult } from "./run-result.js";

/** Who makes the plan, when, for which account, and the options it records as they were given. */
export interface PlanMaking {
  madeBy: string;
  madeAt: Date;
  /** The account, as a hash (plan-file.ts's accountHash). */
  account: string;
  options: PlanOptions;
}

/**
 * A dry run with look-ups whose every row is kept: the changes it would send, with the state each user was in,
 * and the rows it would not, with why. The dry run's own report goes where `options.reportPath` says.
 */
export async function makePlan(
  options: RunOptions,
  making: PlanMaking,
  deps: OffboardDeps,
): Promise<{ body: PlanBody; result: RunResult }> {
  const changes: PlannedChange[] = [];
  const notSent: NotSentRow[] = [];
  let input = { sha256: "", rows: 0 };
  const result = await runOffboard(
    { ...options, dryRun: true, verify: false },
    {
      ...deps,
      // A plan is made to be approved and applied later: nobody is asked now.
      confirm: undefined,
      onPlan: (scan) => {
        input = { sha256: scan.checksum, rows: scan.dataRows };
        deps.onPlan?.(scan);
      },
      onPlanned: (change) => changes.push(change),
      onRow: (row) => {
        if (row.outcome !== "would_apply") {
          notSent.push({
            line: row.line,
            user: row.userId,
            action: row.action,
            outcome: row.outcome,
            message: row.message,
          });
        }
        deps.onRow?.(row);
      },
    },
  );
  changes.sort((a, b) => a.line - b.line);
  notSent.sort((a, b) => a.line - b.line);
  const byAction: Partial<Record<Action, number>> = {};
  for (const change of changes) byAction[change.action] = (byAction[change.action] ?? 0) + 1;
  return {
    body: {
      format: PLAN_FORMAT,
      tool_version: VERSION,
      made_at: making.madeAt.toISOString(),
      made_by: making.madeBy,
      account: making.account,
      input: { path: options.inputLabel ?? options.inputPath, ...input },
      options: making.options,
      users: new Set(changes.map((change) => userKey(change.user))).size,
      changes_by_action: byAction,
      warnings: result.warnings,
      changes,
      not_sent: notSent,
    },
    result,
  };
}
