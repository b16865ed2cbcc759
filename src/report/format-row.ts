import type { ReportRow } from "../domain.js";

/** Report columns, in the order SPEC §4 fixes. */
export const REPORT_COLUMNS = [
  "line",
  "user_id",
  "action",
  "outcome",
  "http_status",
  "zoom_code",
  "message",
  "attempts",
  "tracking_id",
  "finished_at",
] as const;

export type ReportColumn = (typeof REPORT_COLUMNS)[number];

// A spreadsheet runs a cell that starts with one of these as a formula (CSV injection), so such values get a
// leading apostrophe. Tab and carriage return are included because some spreadsheets strip them first.
const FORMULA_START = /^[=+\-@\t\r]/;

export function escapeFormula(value: string): string {
  return FORMULA_START.test(value) ? `'${value}` : value;
}

/** Undo {@link escapeFormula}, for reading our own reports back (resume, undo). */
export function unescapeFormula(value: string): string {
  return value.startsWith("'") && FORMULA_START.test(value.slice(1)) ? value.slice(1) : value;
}

/** One line of text: a report row is read by people in a spreadsheet and by `grep`. */
export function oneLine(text: string): string {
  return text.replace(/[\r\n\t]+/g, " ").trim();
}

/** Format a row as the report's string cells, with formula escaping applied to every value. */
export function formatRow(row: ReportRow): string[] {
  const cells: Record<ReportColumn, string> = {
    line: String(row.line),
    user_id: row.userId,
    action: row.action,
    outcome: row.outcome,
    http_status: row.httpStatus === undefined ? "" : String(row.httpStatus),
    zoom_code: row.zoomCode === undefined ? "" : String(row.zoomCode),
    message: oneLine(row.message),
    attempts: String(row.attempts),
    tracking_id: row.trackingId ?? "",
    finished_at: row.finishedAt.toISOString(),
  };
  return REPORT_COLUMNS.map((column) => escapeFormula(cells[column]));
}
