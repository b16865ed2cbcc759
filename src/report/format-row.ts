import { stringify } from "csv-stringify/sync";
import { oneLine, type ReportRow } from "../domain/report-row.js";

/** Report columns, in their fixed order: new columns are only ever added at the end. */
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
  "transfer_to",
] as const;

/** The columns before `transfer_to` came: reports written then are read just as well. */
export const FIRST_REPORT_COLUMNS = REPORT_COLUMNS.slice(0, 10);

export type ReportColumn = (typeof REPORT_COLUMNS)[number];

// A spreadsheet runs a cell that starts with one of these as a formula (CSV injection), so such values get a
// leading apostrophe. Tab and carriage return are included because some spreadsheets strip them first.
const FORMULA_START = /^[=+\-@\t\r]/;

export function escapeFormula(value: string): string {
  // = + - @ tab CR, checked by code first: this runs for every cell of every row.
  const first = value.charCodeAt(0);
  return first === 61 || first === 43 || first === 45 || first === 64 || first === 9 || first === 13
    ? `'${value}`
    : value;
}

/** Undo {@link escapeFormula}, for reading our own reports back (resume, undo). */
export function unescapeFormula(value: string): string {
  return value.startsWith("'") && FORMULA_START.test(value.slice(1)) ? value.slice(1) : value;
}

/**
 * Format a row as the report's string cells (in REPORT_COLUMNS order), with formula escaping applied to every value.
 * The report itself is written with reportLine(), which gives the same text.
 */
export function formatRow(row: ReportRow): string[] {
  return [String(row.line), escapeFormula(row.userId), ...tailCells(row)];
}

/** The cells after line and user_id: action to finished_at. */
function tailCells(row: ReportRow): string[] {
  return [
    escapeFormula(row.action),
    row.outcome,
    row.httpStatus === undefined ? "" : String(row.httpStatus),
    row.zoomCode === undefined ? "" : escapeFormula(String(row.zoomCode)),
    escapeFormula(oneLine(row.message)),
    String(row.attempts),
    row.trackingId === undefined ? "" : escapeFormula(row.trackingId),
    isoTime(row.finishedAt),
    row.transferTo === undefined ? "" : escapeFormula(row.transferTo),
  ];
}

/**
 * A formatter of report lines: what csv-stringify writes for formatRow(row), without asking csv-stringify unless a
 * cell needs quoting. It runs once per input row, so it does little per row: only the line number and the user differ
 * from row to row in a big file, and the rest of the line is remembered from the row before. Each report has its own.
 */
export function createLineFormatter(): (row: ReportRow) => string {
  const tails = new LineTails();
  return (row) => {
    const user = escapeFormula(row.userId);
    const tail = tails.of(row);
    if (tail === undefined || needsQuoting(user)) return stringify([formatRow(row)]);
    // Not String(row.line): V8 keeps recent number-to-string results in a cache that the young-generation GC treats
    // as live, so a new string per line number made every scavenge copy thousands of them. toFixed(0) is not cached.
    return `${row.line.toFixed(0)},${user},${tail}`;
  };
}

/**
 * The text of the cells after the user's, and the newline, remembered for the next row: most consecutive rows of a
 * big file share them ("deactivate,would_apply,,,dry run: would be sent,0,,<the same millisecond>"). undefined
 * when one of those cells needs quoting.
 */
class LineTails {
  #action: string | undefined;
  #outcome: string | undefined;
  #httpStatus: number | undefined;
  #zoomCode: number | string | undefined;
  #message: string | undefined;
  #attempts = Number.NaN;
  #trackingId: string | undefined;
  #finishedAtMs = Number.NaN;
  #transferTo: string | undefined;
  #tail: string | undefined;

  of(row: ReportRow): string | undefined {
    const finishedAtMs = row.finishedAt.getTime();
    if (
      finishedAtMs !== this.#finishedAtMs ||
      row.action !== this.#action ||
      row.outcome !== this.#outcome ||
      row.message !== this.#message ||
      row.attempts !== this.#attempts ||
      row.httpStatus !== this.#httpStatus ||
      row.zoomCode !== this.#zoomCode ||
      row.trackingId !== this.#trackingId ||
      row.transferTo !== this.#transferTo
    ) {
      this.#finishedAtMs = finishedAtMs;
      this.#action = row.action;
      this.#outcome = row.outcome;
      this.#message = row.message;
      this.#attempts = row.attempts;
      this.#httpStatus = row.httpStatus;
      this.#zoomCode = row.zoomCode;
      this.#trackingId = row.trackingId;
      this.#transferTo = row.transferTo;
      const cells = tailCells(row);
      this.#tail = cells.some(needsQuoting) ? undefined : `${cells.join(",")}\n`;
    }
    return this.#tail;
  }
}

/**
 * Whether csv-stringify (default options) quotes a cell: it holds the delimiter, a quote, CR or LF. A loop rather
 * than a regular expression: this runs for several cells of every row.
 */
export function needsQuoting(cell: string): boolean {
  for (let i = 0; i < cell.length; i++) {
    const code = cell.charCodeAt(i);
    if (code === 44 || code === 34 || code === 10 || code === 13) return true;
  }
  return false;
}

/** ISO-8601 UTC; a row's finished_at. */
function isoTime(date: Date): string {
  return date.toISOString();
}
