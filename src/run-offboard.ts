import { createRateLimiter } from "./batch/rate-limiter.js";
import { type RowDecider, runBatch } from "./batch/run-batch.js";
import { describeStop } from "./batch/stop-control.js";
import { openZoomSession, type SessionDeps } from "./batch/zoom-session.js";
import type { RunConfig } from "./cli/run-config.js";
import { FREE_DAILY_LIGHT_LIMIT, MEDIUM_RPS } from "./config/tiers.js";
import type { ReportRow } from "./domain.js";
import { OffboardError } from "./errors.js";
import { openInput } from "./input/open-input.js";
import { type ScanResult, scanInput } from "./input/scan-input.js";
import { checkDeactivations } from "./lookup/guard.js";
import { type Plan, planLookups } from "./lookup/plan.js";
import { EMPTY_PROTECT_LIST, loadProtectList } from "./lookup/protect-list.js";
import { defaultReportPath } from "./report/default-path.js";
import { createPreviewSamples, PREVIEW_ROWS_PER_OUTCOME } from "./report/preview.js";
import { createReportWriter } from "./report/report-writer.js";
import { createOutcomeTally, exitCodeFor, type RunSummary } from "./report/summary.js";

/** Effects the pipeline needs, built at the edge (the CLI) or by a test. */
export interface OffboardDeps extends SessionDeps {
  /** Told the plan once the file is checked and confirmed (the progress bar's total). */
  onPlan?: (scan: ScanResult) => void;
  /**
   * Asked before the first change when a person is at the terminal (and --yes was not given); resolves true to
   * go on. Absent: no question (a scheduler with --yes, a test).
   */
  confirm?: (plan: Plan) => Promise<boolean>;
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
  if (config.tier === "free" && scan.counts.send > FREE_DAILY_LIGHT_LIMIT) {
    logger.warn(
      { rows: scan.counts.send, dailyLimit: FREE_DAILY_LIGHT_LIMIT },
      "more changes than the Free plan's daily Light limit: the run will stop at the limit (exit 3); run it again after 00:00 UTC",
    );
  }

  // Read before anything is sent: a protect list that cannot be read is a configuration error (exit 2).
  const protect =
    config.protectPath === undefined ? EMPTY_PROTECT_LIST : await loadProtectList(config.protectPath);

  // A real run always talks to Zoom; a dry run only when it has credentials (or --simulate) and may look up.
  const talksToZoom = !config.dryRun || (config.credentials !== undefined && config.lookup !== "none");
  // Before the report exists: refused credentials are a configuration error and nothing is written.
  const session = talksToZoom ? await openZoomSession(config, deps) : undefined;
  const mediumLimiter =
    session === undefined
      ? undefined
      : createRateLimiter({ rps: MEDIUM_RPS[config.tier], concurrency: 3, logger });
  if (mediumLimiter !== undefined) stop.onStop(() => mediumLimiter.halt());
  let lookupRequests = 0;
  const planned = await planLookups({
    scan,
    openRecords: async () => (await openInput(config.inputPath)).records,
    protect,
    choice: config.lookup,
    zoom:
      session === undefined || mediumLimiter === undefined
        ? undefined
        : {
            client: session.client,
            lightLimiter: session.limiter,
            mediumLimiter,
            retry: session.retry,
            now: () => new Date(deps.now()),
            lightRps: config.rps,
            mediumRps: MEDIUM_RPS[config.tier],
            onRequest: () => {
              lookupRequests += 1;
            },
          },
    needActiveUsers: !config.dryRun && config.maxDeactivations.kind === "percent",
    maxInFlight: Math.max(16, config.concurrency * 2),
    logger,
    stop,
  });
  const plan = planned.plan;
  logger.info({ lookup: planned.strategy, ...plan }, config.dryRun ? "preview planned" : "changes planned");

  const warnings: string[] = [];
  const guard = checkDeactivations(config.maxDeactivations, plan.deactivate, planned.activeUsers);
  if (!guard.ok) {
    if (config.dryRun) warnings.push(`a real run would stop: ${guard.message}`);
    else {
      logger.error({ deactivations: plan.deactivate, limit: guard.limit }, guard.message);
      stop.stop({ kind: "guard", message: guard.message });
    }
  }
  if (!config.dryRun && !stop.stopped && plan.deactivate + plan.activate > 0 && deps.confirm !== undefined) {
    if (!(await deps.confirm(plan))) stop.stop({ kind: "declined" });
  }
  deps.onPlan?.(scan);

  let decider: RowDecider = { kind: "offline" };
  if (planned.strategy !== "none" || session !== undefined) {
    const zoomSession = session;
    decider = {
      kind: "zoom",
      decide: async (user, action) => {
        const decision = planned.decide(user, action);
        if (decision.kind === "send" || decision.kind === "unknown") {
          if (config.dryRun || zoomSession === undefined) {
            return decision.kind === "send"
              ? { outcome: "would_apply", message: "dry run: would be sent", attempts: 0 }
              : { outcome: "failed", message: decision.message, attempts: 0 };
          }
          // The look-up may be stale by now; the status change's own answer decides the row.
          return zoomSession.sendStatus(user, action);
        }
        return { outcome: decision.kind, message: decision.message, attempts: 0 };
      },
    };
  }
  let lastDecisionAt: number | undefined;

  const reportPath = config.reportPath ?? defaultReportPath(config.inputPath, new Date(startedAt));
  const report = createReportWriter(reportPath);
  const tally = createOutcomeTally();
  const preview = createPreviewSamples(PREVIEW_ROWS_PER_OUTCOME);
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
        preview.add(row);
        if (row.attempts > 0) lastDecisionAt = deps.now();
        deps.onRow?.(row);
      },
    });
    checksum = second.checksum();
  } finally {
    report.close();
    await session?.close();
    await mediumLimiter?.close();
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
    input: config.inputLabel ?? config.inputPath,
    dry_run: config.dryRun,
    duration_ms: finishedAt - startedAt,
    rate_rps: sendingMs === 0 ? 0 : Number(((tally.counts.applied * 1000) / sendingMs).toFixed(2)),
    requests: session?.counters.statusRequests ?? 0,
    rate_limited: session?.counters.rateLimited ?? 0,
    rps_limit: config.rps,
    stopped_early: reason !== undefined,
    stop_reason: reason === undefined ? null : describeStop(reason),
    lookup: planned.strategy,
    lookup_requests: lookupRequests,
    warnings,
    preview: config.dryRun ? preview.samples : undefined,
  };
  logger.info(
    { outcomes: summary.outcomes, exitCode: summary.exit_code, report: reportPath },
    "run finished",
  );
  return summary;
}
