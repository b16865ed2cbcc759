import { chmodSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { stringify } from "csv-stringify/sync";
import { ACTIONS, type Action } from "../../domain/actions.js";
import { OffboardError } from "../../domain/errors.js";
import type { ReadReportRow } from "../../report/read-report.js";

const REVERSE: Record<Action, Action> = { activate: "deactivate", deactivate: "activate" };

/**
 * The input an undo runs: one row per `applied` row of the report, with the action reversed, placed on the
 * same line as in the report (blank lines elsewhere, which the reader skips) — so the undo's own report names
 * lines of the report being undone. Pure.
 */
export function undoInputText(rows: readonly ReadReportRow[]): { text: string; rows: number } {
  const lines: string[] = ["user_id,action"];
  let count = 0;
  for (const row of rows) {
    if (row.outcome !== "applied") continue;
    const action = ACTIONS.find((candidate) => candidate === row.action);
    if (action === undefined) continue;
    while (lines.length < row.fileLine - 1) lines.push("");
    lines.push(stringify([[row.userId, REVERSE[action]]]).trimEnd());
    count += 1;
  }
  return { text: `${lines.join("\n")}\n`, rows: count };
}

/** Write the undo input to a private temporary file; the caller runs it like any input. */
export function writeUndoInput(
  reportPath: string,
  rows: readonly ReadReportRow[],
): { path: string; rows: number } {
  const { text, rows: count } = undoInputText(rows);
  if (count === 0) {
    throw new OffboardError(
      "REPORT_UNREADABLE",
      `${reportPath}: no row of this report is applied: nothing to undo`,
    );
  }
  const path = join(mkdtempSync(join(tmpdir(), "zoom-offboard-undo-")), "undo-input.csv");
  writeFileSync(path, text, { mode: 0o600 });
  chmodSync(path, 0o600);
  return { path, rows: count };
}
