import { existsSync, realpathSync } from "node:fs";
import type { RunOptions as RunConfig } from "./app/run-options.js";
import type { RunResult } from "./app/run-result.js";
import { type RowDecider, runBatch } from "./batch/run-batch.js";
import type { SessionDeps } from "./batch/zoom-session.js";
import { OffboardError } from "./domain/errors.js";
import { exitCodeFor } from "./domain/outcomes.js";
import type { ReportRow } from "./domain/report-row.js";
import { FREE_DAILY_LIGHT_LIMIT, MEDIUM_RPS } from "./domain/tiers.js";
import { VERSION } from "./domain/version.js";
import { type InputRecord, openInput } from "./input/open-input.js";
import { type ScanResult, scanInput } from "./input/scan-input.js";
import { checkDeactivations } from "./lookup/guard.js";
import { type Plan, planLookups } from "./lookup/plan.js";
import { EMPTY_PROTECT_LIST, loadProtectList } from "./lookup/protect-list.js";
import { freeDefaultReportPath } from "./report/default-path.js";
import { createPreviewSamples, PREVIEW_ROWS_PER_OUTCOME } from "./report/preview.js";
import { createReportWriter, type ReportWriter } from "./report/report-writer.js";
import { createOutcomeTally } from "./report/tally.js";
import { loadResume, type ResumePlan } from "./resume/load-resume.js";
import { metaPathFor, writeRunMeta } from "./resume/run-meta.js";

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
  /** Handed the report once it exists, so that a second Ctrl-C can flush it before quitting at once. */
  onReportOpened?: (report: ReportWriter) => void;
}

/**
 * One `run`: check the whole file, then (unless it is an offline dry run) get a token, open the report and
 * decide every row through the rate limiter. Throws only for run-level problems found before anything was sent
 * (usage, configuration, unreadable input, refused credentials, unwritable report): the CLI exits 2 for those.
 */
