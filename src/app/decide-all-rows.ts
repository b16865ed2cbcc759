import { realpathSync } from "node:fs";
import type { Logger } from "pino";
import type { ReportRow } from "../domain/report-row.js";
import type { StopControl } from "../domain/stop.js";
import { VERSION } from "../domain/version.js";
import { openInput } from "../input/open-input.js";
import { createPreviewSamples, PREVIEW_ROWS_PER_OUTCOME } from "../report/preview.js";
import { createReportWriter, type ReportWriter } from "../report/report-writer.js";
import { createOutcomeTally, type OutcomeTally } from "../report/tally.js";
import { writeRunMeta } from "../resume/run-meta.js";
import type { PreparedRun } from "./prepare-run.js";
import type { RunOptions } from "./run-options.js";
import { type RowDecider, runRows } from "./run-rows.js";

export interface DecidedRows {
  tally: OutcomeTally;
  preview: ReturnType<typeof createPreviewSamples>;
  carriedOver: number;
  /** Changes Zoom accepted in this run (not carried over). */
  applied: number;
  /** When the last row that sent a request was decided (epoch ms). */
  lastDecisionAt: number | undefined;
}

export interface RowsDeps {
  logger: Logger;
  stop: StopControl;
  now: () => number;
  onRow?: ((row: ReportRow, carried: boolean) => void) | undefined;
  onReportOpened?: ((report: ReportWriter) => void) | undefined;
}

/**
 * The second pass over the file: open the report (and its metadata, before the first change), decide every row
 * through `decider`, write each one as it is decided, and put the finished report in input order.
 */
export async function decideAllRows(
  options: RunOptions,
  prepared: PreparedRun,
  decider: RowDecider,
  maxRowsInFlight: number,
  startedAt: number,
  deps: RowsDeps,
): Promise<DecidedRows> {
  const { scan, resume, reportPath } = prepared;
  const report = createReportWriter(reportPath);
  deps.onReportOpened?.(report);
  const decided: DecidedRows = {
    tally: createOutcomeTally(),
    preview: createPreviewSamples(PREVIEW_ROWS_PER_OUTCOME),
    carriedOver: 0,
    applied: 0,
    lastDecisionAt: undefined,
  };
  let checksum: string;
  try {
    writeRunMeta(reportPath, {
      tool: "zoom-offboard",
      version: VERSION,
      input: options.inputLabel ?? options.inputPath,
      input_realpath: realpathSync(options.inputPath),
      input_sha256: scan.checksum,
      started_at: new Date(startedAt).toISOString(),
      resumed_from: resume?.from ?? null,
      dry_run: options.dryRun,
    });
    const second = await openInput(options.inputPath);
    await runRows({
      scan,
      batches: second.batches,
      decider,
      report,
      stop: deps.stop,
      maxRowsInFlight,
      now: deps.now,
      carried: resume?.carried,
      extraRows: options.extraRows,
      onRow: (row, carried) => {
        decided.tally.add(row);
        decided.preview.add(row);
        if (carried) decided.carriedOver += 1;
        else if (row.attempts > 0) {
          decided.lastDecisionAt = deps.now();
          if (row.outcome === "applied") decided.applied += 1;
        }
        deps.onRow?.(row, carried);
      },
    });
    checksum = second.checksum();
    await report.finish();
  } finally {
    report.close();
  }
  if (checksum !== scan.checksum) {
    deps.logger.error(
      { input: options.inputPath },
      "the input file changed while the run was going: the report follows the file as read the second time",
    );
  }
  return decided;
}
