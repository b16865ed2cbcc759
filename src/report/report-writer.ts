import { closeSync, fsyncSync, writeSync } from "node:fs";
import { stringify } from "csv-stringify/sync";
import { OffboardError } from "../domain/errors.js";
import type { ReportRow } from "../domain/report-row.js";
import { createLineFormatter, REPORT_COLUMNS } from "./format-row.js";
import { createPrivateFile } from "./private-file.js";
import { sortReportFile } from "./sort-report.js";

export interface ReportWriter {
  readonly path: string;
  /**
   * Add a finished row. `durable` rows (decided by Zoom) are written to the file at once, so that a crash or
   * `kill -9` right after can lose at most the row being decided; rows decided offline are batched for speed.
   */
  add(row: ReportRow, options?: { durable?: boolean }): void;
  /** Write what is buffered. */
  flush(): void;
  /** Flush, fsync and close. Safe to call twice. */
  close(): void;
  /**
   * The run decided every row: close, and if rows finished out of input order (rows in flight finish as Zoom
   * answers them), rewrite the file in input order. A crash before this leaves every finished row on disk.
   */
  finish(): Promise<void>;
  readonly rowsWritten: number;
}

// Offline rows (invalid, duplicate, dry-run) are cheap to recompute on resume, so we batch them: one write
// syscall per this many rows keeps a million-row dry run fast.
const BATCH_ROWS = 512;

/**
 * Create the report file (refusing to overwrite one: an earlier report is an audit record) with mode 0600,
 * because it holds people's emails, and write the header.
 */
export function createReportWriter(path: string): ReportWriter {
  const fd = createPrivateFile(path, "report", "--report");

  // Lines joined once per write: appending them to one string made an intermediate string per row.
  let pending: string[] = [];
  let rowsWritten = 0;
  let closed = false;
  let lastLine = 0;
  const reportLine = createLineFormatter();
  let inOrder = true;

  const write = (text: string): void => {
    try {
      writeSync(fd, text);
    } catch (error) {
      throw new OffboardError(
        "REPORT_UNWRITABLE",
        `cannot write the report ${path}: ${(error as Error).message}`,
        {
          cause: error,
        },
      );
    }
  };

  write(stringify([[...REPORT_COLUMNS]]));

  const close = (): void => {
    if (closed) return;
    flush();
    closed = true;
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  };

  const flush = (): void => {
    if (pending.length === 0 || closed) return;
    const text = pending.join("");
    rowsWritten += pending.length;
    pending = [];
    write(text);
  };

  return {
    path,
    get rowsWritten() {
      return rowsWritten + pending.length;
    },
    add(row, options) {
      if (closed) throw new OffboardError("REPORT_UNWRITABLE", `the report ${path} is already closed`);
      if (row.line < lastLine) inOrder = false;
      lastLine = row.line;
      pending.push(reportLine(row));
      if (options?.durable === true || pending.length >= BATCH_ROWS) flush();
    },
    flush,
    close,
    async finish() {
      close();
      if (!inOrder) await sortReportFile(path);
    },
  };
}
