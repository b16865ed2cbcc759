import type { Logger } from "pino";
import type { StopControl } from "../domain/stop.js";
import { MEDIUM_RPS } from "../domain/tiers.js";
import type { InputRecord } from "../input/input-record.js";
import { openInput } from "../input/open-input.js";
import type { UpcomingRow } from "../input/scan-input.js";
import { checkDeactivations, checkDeletions } from "../lookup/guard.js";
import { type Plan, type PlannedLookups, planLookups } from "../lookup/plan.js";
import type { TransferItem } from "../zoom/operations/index.js";
import type { PreparedRun } from "./prepare-run.js";
import type { RunOptions } from "./run-options.js";
import type { ZoomSession } from "./zoom-session.js";

/** The rows of a file that are not due yet: how many, and the earliest of them. */
export interface Later {
  count: number;
  rows: readonly UpcomingRow[];
}

export interface PlanDeps {
  logger: Logger;
  stop: StopControl;
  /**
   * Asked before the first change when a person is at the terminal, with the file's rows still to come (not due
   * yet); resolves true to go on.
   */
  confirm?: ((plan: Plan, later: Later) => Promise<boolean>) | undefined;
}

/**
 * Look users up and hold the plan against the guard and the person at the terminal — or, when neither can stop
 * the run whatever the look-ups find, let the rows go while the look-ups go on. A guard that refuses stops the run
 * (a dry run only warns); so does a person who does not confirm.
 */
export async function planAndConfirm(
  options: RunOptions,
  prepared: PreparedRun,
  session: ZoomSession | undefined,
  maxInFlight: number,
  deps: PlanDeps,
): Promise<{ planned: PlannedLookups; warnings: string[] }> {
  const { logger, stop } = deps;
  const { scan, protect } = prepared;
  const planned = await planLookups({
    scan,
    // Carried-over rows are done: they cost no look-up and do not count in the plan (nor against the guard).
    openRecords: async () => withoutCarried((await openInput(options.inputPath)).records, prepared),
    protect,
    choice: options.lookup,
    zoom:
      session === undefined
        ? undefined
        : { sender: session.sender, lightRps: options.rps, mediumRps: MEDIUM_RPS[options.tier] },
    needActiveUsers:
      !options.dryRun &&
      (options.maxDeactivations.kind === "percent" || options.maxDeletions.kind === "percent"),
    maxInFlight,
    // Look-ups only ever take rows away from the file's counts (already, not found, protected). When even those
    // counts are within the guards and nobody is asked to confirm, no look-up can change whether the run goes on.
    lookAlongside:
      options.dryRun || deps.confirm !== undefined
        ? undefined
        : (activeUsers) => guardsHold(options, scan.counts, activeUsers).length === 0,
    transferNeedsLicence: options.transfer.some((item) => LICENSED_ONLY.has(item)),
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
    return { planned, warnings };
  }
  const plan = planned.plan;
  logger.info(
    {
      lookup: planned.strategy,
      ...plan.changes,
      already: plan.already,
      notFound: plan.notFound,
      protected: plan.protected,
    },
    options.dryRun ? "preview planned" : "changes planned",
  );
  const refusals = guardsHold(options, plan.changes, planned.activeUsers);
  for (const message of refusals) {
    if (options.dryRun) warnings.push(`a real run would stop: ${message}`);
    else {
      logger.error(message);
      stop.stop({ kind: "guard", message });
    }
  }
  const toChange = Object.values(plan.changes).reduce((sum, count) => sum + count, 0);
  if (!options.dryRun && !stop.stopped && toChange > 0 && deps.confirm !== undefined) {
    const later = { count: prepared.scan.counts.scheduled, rows: prepared.scan.upcoming };
    if (!(await deps.confirm(plan, later))) stop.stop({ kind: "declined" });
  }
  return { planned, warnings };
}

/** The records a resume still has to decide: carried-over rows are left out of the look-ups and the plan. */
async function* withoutCarried(
  records: AsyncIterable<InputRecord>,
  prepared: PreparedRun,
): AsyncIterable<InputRecord> {
  const { resume, scan } = prepared;
  for await (const record of records) {
    if (resume?.carried(record, scan.verdict(record)) === undefined) yield record;
  }
}

/** Recordings and webinars go only to a Licensed user (Zoom refuses a target without the licence). */
const LICENSED_ONLY: ReadonlySet<TransferItem> = new Set<TransferItem>(["recording", "webinar"]);

/** The messages of the guards the counts break; none when the run may go on. */
function guardsHold(
  options: RunOptions,
  counts: { deactivate: number; delete: number; disassociate: number },
  activeUsers: number | undefined,
): string[] {
  const checks = [
    checkDeactivations(options.maxDeactivations, counts.deactivate, activeUsers),
    checkDeletions(options.maxDeletions, counts.delete + counts.disassociate, activeUsers),
  ];
  return checks.flatMap((check) => (check.ok ? [] : [check.message]));
}
