import { open } from "node:fs/promises";
import { CsvError } from "csv-parse";
import { OffboardError } from "../domain/errors.js";
import { OUTCOMES, type Outcome } from "../domain/outcomes.js";
import type { ReportRow } from "../domain/report-row.js";
import { FIRST_REPORT_COLUMNS, REPORT_COLUMNS, unescapeFormula } from "./format-row.js";
import { parseQuoted, readRecords } from "./report-records.js";

/** A row read back, with the line of the report file where it starts. */
export interface ReadReportRow extends ReportRow {
  fileLine: number;
}

export interface ReadReport {
  rows: ReadReportRow[];
  /** The file ended in the middle of a row (a crash while writing it); that row was left out. */
  truncated: boolean;
}

const OUTCOME_SET: ReadonlySet<string> = new Set(OUTCOMES);
/** The layouts a report may have: today's, and the one before transfer_to. */
const LAYOUTS: readonly (readonly string[])[] = [REPORT_COLUMNS, FIRST_REPORT_COLUMNS];

/**
 * Read one of our own reports back (for undo and resume). Refuses files that are not ours (other columns),
 * and reads a file cut short by a crash up to its last whole row.
 */
export async function readReportFile(path: string): Promise<ReadReport> {
  const rows: ReadReportRow[] = [];
  const { truncated } = await readReportRows(path, (row) => rows.push(row));
  return { rows, truncated };
}

/**
 * The same, one row at a time and in file order, holding none of them: for the page of a report of any size.
 * A file that is not a report throws before the first row is handed over.
 */
export async function readReportRows(
  path: string,
  onRow: (row: ReadReportRow) => void,
): Promise<{ truncated: boolean }> {
  const wholeBytes = await bytesUpToLastNewline(path);
  let truncated = wholeBytes.truncated;
  if (wholeBytes.length === 0) throw unreadable(path, 1, "it is empty: not a zoom-offboard report");

  /** How many columns this report's layout has (an older report has no transfer_to); 0 before the header. */
  let columns = 0;
  // The last record is held back until the next arrives: a short last record is a crash's cut, not damage.
  let held: { record: string[]; line: number } | undefined;
  let openAtEnd: string | undefined;
  const dateOf = timeReader();
  try {
    ({ openAtEnd } = await readRecords(path, wholeBytes.length, (record, line) => {
      if (columns === 0) {
        columns = LAYOUTS.find((layout) => layout.join(",") === record.join(","))?.length ?? 0;
        if (columns === 0) {
          throw unreadable(
            path,
            1,
            `its columns are not a zoom-offboard report's (${REPORT_COLUMNS.join(",")})`,
          );
        }
        return;
      }
      if (held !== undefined) onRow(toRow(held.record, columns, path, held.line, dateOf));
      held = { record, line };
    }));
  } catch (error) {
    if (error instanceof OffboardError) throw error;
    throw unreadable(path, undefined, error instanceof Error ? error.message : String(error));
  }
  if (openAtEnd !== undefined) {
    // A crash in the middle of a quoted field leaves an open quote at the very end: that row is lost, not the file.
    try {
      parseQuoted(openAtEnd);
    } catch (error) {
      if (!(error instanceof CsvError && error.code === "CSV_QUOTE_NOT_CLOSED")) {
        throw unreadable(path, undefined, error instanceof Error ? error.message : String(error));
      }
    }
    truncated = true;
  }
  if (columns === 0) throw unreadable(path, 1, "it has no header: not a zoom-offboard report");
  if (held !== undefined) {
    if (held.record.length === columns) {
      onRow(toRow(held.record, columns, path, held.line, dateOf));
    } else {
      truncated = true;
    }
  }
  return { truncated };
}

function toRow(
  record: string[],
  columns: number,
  path: string,
  line: number,
  dateOf: (text: string) => Date,
): ReadReportRow {
  if (record.length !== columns) {
    throw unreadable(path, line, `expected ${columns} fields, found ${record.length}`);
  }
  const cell = (index: number): string => unescapeFormula(record[index] ?? "");
  const lineText = cell(0);
  const outcome = cell(3);
  const httpStatus = cell(4);
  const zoomCode = cell(5);
  const attempts = cell(7);
  const trackingId = cell(8);
  const finishedAt = cell(9);
  const transferTo = cell(10);
  const inputLine = Number(lineText);
  const finished = dateOf(finishedAt);
  if (!Number.isInteger(inputLine) || inputLine < 2)
    throw unreadable(path, line, `bad line number "${lineText}"`);
  if (!OUTCOME_SET.has(outcome)) throw unreadable(path, line, `unknown outcome "${outcome}"`);
  if (Number.isNaN(finished.getTime())) throw unreadable(path, line, `bad finished_at "${finishedAt}"`);
  return {
    line: inputLine,
    userId: cell(1),
    action: cell(2),
    outcome: outcome as Outcome,
    httpStatus: httpStatus === "" ? undefined : Number(httpStatus),
    zoomCode: zoomCode === "" ? undefined : /^\d+$/.test(zoomCode) ? Number(zoomCode) : zoomCode,
    message: cell(6),
    attempts: attempts === "" ? 0 : Number(attempts),
    trackingId: trackingId === "" ? undefined : trackingId,
    finishedAt: finished,
    transferTo: transferTo === "" ? undefined : transferTo,
    fileLine: line,
  };
}

/**
 * A reader of finished_at for one file: rows decided in the same millisecond (a big file's offline rows) share
 * the text, parsed once rather than per row.
 */
function timeReader(): (text: string) => Date {
  let lastText = "";
  let lastMs = Number.NaN;
  return (text) => {
    if (text !== lastText) {
      lastText = text;
      lastMs = Date.parse(text);
    }
    return new Date(lastMs);
  };
}

/** Length of the file up to and including its last "\n", and whether bytes after it were left out. */
async function bytesUpToLastNewline(path: string): Promise<{ length: number; truncated: boolean }> {
  let handle: Awaited<ReturnType<typeof open>>;
  try {
    handle = await open(path, "r");
  } catch (error) {
    throw unreadable(
      path,
      undefined,
      `cannot open: ${(error as NodeJS.ErrnoException).code ?? String(error)}`,
    );
  }
  try {
    const { size } = await handle.stat();
    const chunk = Buffer.alloc(64 * 1024);
    let end = size;
    while (end > 0) {
      const start = Math.max(0, end - chunk.length);
      const { bytesRead } = await handle.read(chunk, 0, end - start, start);
      const index = chunk.subarray(0, bytesRead).lastIndexOf(0x0a);
      if (index >= 0) return { length: start + index + 1, truncated: start + index + 1 < size };
      end = start;
    }
    return { length: 0, truncated: size > 0 };
  } finally {
    await handle.close();
  }
}

function unreadable(path: string, line: number | undefined, reason: string): OffboardError {
  return new OffboardError("REPORT_UNREADABLE", `${path}${line === undefined ? "" : `:${line}`}: ${reason}`);
}
