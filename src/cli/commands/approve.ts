import { OffboardError } from "../../domain/errors.js";
import { addApproval, countingApprovers } from "../../plan/check-plan.js";
import { readPlan, replacePlan } from "../../plan/plan-store.js";
import { loginName } from "../plan-config.js";

/** `approve <plan> [--by <name>] [--note <text>]`: record who approved the plan, when and why, in the plan. */
export async function approveCommand(path: string, flags: { by?: string; note?: string }): Promise<number> {
  const plan = readPlan(path);
  const by = (flags.by ?? loginName(process.env)).trim();
  if (by === "") throw new OffboardError("USAGE", "`--by` names who approves: it cannot be empty");
  const note = flags.note?.trim();
  const added = addApproval(
    plan,
    { by, at: new Date().toISOString(), note: note === undefined || note === "" ? null : note },
    path,
  );
  if (added) replacePlan(path, plan);
  const lines = [
    added ? `Approved ${path} as ${by}.` : `${by} had approved ${path} already: nothing changed.`,
    `  plan sha256 ${plan.plan_sha256}`,
  ];
  if (by.toLowerCase() === plan.made_by.trim().toLowerCase()) {
    lines.push(`  note: ${by} made this plan; their own approval does not count towards apply's --approvals`);
  }
  const counting = countingApprovers(plan);
  lines.push(`  approvals that count: ${counting.length === 0 ? "none" : counting.join(", ")}`);
  lines.push(
    `  apply with: zoom-offboard apply ${path}${counting.length > 0 ? ` --approvals ${counting.length}` : ""}`,
  );
  process.stdout.write(`${lines.join("\n")}\n`);
  return 0;
}
