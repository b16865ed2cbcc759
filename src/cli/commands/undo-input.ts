import { chmodSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { stringify } from "csv-stringify/sync";
import { operationOf } from "../../app/scopes.js";
import { type Action, parseAction, REVERSAL } from "../../domain/actions.js";
import { OffboardError } from "../../domain/errors.js";
import type { ReportRow } from "../../domain/report-row.js";
import type { ReadReportRow } from "../../report/read-report.js";

/** Why Zoom cannot take an action back, in the words of its operation. */
function irreversibleWhy(action: Action): string {
  const { undo } = operationOf(action);
  return undo.kind === "irreversible" ? undo.why : "Zoom has no way back";
}

/**
 * The input an undo runs: one row per `applied` row of the report that can be undone, with the reverse action,
 * placed on the same line as in the report (blank lines elsewhere, which the reader skips) — so the undo's own
 * report names lines of the report being undone. The applied rows nothing can undo (a sign-out, a deletion, a
 * disassociation) come back as report rows of their own, said plainly, with nothing sent for them. Pure.
 */
export function undoInputText(
  rows: readonly ReadReportRow[],
  now: Date,
): { text: string; rows: number; irreversible: ReportRow[] } {
  const lines: string[] = ["user_id,action"];
  const irreversible: ReportRow[] = [];
  let count = 0;
  for (const row of rows) {
    if (row.outcome !== "applied") continue;
    const action = parseAction(row.action);
    if (action === undefined) continue;
    const reverse = REVERSAL[action];
    if (reverse === undefined) {
      irreversible.push({
        line: row.fileLine,
        userId: row.userId,
        action,
        outcome: "irreversible",
        message: `${action} cannot be undone (${irreversibleWhy(action)}): nothing was sent`,
        attempts: 0,
        finishedAt: now,
      });
      continue;
    }
    while (lines.length < row.fileLine - 1) lines.push("");
    lines.push(stringify([[row.userId, reverse]]).trimEnd());
    count += 1;
  }
  return { text: `${lines.join("\n")}\n`, rows: count, irreversible };
}

/** Write the undo input to a private temporary file; the caller runs it like any input. */
export function writeUndoInput(
  reportPath: string,
  rows: readonly ReadReportRow[],
  now: Date,
): { path: string; rows: number; irreversible: ReportRow[] } {
  const { text, rows: count, irreversible } = undoInputText(rows, now);
  if (count === 0 && irreversible.length === 0) {
    throw new OffboardError(
      "REPORT_UNREADABLE",
      `${reportPath}: no row of this report is applied: nothing to undo`,
    );
  }
  const path = join(mkdtempSync(join(tmpdir(), "zoom-offboard-undo-")), "undo-input.csv");
  writeFileSync(path, text, { mode: 0o600 });
  chmodSync(path, 0o600);
  return { path, rows: count, irreversible };
}
