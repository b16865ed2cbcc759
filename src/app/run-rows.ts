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
  /** Offline dry run: nothing is sent; a valid row would be, and `preview` says what it would do. */
  | { kind: "offline"; preview: (row: Extract<RowVerdict, { kind: "send" }>) => string }
  /** Send (or look up) through Zoom; the function never throws for a row's failure. */
  | {
      kind: "zoom";
      decide: (row: Extract<RowVerdict, { kind: "send" }>, line: number) => Promise<RowResult>;
    };

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
  /** Rows decided outside the file, written first (the report is put in line order at the end). */
  extraRows?: readonly ReportRow[] | undefined;
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

  // A user's rows run one at a time in lifecycle order, whatever the order of the lines: a row waits until the
  // user's earlier steps are decided (and holds no slot meanwhile). Only users with several rows are tracked.
  const decidedSteps = new Set<number>();
  const waitingFor = new Map<number, Array<() => void>>();
  const deferred = new Set<Promise<void>>();
  const whenDecided = (line: number): Promise<void> =>
    decidedSteps.has(line)
      ? Promise.resolve()
      : new Promise<void>((resolve) => waitingFor.set(line, [...(waitingFor.get(line) ?? []), resolve]));
  const stepDecided = (line: number): void => {
    decidedSteps.add(line);
    for (const wake of waitingFor.get(line) ?? []) wake();
    waitingFor.delete(line);
  };

  const finish = (row: ReportRow, durable: boolean, carried = false, step = false): void => {
    report.add(row, { durable });
    options.onRow?.(row, carried);
    if (step) stepDecided(row.line);
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
      case "scheduled":
        return settledRow(record, verdict.action, "scheduled", verdict.reason);
      case "superseded":
        return settledRow(record, verdict.action, "superseded", verdict.reason);
      case "send":
        if (decider.kind === "offline") {
          return settledRow(record, verdict.action, "would_apply", decider.preview(verdict));
        }
        if (stop.stopped) {
          return settledRow(record, verdict.action, "not_attempted", "run stopped before this row");
        }
        return undefined;
    }
  };

  for (const row of options.extraRows ?? []) finish(row, true);
  for await (const batch of options.batches) {
    settledAt = finishedNow();
    for (const record of batch) {
      const verdict = scan.verdict(record);
      const earlier = options.carried?.(record, verdict);
      if (earlier !== undefined) {
        // Durable like a Zoom row: if this run crashes and is resumed from ITS report, a carried row that never
        // reached the disk would look undecided and be sent again.
        finish(earlier, verdict.kind === "send", true, verdict.kind === "send" && verdict.sequenced);
        continue;
      }
      const row = settled(record, verdict);
      if (row !== undefined) {
        finish(row, false, false, verdict.kind === "send" && verdict.sequenced);
        continue;
      }
      if (verdict.kind !== "send" || decider.kind !== "zoom") continue; // settled() covers every other case
      const decide = async (): Promise<void> => {
        try {
          let result: RowResult;
          try {
            result = await decider.decide(verdict, record.line);
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
            false,
            verdict.sequenced,
          );
        } catch (error) {
          writeError ??= error;
          stop.stop({ kind: "systemic", message: `cannot write the report: ${errorText(error)}` });
        }
      };
      if (verdict.after.length === 0) await inFlight.run(decide);
      else {
        const waiting = Promise.all(verdict.after.map(whenDecided))
          .then(() => inFlight.run(decide))
          .finally(() => deferred.delete(waiting));
        deferred.add(waiting);
      }
      settledAt = finishedNow();
    }
  }

  // Let every open row finish, the ones waiting for a user's earlier step too; nothing new starts after that.
  while (deferred.size > 0) await Promise.all([...deferred]);
  await inFlight.drain();
  if (writeError !== undefined) throw writeError;
  report.flush();
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
