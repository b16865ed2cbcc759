import { stringify } from "csv-stringify/sync";
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

/** One line of text: a report row is read by people in a spreadsheet and by `grep`. */
export function oneLine(text: string): string {
  return LINE_BREAK_OR_TAB.test(text) ? text.replace(/[\r\n\t]+/g, " ").trim() : text.trim();
}
const LINE_BREAK_OR_TAB = /[\r\n\t]/;

/**
 * Format a row as the report's string cells (in REPORT_COLUMNS order), with formula escaping applied to every value.
 * Runs once per input row (a million times for a big dry run), hence the flat code and the cached timestamp.
 */
export function formatRow(row: ReportRow): string[] {
  return [
    String(row.line),
    escapeFormula(row.userId),
    escapeFormula(row.action),
    row.outcome,
    row.httpStatus === undefined ? "" : String(row.httpStatus),
    row.zoomCode === undefined ? "" : escapeFormula(String(row.zoomCode)),
    escapeFormula(oneLine(row.message)),
    String(row.attempts),
    row.trackingId === undefined ? "" : escapeFormula(row.trackingId),
    isoTime(row.finishedAt),
  ];
}

/**
 * The report line of a row: what csv-stringify writes for formatRow(row), built without the array of cells and
 * without asking csv-stringify unless a cell needs quoting. Runs once per input row. Only the cells that carry
 * text from the file or from Zoom can need quoting; the line, outcome, numbers and the time never do.
 */
export function reportLine(row: ReportRow): string {
  const user = escapeFormula(row.userId);
  actionCells.set(row.action);
  messageCells.set(row.message);
  const zoomCode = row.zoomCode === undefined ? "" : escapeFormula(String(row.zoomCode));
  const trackingId = row.trackingId === undefined ? "" : escapeFormula(row.trackingId);
  if (
    needsQuoting(user) ||
    actionCells.quoted ||
    messageCells.quoted ||
    needsQuoting(zoomCode) ||
    needsQuoting(trackingId)
  ) {
    return stringify([formatRow(row)]);
  }
  const httpStatus = row.httpStatus === undefined ? "" : String(row.httpStatus);
  // join() builds the line in one piece; a template or `+` makes an intermediate string per cell and comma.
  const cells = [
    // Not String(): V8 keeps recent number-to-string results in a cache that the young-generation GC treats as
    // live, so a new string per line number made every scavenge copy thousands of them. toFixed(0) is not cached.
    row.line.toFixed(0),
    user,
    actionCells.cell,
    row.outcome,
    httpStatus,
    zoomCode,
    messageCells.cell,
    row.attempts,
    trackingId,
    isoTime(row.finishedAt),
  ];
  return `${cells.join(",")}\n`;
}

/**
 * The cell of the value given last, and whether it needs quoting, worked out again only when the value changes:
 * most rows of a big file carry the same action and message as the row before ("dry run: would be sent").
 */
class CellMemo {
  readonly #format: (value: string) => string;
  #value: string | undefined;
  cell = "";
  quoted = false;

  constructor(format: (value: string) => string) {
    this.#format = format;
  }

  set(value: string): void {
    if (value === this.#value) return;
    this.#value = value;
    this.cell = this.#format(value);
    this.quoted = needsQuoting(this.cell);
  }
}

const actionCells = new CellMemo(escapeFormula);
const messageCells = new CellMemo((message) => escapeFormula(oneLine(message)));

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

// Rows decided in the same millisecond (thousands of them in a dry run) share one string.
let lastTimeMs = Number.NaN;
let lastIso = "";
function isoTime(date: Date): string {
  const ms = date.getTime();
  if (ms !== lastTimeMs) {
    lastTimeMs = ms;
    lastIso = date.toISOString();
  }
  return lastIso;
}