export async function runOffboard(config: RunConfig, deps: OffboardDeps): Promise<RunResult> {
  const { logger, stop } = deps;
  const startedAt = deps.now();
  // A real run always talks to Zoom; a dry run only when it has credentials (or --simulate) and may look up.
  const talksToZoom = !config.dryRun || (config.credentials !== undefined && config.lookup !== "none");
  // Only such a run loads the HTTP client and the limiters (a good part of the start-up an offline check skips),
  // and it loads them while the file is being checked.
  const sessionModule = talksToZoom ? import("./batch/zoom-session.js") : undefined;
  // Handled where it is awaited; this only keeps a failure of the file's check from leaving it unobserved.
  sessionModule?.catch(() => undefined);

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

  // Before any request: an unreadable earlier report, or one written for another file, is exit 2.
  let resume: ResumePlan | undefined;
  if (config.resumeFrom !== undefined) {
    resume = await loadResume({
      reportPath: config.resumeFrom,
      inputPath: config.inputPath,
      checksum: scan.checksum,
      force: config.force,
      logger,
    });
  }
  const taken = (path: string): boolean => existsSync(path) || existsSync(metaPathFor(path));
  const reportPath = config.reportPath ?? freeDefaultReportPath(config.inputPath, new Date(startedAt), taken);
  if (config.reportPath !== undefined && taken(reportPath)) {
    throw new OffboardError(
      "REPORT_UNWRITABLE",
      `cannot create the report ${reportPath}: it already exists (reports are never overwritten; choose another --report)`,
    );
  }

  // Read before anything is sent: a protect list that cannot be read is a configuration error (exit 2).
  const protect =
    config.protectPath === undefined ? EMPTY_PROTECT_LIST : await loadProtectList(config.protectPath);

  // Before the report exists: refused credentials are a configuration error and nothing is written.
  const session =
    sessionModule === undefined ? undefined : await (await sessionModule).openZoomSession(config, deps);
  let lookupRequests = 0;
  // Rows waiting out a backoff hold a slot but no request, so allow more rows than requests in flight.
  const maxRowsInFlight = Math.max(16, config.concurrency * 2);
  const planned = await planLookups({
    scan,
    // Carried-over rows are done: they cost no look-up and do not count in the plan (nor against the guard).
    openRecords: async () => withoutCarried((await openInput(config.inputPath)).records, scan, resume),
    protect,
    choice: config.lookup,
    zoom:
      session === undefined
        ? undefined
        : {
            client: session.client,
            lightLimiter: session.limiter,
            mediumLimiter: session.mediumLimiter,
            retry: session.retry,
            now: () => new Date(deps.now()),
            lightRps: config.rps,
            mediumRps: MEDIUM_RPS[config.tier],
            onRequest: () => {
              lookupRequests += 1;
            },
          },
    needActiveUsers: !config.dryRun && config.maxDeactivations.kind === "percent",
    maxInFlight: maxRowsInFlight,
    // Look-ups only ever take rows away from the file's count (already, not found, protected). When even that
    // count is within the guard and nobody is asked to confirm, no look-up can change whether the run goes on:
    // rows may be sent while their users are still being looked up, instead of after the whole directory.
    lookAlongside:
      config.dryRun || deps.confirm !== undefined
        ? undefined
        : (activeUsers) =>
            checkDeactivations(config.maxDeactivations, scan.counts.deactivate, activeUsers).ok,
    logger,
    stop,
  });

  const warnings: string[] = [];
  if (planned.alongside) {
    logger.info(
      {
        lookup: planned.strategy,
        atMostDeactivations: scan.counts.deactivate,
        atMostActivations: scan.counts.activate,
      },
      "sending while looking up: the file's deactivations are within the guard whatever the look-ups find",
    );
  } else {
    const plan = planned.plan;
    logger.info({ lookup: planned.strategy, ...plan }, config.dryRun ? "preview planned" : "changes planned");
    const guard = checkDeactivations(config.maxDeactivations, plan.deactivate, planned.activeUsers);
    if (!guard.ok) {
      if (config.dryRun) warnings.push(`a real run would stop: ${guard.message}`);
      else {
        logger.error({ deactivations: plan.deactivate, limit: guard.limit }, guard.message);
        stop.stop({ kind: "guard", message: guard.message });
      }
    }
    if (
      !config.dryRun &&
      !stop.stopped &&
      plan.deactivate + plan.activate > 0 &&
      deps.confirm !== undefined
    ) {
      if (!(await deps.confirm(plan))) stop.stop({ kind: "declined" });
    }
  }
  deps.onPlan?.(scan);

  let decider: RowDecider = { kind: "offline" };
  // Only a plain offline check (no look-ups, no protect list) can settle valid rows without asking the plan.
  if (planned.strategy !== "none" || session !== undefined || protect.size > 0) {
    const zoomSession = session;
    decider = {
      kind: "zoom",
      decide: async (user, action) => {
        if (planned.alongside) await planned.whenKnown(user);
        const decision = planned.decide(user, action);
        // A row the look-up's own answer decides carries that answer; one decided from the directory has none.
        const facts = decision.facts ?? {};
        if (decision.kind === "send" || decision.kind === "unknown") {
          if (config.dryRun || zoomSession === undefined) {
            return decision.kind === "send"
              ? { outcome: "would_apply", message: "dry run: would be sent", attempts: 0, ...facts }
              : { outcome: "failed", message: decision.message, attempts: 0, ...facts };
          }
          // The look-up may be stale by now; the status change's own answer decides the row.
          return zoomSession.sendStatus(user, action);
        }
        return { outcome: decision.kind, message: decision.message, attempts: 0, ...facts };
      },
    };
  }
  let lastDecisionAt: number | undefined;

  const report = createReportWriter(reportPath);
  deps.onReportOpened?.(report);
  const tally = createOutcomeTally();
  const preview = createPreviewSamples(PREVIEW_ROWS_PER_OUTCOME);
  let appliedNow = 0;
  let carriedOver = 0;
  let checksum: string;
  try {
    writeRunMeta(reportPath, {
      tool: "zoom-offboard",
      version: VERSION,
      input: config.inputPath,
      input_realpath: realpathSync(config.inputPath),
      input_sha256: scan.checksum,
      started_at: new Date(startedAt).toISOString(),
      resumed_from: resume?.from ?? null,
      dry_run: config.dryRun,
    });
    const second = await openInput(config.inputPath);
    await runBatch({
      scan,
      batches: second.batches,
      decider,
      report,
      stop,
      maxRowsInFlight,
      now: () => deps.now(),
      carried: resume?.carried,
      onRow: (row, carried) => {
        tally.add(row);
        preview.add(row);
        if (carried) carriedOver += 1;
        else if (row.attempts > 0) {
          lastDecisionAt = deps.now();
          if (row.outcome === "applied") appliedNow += 1;
        }
        deps.onRow?.(row);
      },
    });
    checksum = second.checksum();
    await report.finish();
  } finally {
    report.close();
    // Every row is decided: a directory still being read is not needed any more.
    if (planned.alongside) await planned.finish();
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
  return {
    outcomes: tally.counts,
    rows: tally.rows,
    exitCode: exitCodeFor(tally.counts, reason !== undefined),
    report: reportPath,
    input: config.inputLabel ?? config.inputPath,
    dryRun: config.dryRun,
    durationMs: finishedAt - startedAt,
    rateRps: sendingMs === 0 ? 0 : Number(((appliedNow * 1000) / sendingMs).toFixed(2)),
    requests: session?.counters.statusRequests ?? 0,
    rateLimited: session?.counters.rateLimited ?? 0,
    rpsLimit: config.rps * config.share,
    minRps: Number((session?.limiter.pacing.minRps ?? config.rps * config.share).toFixed(2)),
    rateChanges: session?.limiter.pacing.changes ?? 0,
    stop: reason,
    lookup: planned.strategy,
    lookupRequests: lookupRequests,
    warnings,
    preview: config.dryRun ? preview.samples : undefined,
    resumedFrom: resume?.from ?? null,
    carriedOver,
  };
}

/** The records a resume still has to decide: carried-over rows are left out of the look-ups and the plan. */
async function* withoutCarried(
  records: AsyncIterable<InputRecord>,
  scan: ScanResult,
  resume: ResumePlan | undefined,
): AsyncIterable<InputRecord> {
  for await (const record of records) {
    if (resume?.carried(record, scan.verdict(record)) === undefined) yield record;
  }
}
