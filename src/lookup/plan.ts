import type { Logger } from "pino";
import { ACTIONS } from "../domain/actions.js";
import type { StopControl } from "../domain/stop.js";
import type { InputRecord } from "../input/open-input.js";
import type { ScanResult } from "../input/scan-input.js";
import { createBounded } from "../send/bounded.js";
import type { Sender } from "../send/sender.js";
import {
  chooseStrategy,
  type LookupChoice,
  type LookupStrategy,
  worthReadingAgain,
} from "./choose-strategy.js";
import { createDirectoryReader } from "./directory-reader.js";
import { lookAlongside } from "./look-alongside.js";
import { singleFlightLookUps } from "./look-up-user.js";
import { LookupBook } from "./lookup-book.js";
import { countInto, decideWith, emptyPlan, type PlannedLookups, type RowToDecide } from "./planned.js";
import type { ProtectList } from "./protect-list.js";

export type { Plan, PlannedAlongside, PlannedLookups, PlannedUpFront } from "./planned.js";

export interface PlanOptions {
  scan: ScanResult;
  /** A fresh pass over the same file. */
  openRecords: () => Promise<AsyncIterable<InputRecord>>;
  protect: ProtectList;
  choice: LookupChoice;
  /** Absent for an offline dry run: no look-ups at all. */
  zoom: { sender: Sender; lightRps: number; mediumRps: number } | undefined;
  /** The guard needs the active count; read it even when per-user look-ups are chosen. */
  needActiveUsers: boolean;
  maxInFlight: number;
  /**
   * Asked once the strategy (and, for a directory, its active count) is known: may the rows be sent while the
   * look-ups go on? Only a real run without a prompt whose guard could not trip whatever the look-ups find says yes;
   * absent, every look-up is made first.
   */
  lookAlongside?: (activeUsers: number | undefined) => boolean;
  /** Recordings or webinars move with a removal: its transfer target must be Licensed. */
  transferNeedsLicence: boolean;
  logger: Logger;
  stop: StopControl;
}

/**
 * Choose a look-up strategy, look users up, and count what the file would really do — all before the first
 * change is sent, so that the guard and the prompt see the whole file. Except when `lookAlongside` allows it:
 * then the look-ups go on while the rows are sent (look-alongside.ts) and there is no plan to count.
 */
export async function planLookups(options: PlanOptions): Promise<PlannedLookups> {
  const { scan, protect, zoom, logger } = options;
  const book = new LookupBook(protect);
  let strategy: LookupStrategy = "none";
  let reason = zoom === undefined ? "no credentials: the file is checked offline" : "--lookup none";
  let activeUsers: number | undefined;

  if (zoom !== undefined && options.choice !== "none") {
    const reader = createDirectoryReader(zoom.sender);
    const choose = (directoryPages: number | undefined) =>
      chooseStrategy({
        usersToLookUp: scan.counts.send,
        directoryPages,
        lightRps: zoom.lightRps,
        mediumRps: zoom.mediumRps,
      });
    let decision =
      options.choice === "auto"
        ? choose(undefined)
        : { strategy: options.choice, reason: `--lookup ${options.choice}` };
    const rates = { lightRps: zoom.lightRps, mediumRps: zoom.mediumRps };
    const alongside = {
      needsLicence: options.transferNeedsLicence,
      book,
      reader,
      zoom: zoom.sender,
      protect,
      logger,
      choose,
      worthReadingAgain: (pages: number, lost: number) => worthReadingAgain({ pages, lost, ...rates }),
    };
    // A guard that is a count the file's own rows already keep: send from the start, even the directory's size
    // is read alongside.
    if (decision.strategy !== "none" && options.lookAlongside?.(undefined) === true) {
      return lookAlongside({ ...alongside, decision, activeUsers: undefined });
    }
    if (decision.strategy === "probe" || (options.needActiveUsers && decision.strategy !== "none")) {
      const probed = await reader.probe();
      if ("failed" in probed) {
        logger.warn(
          { reason: probed.failed },
          "cannot read the directory's size; looking users up one by one",
        );
        decision = { strategy: "per-user", reason: "the directory could not be read" };
      } else {
        activeUsers = probed.activeUsers;
        if (decision.strategy === "probe") decision = choose(probed.pages);
      }
    }
    // A percentage: the guard needed the active count first; now it may allow sending alongside the rest.
    if (
      decision.strategy !== "probe" &&
      activeUsers !== undefined &&
      options.lookAlongside?.(activeUsers) === true
    ) {
      return lookAlongside({ ...alongside, decision, activeUsers });
    }
    if (decision.strategy === "directory") {
      const read = await reader.readAll(book);
      if ("failed" in read) {
        logger.warn({ reason: read.failed }, "cannot read the directory; looking users up one by one");
        decision = { strategy: "per-user", reason: `the directory could not be read (${read.failed})` };
      } else {
        activeUsers = book.activeUsers;
        logger.info(
          { users: read.users, requests: read.pages, tableBytes: book.byteLength },
          "directory read",
        );
      }
    }
    strategy = decision.strategy === "probe" ? "per-user" : decision.strategy;
    reason = decision.reason;
  }
  logger.info({ lookup: strategy, reason }, "look-up strategy");

  const decide = decideWith(book, protect, options.transferNeedsLicence);
  const stateOf = (user: string) => book.get(user);
  const plan = emptyPlan(scan.counts);
  const count = (row: RowToDecide): void => countInto(plan, row, decide(row));

  const perUser = strategy === "per-user" && zoom !== undefined ? zoom.sender : undefined;
  const lookUp = perUser === undefined ? undefined : singleFlightLookUps(book, perUser);
  if (strategy === "none" && protect.size === 0 && scan.counts.delete + scan.counts.disassociate === 0) {
    // Nothing to look up and nothing to hold back: the scan's counts are the plan, no third pass over the file.
    for (const action of ACTIONS) plan.changes[action] = scan.counts[action];
    return { alongside: false, strategy, reason, plan, activeUsers, decide, stateOf };
  }
  const inFlight = createBounded(options.maxInFlight);
  for await (const record of await options.openRecords()) {
    const verdict = scan.verdict(record);
    if (verdict.kind !== "send") continue;
    if (lookUp === undefined || protect.matches(verdict.user) || options.stop.stopped) {
      count(verdict);
      continue;
    }
    await inFlight.run(async () => {
      // A user with several rows, and a manager receiving several leavers' data, are looked up once.
      await lookUp(verdict.user);
      if (verdict.transferTo !== undefined) await lookUp(verdict.transferTo);
      count(verdict);
    });
  }
  await inFlight.drain();
  return { alongside: false, strategy, reason, plan, activeUsers, decide, stateOf };
}
