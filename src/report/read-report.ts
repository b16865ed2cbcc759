import { createReadStream } from "node:fs";
import { open } from "node:fs/promises";
import { CsvError, parse } from "csv-parse";
import { OffboardError } from "../domain/errors.js";
import { OUTCOMES, type Outcome } from "../domain/outcomes.js";
import type { ReportRow } from "../domain/report-row.js";
import { FIRST_REPORT_COLUMNS, REPORT_COLUMNS, unescapeFormula } from "./format-row.js";

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
  const wholeBytes = await bytesUpToLastNewline(path);
  const rows: ReadReportRow[] = [];
  let truncated = wholeBytes.truncated;
  if (wholeBytes.length === 0) throw unreadable(path, 1, "it is empty: not a zoom-offboard report");

  let header = true;
  /** How many columns this report's layout has: an older report has no transfer_to. */
  let columns: number = REPORT_COLUMNS.length;
  // csv-parse's info.lines is where a record ends; it starts on the line after the previous one ended.
  const pending: Array<{ record: string[]; line: number }> = [];
  let previousEnd = 1;
  // 'data' events deliver each record as soon as it is parsed, so the rows before a damaged end are kept even
  // when the parser fails at the very end (an async iterator would throw before handing them over).
  const failure = await new Promise<unknown>((resolve) => {
    const parser = parse({ relax_column_count: true, info: true, bom: true });
    parser.on("data", ({ record, info }: { record: string[]; info: { lines: number } }) => {
      if (header) {
        header = false;
        columns = LAYOUTS.find((layout) => layout.join(",") === record.join(","))?.length ?? 0;
        if (columns === 0) {
          parser.destroy(
            unreadable(path, 1, `its columns are not a zoom-offboard report's (${REPORT_COLUMNS.join(",")})`),
          );
        }
        return;
      }
      pending.push({ record, line: previousEnd + 1 });
      previousEnd = info.lines;
    });
    parser.on("error", resolve);
    parser.on("end", () => resolve(undefined));
    const source = createReadStream(path, { end: wholeBytes.length - 1 });
    source.on("error", (error) => parser.destroy(error));
    source.pipe(parser);
  });
  if (failure !== undefined) {
    if (failure instanceof OffboardError) throw failure;
    // A crash in the middle of a quoted field leaves an open quote at the very end: that row is lost, not the file.
    if (!(failure instanceof CsvError && failure.code === "CSV_QUOTE_NOT_CLOSED")) {
      throw unreadable(path, undefined, failure instanceof Error ? failure.message : String(failure));
    }
    truncated = true;
  }
  if (header) throw unreadable(path, 1, "it has no header: not a zoom-offboard report");

  pending.forEach(({ record, line }, index) => {
    if (record.length !== columns && index === pending.length - 1) {
      truncated = true;
      return;
    }
    rows.push({ ...toRow(record, columns, path, line), fileLine: line });
  });
  return { rows, truncated };
}

function toRow(record: string[], columns: number, path: string, line: number): ReportRow {
  if (record.length !== columns) {
    throw unreadable(path, line, `expected ${columns} fields, found ${record.length}`);
  }
  const cells = record.map(unescapeFormula);
  const cell = (index: number): string => cells[index] ?? "";
  const [lineText, userId, action, outcome, httpStatus, zoomCode, message, attempts, trackingId, finishedAt] =
    [0, 1, 2, 3, 4, 5, 6, 7, 8, 9].map(cell) as [
      string,
      string,
      string,
      string,
      string,
      string,
      string,
      string,
      string,
      string,
    ];
  const transferTo = cell(10);
  const inputLine = Number(lineText);
  const finished = new Date(finishedAt);
  if (!Number.isInteger(inputLine) || inputLine < 2)
    throw unreadable(path, line, `bad line number "${lineText}"`);
  if (!OUTCOME_SET.has(outcome)) throw unreadable(path, line, `unknown outcome "${outcome}"`);
  if (Number.isNaN(finished.getTime())) throw unreadable(path, line, `bad finished_at "${finishedAt}"`);
  return {
    line: inputLine,
    userId,
    action,
    outcome: outcome as Outcome,
    httpStatus: httpStatus === "" ? undefined : Number(httpStatus),
    zoomCode: zoomCode === "" ? undefined : /^\d+$/.test(zoomCode) ? Number(zoomCode) : zoomCode,
    message,
    attempts: attempts === "" ? 0 : Number(attempts),
    trackingId: trackingId === "" ? undefined : trackingId,
    finishedAt: finished,
    transferTo: transferTo === "" ? undefined : transferTo,
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
