import type { Action } from "../domain/actions.js";
import type { UpcomingRow } from "../input/scan-input.js";
import type { Plan } from "../lookup/planned.js";
import { TRANSFER_ITEM_NAMES, type TransferItem } from "../zoom/operations/index.js";

const LABELS: Readonly<Record<Action, string>> = {
  signout: "sign out",
  downgrade: "downgrade to Basic",
  license: "license again",
  deactivate: "deactivate",
  activate: "activate",
  delete: "delete",
  disassociate: "disassociate",
};

/** Shown even when none: what most offboardings are about, so a zero there is news. */
const ALWAYS: ReadonlySet<Action> = new Set<Action>(["deactivate", "activate"]);

const line = (label: string, count: number | string): string => `  ${label.padEnd(20)}${count}`;

/** The plan in words, for the confirmation prompt and the logs. Pure. */
export function describePlan(plan: Plan, transfer: readonly TransferItem[] = []): string[] {
  const lines: string[] = [];
  for (const [action, label] of Object.entries(LABELS) as [Action, string][]) {
    const count = plan.changes[action];
    if (count > 0 || ALWAYS.has(action)) lines.push(line(label, count));
  }
  lines.push(line("already in state", plan.already), line("not found", plan.notFound));
  lines.push(line("protected", plan.protected));
  if (plan.unknown > 0)
    lines.push(line("look-up failed", `${plan.unknown} (sent anyway; Zoom's answer decides)`));
  const skipped = plan.invalid + plan.duplicate + plan.conflict;
  if (skipped > 0) {
    lines.push(
      `  not sent (invalid ${plan.invalid}, duplicate ${plan.duplicate}, conflict ${plan.conflict})`,
    );
  }
  const removals = plan.changes.delete + plan.changes.disassociate;
  if (removals > 0) {
    const moved =
      transfer.length === 0 ? "nothing" : transfer.map((item) => TRANSFER_ITEM_NAMES[item]).join(", ");
    lines.push(`  where their data goes (${moved}):`);
    for (const removal of plan.removals) {
      lines.push(
        `    ${removal.action.padEnd(13)}${removal.user} → ${removal.transferTo ?? "no one: the data is lost"}`,
      );
    }
    if (removals > plan.removals.length) lines.push(`    … and ${removals - plan.removals.length} more`);
  }
  return lines;
}

/** The rows to come after this run, earliest first: what a nightly file will do next. */
export function describeUpcoming(count: number, rows: readonly UpcomingRow[]): string[] {
  if (count === 0) return [];
  const lines = [`  scheduled for later ${count} (nothing is sent for them now); the next:`];
  for (const row of rows) {
    lines.push(`    ${row.when.padEnd(40)} ${row.action.padEnd(13)}${row.user} (line ${row.line})`);
  }
  if (count > rows.length) lines.push(`    … and ${count - rows.length} more`);
  return lines;
}

/**
 * What the person must type to go on: the number of removals when there are any (nothing can take those back),
 * else of deactivations, else of all changes. A number, not "y", makes them read the plan.
 */
export function confirmationWord(plan: Plan): { answer: string; what: string } {
  const removals = plan.changes.delete + plan.changes.disassociate;
  const counted = (n: number, word: string): string => `${n} ${word}${n === 1 ? "" : "s"}`;
  if (removals > 0) return { answer: String(removals), what: counted(removals, "deletion") };
  if (plan.changes.deactivate > 0) {
    return {
      answer: String(plan.changes.deactivate),
      what: counted(plan.changes.deactivate, "deactivation"),
    };
  }
  const all = Object.values(plan.changes).reduce((sum, count) => sum + count, 0);
  if (plan.changes.activate === all) return { answer: String(all), what: counted(all, "activation") };
  return { answer: String(all), what: counted(all, "change") };
}
