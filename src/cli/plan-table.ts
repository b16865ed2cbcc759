import type { PlannedChange, UserSnapshot } from "../domain/plan.js";
import type { PlanFile } from "../plan/plan-file.js";

/** How many rows of each list the table shows on stdout; the plan file holds them all. */
const SHOWN = 50;

function state(snapshot: UserSnapshot): string {
  const type = snapshot.type === 1 ? "Basic" : snapshot.type === 2 ? "Licensed" : undefined;
  return [snapshot.status, snapshot.role, type].filter((part) => part !== undefined).join(" ");
}

function changeLine(change: PlannedChange): string {
  const target = change.transfer_to === undefined ? "" : ` → ${change.transfer_to}`;
  return `    ${String(change.line).padEnd(7)}${change.action.padEnd(13)}${`${change.user}${target}`.padEnd(44)} ${state(change.user_state)}`;
}

/** The plan as a person reads it on stdout: what it would change, what it would not and why, and what next. */
export function formatPlanTable(plan: PlanFile, path: string): string {
  const lines: string[] = [];
  const byAction = Object.entries(plan.changes_by_action)
    .map(([action, count]) => `${count} ${action}`)
    .join(", ");
  lines.push(`Plan ${path}`);
  lines.push(
    `  made ${plan.made_at} by ${plan.made_by}, from ${plan.input.path} (${plan.input.rows} row${plan.input.rows === 1 ? "" : "s"})`,
  );
  lines.push(`  sha256 ${plan.plan_sha256}`);
  lines.push(
    `  would change ${plan.users} user${plan.users === 1 ? "" : "s"}${byAction === "" ? "" : ` (${byAction})`}`,
  );
  if (plan.changes.length > 0) {
    lines.push(
      "",
      `  changes (${plan.changes.length}):`,
      `    ${"line".padEnd(7)}${"action".padEnd(13)}${"user".padEnd(44)} state now`,
    );
    for (const change of plan.changes.slice(0, SHOWN)) lines.push(changeLine(change));
    if (plan.changes.length > SHOWN)
      lines.push(`    … and ${plan.changes.length - SHOWN} more in the plan file`);
  }
  if (plan.not_sent.length > 0) {
    lines.push("", `  not sent (${plan.not_sent.length}):`);
    for (const row of plan.not_sent.slice(0, SHOWN)) {
      lines.push(
        `    ${String(row.line).padEnd(7)}${row.outcome.padEnd(13)}${row.user.padEnd(34)} ${row.message}`,
      );
    }
    if (plan.not_sent.length > SHOWN)
      lines.push(`    … and ${plan.not_sent.length - SHOWN} more in the plan file`);
  }
  for (const warning of plan.warnings) lines.push(`  warning: ${warning}`);
  if (plan.approvals.length > 0) {
    lines.push("", "  approvals:");
    for (const approval of plan.approvals) {
      const note = approval.note === null ? "" : `: ${approval.note}`;
      lines.push(`    ${approval.by} at ${approval.at}${note}`);
    }
  }
  lines.push(
    "",
    "  next:",
    `    zoom-offboard approve ${path} --by <name> --note <why>`,
    `    zoom-offboard apply ${path}`,
  );
  return `${lines.join("\n")}\n`;
}
