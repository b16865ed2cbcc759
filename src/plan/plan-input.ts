import { stringify } from "csv-stringify/sync";
import type { ApprovedChanges, PlannedChange } from "../domain/plan.js";
import type { PlanFile } from "./plan-file.js";

/**
 * The input an apply runs: the plan's changes and nothing else, each on the line it had in the planned file
 * (blank lines elsewhere, which the reader skips), so the apply's report names the lines of that file. Pure.
 */
export function applyInputText(plan: PlanFile): string {
  const lines: string[] = ["user_id,action,transfer_to"];
  const changes = [...plan.changes].sort((a, b) => a.line - b.line);
  for (const change of changes) {
    while (lines.length < change.line - 1) lines.push("");
    lines.push(stringify([[change.user, change.action, change.transfer_to ?? ""]]).trimEnd());
  }
  return `${lines.join("\n")}\n`;
}

/** The plan's changes by line, for the apply to hold each row against. */
export function approvedChanges(plan: PlanFile): ApprovedChanges {
  const byLine = new Map<number, PlannedChange>(plan.changes.map((change) => [change.line, change]));
  return { get: (line) => byLine.get(line) };
}
