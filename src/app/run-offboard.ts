import type { PlannedChange } from "../domain/plan.js";
import type { ReportRow } from "../domain/report-row.js";
import type { ScanResult } from "../input/scan-input.js";
import type { ReportWriter } from "../report/report-writer.js";
import { type DecidedRows, decideAllRows } from "./decide-all-rows.js";
import { rowDecider } from "./decide-row.js";
import { type PlanDeps, planAndConfirm } from "./plan-and-confirm.js";
import { prepareRun } from "./prepare-run.js";
import type { RunOptions } from "./run-options.js";
import { type RunResult, runResultOf } from "./run-result.js";
import { operationsNeeded } from "./scopes.js";
import { appliedRowsOf, verifyRun } from "./verify-run.js";
import type { SessionDeps } from "./zoom-session.js";

/** What a run needs from outside, built at the edge (the CLI) or by a test. */
export interface OffboardDeps extends SessionDeps {
  /** Told the file's size once it is checked and confirmed (the progress bar's total). */
  onPlan?: (scan: ScanResult) => void;
  /** Asked before the first change when a person is at the terminal; absent: no question. */
  confirm?: PlanDeps["confirm"];
  onRow?: (row: ReportRow) => void;
  /** A dry run: told of each change it would send, with the state its look-ups saw (what a plan is made of). */
  onPlanned?: (change: PlannedChange) => void;
  /** Handed the report once it exists, so that a second Ctrl-C can flush it before quitting at once. */
  onReportOpened?: (report: ReportWriter) => void;
}

/**
 * One run: check the whole file, get a token (unless it is an offline dry run), look users up, hold the plan
 * against the guard and the person at the terminal, then decide and report every row. Throws only for what is
 * wrong before anything was sent (usage, configuration, the file, refused credentials, the report's place).
 */
export async function runOffboard(options: RunOptions, deps: OffboardDeps): Promise<RunResult> {
  const startedAt = deps.now();
  // A real run always talks to Zoom; a dry run only when it has credentials and may look users up.
  const talksToZoom = !options.dryRun || (options.credentials !== undefined && options.lookup !== "none");
  // The HTTP client and the pacers load while the file is checked (an offline check never needs them).
  const sessionModule = talksToZoom ? import("./zoom-session.js") : undefined;
  sessionModule?.catch(() => undefined);

  const prepared = await prepareRun(options, deps.logger, new Date(startedAt));
  // Before the report exists: refused credentials are a configuration error and nothing is written.
  const needed = operationsNeeded(prepared.scan.counts, {
    dryRun: options.dryRun,
    lookups: options.lookup !== "none",
  });
  const session =
    sessionModule === undefined
      ? undefined
      : await (await sessionModule).openZoomSession(options, deps, needed);
  // Rows waiting out a backoff hold a slot but no request, so allow more rows than requests in flight.
  const maxRowsInFlight = Math.max(16, options.concurrency * 2);
  try {
    const { planned, warnings } = await planAndConfirm(options, prepared, session, maxRowsInFlight, deps);
    deps.onPlan?.(prepared.scan);
    let decided: DecidedRows;
    const applied = appliedRowsOf();
    try {
      const decider = rowDecider(planned, prepared.protect, session, options, deps.onPlanned);
      decided = await decideAllRows(options, prepared, decider, maxRowsInFlight, startedAt, {
        ...deps,
        onRow: (row, carried) => {
          if (options.verify) applied.add(row, carried);
          deps.onRow?.(row);
        },
      });
    } finally {
      // Every row is decided: a directory still being read is not needed any more.
      if (planned.alongside) await planned.finish();
    }
    // Even a run that stopped early is held to what it did apply.
    const verification =
      options.verify && session !== undefined && !options.dryRun
        ? await verifyRun(applied.rows, session, prepared.reportPath, decided.tally.counts, deps.logger)
        : undefined;
    return runResultOf({
      options,
      prepared,
      session,
      decided,
      verification,
      lookup: planned.strategy,
      warnings,
      stop: deps.stop.reason,
      durationMs: deps.now() - startedAt,
    });
  } finally {
    await session?.close();
  }
}
