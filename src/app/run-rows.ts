import type { Action } from "../domain/actions.js";
import type { Outcome } from "../domain/outcomes.js";
import type { ReportRow } from "../domain/report-row.js";
import type { StopControl } from "../domain/stop.js";
import type { InputRecord } from "../input/open-input.js";
import type { RowVerdict, ScanResult } from "../input/scan-input.js";
import type { ReportWriter } from "../report/report-writer.js";
import { createBounded } from "../send/bounded.js";
import type { RowResult } from "../send/row-result.js";

/** How rows that pass the checks are decided. */
export type RowDecider =
  /** Offline dry run: nothing is sent; a valid row would be. */
  | { kind: "offline" }
  /** Send (or look up) through Zoom; the function never throws for a row's failure. */
  | { kind: "zoom"; decide: (user: string, action: Action) => Promise<RowResult> };

export interface RunRowsOptions {
  scan: ScanResult;
  /** The second pass over the same file, in batches (OpenedInput.batches). */
  batches: AsyncIterable<readonly InputRecord[]>;
  decider: RowDecider;
  report: ReportWriter;
  stop: StopControl;
  /** Rows being decided at once; the reader waits while this many are open, so memory stays flat. */
  maxRowsInFlight: number;
  /** Epoch milliseconds: when a row finished. */
  now: () => number;
  /**
   * `--resume`: the earlier run's row for a record whose outcome there was final. Such a row is written as given
   * and costs no request.
   */
  carried?: (record: InputRecord, verdict: RowVerdict) => ReportRow | undefined;
  /** `carried` is true for rows copied from an earlier report. */
  onRow?: (row: ReportRow, carried: boolean) => void;
}

/**
 * The second pass: every input row gets exactly one report row. Rows the checks settle (invalid, duplicate,
 * conflict) are written at once; the rest are decided through Zoom, a bounded number at a time.
 */
export async function runRows(options: RunRowsOptions): Promise<void> {
  const { scan, decider, report, stop } = options;
  // Backpressure: the reader waits for a slot rather than queueing the rest of the file in memory.
  const inFlight = createBounded(options.maxRowsInFlight);
  let writeError: unknown;

  const finish = (row: ReportRow, durable: boolean, carried = false): void => {
    report.add(row, { durable });
    options.onRow?.(row, carried);
  };

  // Rows finished in the same millisecond (thousands of them when the checks settle them) share one Date; no one
  // changes a row's Date once it is made.
  let finishedAt = new Date(Number.NaN);
  const finishedNow = (): Date => {
    const ms = options.now();
    if (ms !== finishedAt.getTime()) finishedAt = new Date(ms);
    return finishedAt;
  };
  // Rows the checks settle take the clock as read when their batch came in (or after the last wait): the rows of a
  // batch are settled within a millisecond or two, and reading the clock per row cost more than building the row.
  let settledAt = finishedAt;

  // Built field by field rather than by spreading a base object: this runs for every row of a million-row file.
  const settledRow = (record: InputRecord, action: string, outcome: Outcome, message: string): ReportRow => ({
    line: record.line,
    userId: record.user ?? "",
    action,
    outcome,
    message,
    attempts: 0,
    finishedAt: settledAt,
  });
  const settled = (record: InputRecord, verdict: RowVerdict): ReportRow | undefined => {
    switch (verdict.kind) {
      case "invalid":
        return settledRow(record, verdict.action, "invalid", verdict.reason);
      case "duplicate":
        return settledRow(record, verdict.action, "duplicate", verdict.reason);
      case "conflict":
        return settledRow(record, verdict.action, "conflict", verdict.reason);
      case "send":
        if (decider.kind === "offline") {
          return settledRow(record, verdict.action, "would_apply", "dry run: would be sent");
        }
        if (stop.stopped) {
          return settledRow(record, verdict.action, "not_attempted", "run stopped before this row");
        }
        return undefined;
    }
  };

  for await (const batch of options.batches) {
    settledAt = finishedNow();
    for (const record of batch) {
      const verdict = scan.verdict(record);
      const earlier = options.carried?.(record, verdict);
      if (earlier !== undefined) {
        // Durable like a Zoom row: if this run crashes and is resumed from ITS report, a carried row that never
        // reached the disk would look undecided and be sent again.
        finish(earlier, verdict.kind === "send", true);
        continue;
      }
      const row = settled(record, verdict);
      if (row !== undefined) {
        finish(row, false);
        continue;
      }
      if (verdict.kind !== "send" || decider.kind !== "zoom") continue; // settled() covers every other case
      await inFlight.run(async () => {
        try {
          let result: RowResult;
          try {
            result = await decider.decide(verdict.user, verdict.action);
          } catch (error) {
            // decide() turns everything Zoom does into an outcome; reaching here is our bug, and the row
            // must still be reported rather than lost.
            result = { outcome: "failed", message: `internal error: ${errorText(error)}`, attempts: 0 };
          }
          finish(
            {
              line: record.line,
              userId: verdict.user,
              action: verdict.action,
              ...result,
              finishedAt: finishedNow(),
            },
            true,
          );
        } catch (error) {
          writeError ??= error;
          stop.stop({ kind: "systemic", message: `cannot write the report: ${errorText(error)}` });
        }
      });
      settledAt = finishedNow();
    }
  }

  // Let every open row finish; nothing new starts once the reader is done.
  await inFlight.drain();
  if (writeError !== undefined) throw writeError;
  report.flush();
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
