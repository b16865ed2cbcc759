import type { Dispatcher } from "undici";
import { type RowDecider, runBatch } from "./batch/run-batch.js";
import { describeStop, type StopControl } from "./batch/stop-control.js";
import { openZoomSession, type ZoomSession } from "./batch/zoom-session.js";
import type { RunConfig } from "./cli/run-config.js";
import { FREE_DAILY_LIGHT_LIMIT } from "./config/tiers.js";
import type { ReportRow } from "./domain.js";
import { OffboardError } from "./errors.js";
import { openInput } from "./input/open-input.js";
import { type ScanResult, scanInput } from "./input/scan-input.js";
import type { Logger } from "./log/logger.js";
import { defaultReportPath } from "./report/default-path.js";
import { createReportWriter } from "./report/report-writer.js";
import { createOutcomeTally, exitCodeFor, type RunSummary } from "./report/summary.js";

/** Effects the pipeline needs, built at the edge (the CLI) or by a test. */
export interface OffboardDeps {
  logger: Logger;
  dispatcher: Dispatcher;
  stop: StopControl;
  now: () => number;
  random: () => number;
  sleep: (ms: number, signal: AbortSignal) => Promise<void>;
  /** Told the plan once the file is checked (the progress bar's total). */
  onPlan?: (scan: ScanResult) => void;
  onRow?: (row: ReportRow) => void;
}

/**
 * One `run`: check the whole file, then (unless it is an offline dry run) get a token, open the report and
 * decide every row through the rate limiter. Throws only for run-level problems found before anything was sent
 * (usage, configuration, unreadable input, refused credentials, unwritable report): the CLI exits 2 for those.
 */
export async function runOffboard(config: RunConfig, deps: OffboardDeps): Promise<RunSummary> {
  const { logger, stop } = deps;
  const startedAt = deps.now();

  const scan = await scanInput(config.inputPath, { defaultAction: config.defaultAction });
  if (scan.layout.actionColumn === undefined && config.defaultAction === undefined) {
    throw new OffboardError(
      "USAGE",
      `${config.inputPath} has no action column (action or status_action): add one, or pass --action deactivate`,
    );
  }
  logger.info(
    {
      input: config.inputPath,
      rows: scan.dataRows,
      toDeactivate: scan.counts.deactivate,
      toActivate: scan.counts.activate,
      invalid: scan.counts.invalid,
      duplicate: scan.counts.duplicate,
      conflict: scan.counts.conflict,
      userColumn: scan.layout.userColumn,
      delimiter: scan.layout.delimiter,
    },
    "input checked",
  );
  deps.onPlan?.(scan);
  if (config.tier === "free" && scan.counts.send > FREE_DAILY_LIGHT_LIMIT) {
    logger.warn(
      { rows: scan.counts.send, dailyLimit: FREE_DAILY_LIGHT_LIMIT },
      "more changes than the Free plan's daily Light limit: the run will stop at the limit (exit 3); run it again after 00:00 UTC",
    );
  }

  let decider: RowDecider = { kind: "offline" };
  let session: ZoomSession | undefined;
  let lastDecisionAt: number | undefined;
  if (!config.dryRun) {
    // Before the report exists: refused credentials are a configuration error and nothing is written.
    session = await openZoomSession(config, deps);
    decider = { kind: "zoom", decide: session.sendStatus };
  }

  const reportPath = config.reportPath ?? defaultReportPath(config.inputPath, new Date(startedAt));
  const report = createReportWriter(reportPath);
  const tally = createOutcomeTally();
  let checksum: string;
  try {
    const second = await openInput(config.inputPath);
    await runBatch({
      scan,
      records: second.records,
      decider,
      report,
      stop,
      // Rows waiting out a backoff hold a slot but no request, so allow more rows than requests in flight.
      maxRowsInFlight: Math.max(16, config.concurrency * 2),
      now: () => new Date(deps.now()),
      onRow: (row) => {
        tally.add(row);
        if (row.attempts > 0) lastDecisionAt = deps.now();
        deps.onRow?.(row);
      },
    });
    checksum = second.checksum();
  } finally {
    report.close();
    await session?.close();
  }
  if (checksum !== scan.checksum) {
    logger.error(
      { input: config.inputPath },
      "the input file changed while the run was going: the report follows the file as read the second time",
    );
  }

  const finishedAt = deps.now();
  const firstRequestAt = session?.counters.firstRequestAt;
  const sendingMs =
    firstRequestAt !== undefined && lastDecisionAt !== undefined
      ? Math.max(1, lastDecisionAt - firstRequestAt)
      : 0;
  const reason = stop.reason;
  const summary: RunSummary = {
    outcomes: tally.counts,
    rows: tally.rows,
    exit_code: exitCodeFor(tally.counts, reason !== undefined),
    report: reportPath,
    input: config.inputPath,
    dry_run: config.dryRun,
    duration_ms: finishedAt - startedAt,
    rate_rps: sendingMs === 0 ? 0 : Number(((tally.counts.applied * 1000) / sendingMs).toFixed(2)),
    requests: session?.counters.statusRequests ?? 0,
    rate_limited: session?.counters.rateLimited ?? 0,
    rps_limit: config.rps,
    stopped_early: reason !== undefined,
    stop_reason: reason === undefined ? null : describeStop(reason),
  };
  logger.info(
    { outcomes: summary.outcomes, exitCode: summary.exit_code, report: reportPath },
    "run finished",
  );
  return summary;
}
