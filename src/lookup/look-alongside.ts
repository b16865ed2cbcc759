import type { Logger } from "pino";
import type { Sender } from "../send/sender.js";
import type { StrategyDecision } from "./choose-strategy.js";
import type { DirectoryReader } from "./directory-reader.js";
import { singleFlightLookUps } from "./look-up-user.js";
import type { LookupBook } from "./lookup-book.js";
import { decideWith, type PlannedAlongside } from "./planned.js";
import type { ProtectList } from "./protect-list.js";
import type { UserStatus } from "./user-state.js";

export interface AlongsideInput {
  book: LookupBook;
  reader: DirectoryReader;
  zoom: Sender;
  protect: ProtectList;
  logger: Logger;
  /** Where the choice stands: per-user, directory, or "probe" (read the directory's size, then choose). */
  decision: StrategyDecision;
  /** The choice once the directory's size is known. */
  choose: (directoryPages: number) => StrategyDecision;
  /** Whether a second read of `pages` pages costs less than `lost` look-ups alone (choose-strategy.ts). */
  worthReadingAgain: (pages: number, lost: number) => boolean;
  activeUsers: number | undefined;
  /** Recordings or webinars move with a removal: its transfer target must be Licensed. */
  needsLicence: boolean;
}

/**
 * Look users up while their rows are sent: the directory is read in the background, and a row goes as soon as
 * its user is listed. An unlisted user is looked up alone (a Light GET), never reported not found on the
 * directory's word: our own changes move users between the active and inactive lists mid-read, and a page token
 * that counts positions then skips users. That look-up also covers a failed or stopped read and per-user mode.
 */
export function lookAlongside(input: AlongsideInput): PlannedAlongside {
  const { book, reader, zoom, protect, logger } = input;
  let reading = input.decision.strategy !== "per-user";
  let wanted = true;
  const lookUp = singleFlightLookUps(book, zoom);

  const planned: PlannedAlongside = {
    alongside: true,
    strategy: input.decision.strategy === "per-user" ? "per-user" : "directory",
    reason: input.decision.reason,
    activeUsers: input.activeUsers,
    decide: decideWith(book, protect, input.needsLicence),
    stateOf: (user) => book.get(user),
    async whenKnown(user) {
      if (protect.matches(user)) return;
      if (reading) await book.whenListed(user);
      await lookUp(user);
    },
    async finish() {
      wanted = false;
      await read;
    },
  };

  const settle = (decision: StrategyDecision): void => {
    planned.strategy = decision.strategy === "directory" ? "directory" : "per-user";
    planned.reason = decision.reason;
    logger.info({ lookup: planned.strategy, reason: planned.reason }, "look-up strategy");
  };

  async function readInBackground(): Promise<void> {
    let decision = input.decision;
    if (decision.strategy === "probe") {
      // The first page of each status goes into the book as it comes: rows listed there need not wait.
      const probed = await reader.probe(book);
      if ("failed" in probed) {
        logger.warn(
          { reason: probed.failed },
          "cannot read the directory's size; looking users up one by one",
        );
        settle({ strategy: "per-user", reason: "the directory could not be read" });
        return;
      }
      planned.activeUsers = probed.activeUsers;
      decision = input.choose(probed.pages);
    }
    settle(decision);
    if (decision.strategy !== "directory") return;
    const result = await reader.readAll(book, () => wanted);
    if ("failed" in result) {
      logger.warn(
        { reason: result.failed },
        "cannot read the rest of the directory; users not listed yet are looked up one by one",
      );
      return;
    }
    planned.activeUsers = book.activeUsers ?? planned.activeUsers;
    logger.info(
      { users: result.users, requests: result.pages, tableBytes: book.byteLength, cut: result.cut },
      result.cut ? "directory read stopped: every row was decided" : "directory read",
    );
    // A read cut short was cut because every row was decided (`wanted` is false then): nothing left to list.
    if (!wanted || result.shrunk.length === 0) return;
    const lost = result.shrunk.reduce((sum, list) => sum + list.lost, 0);
    const pages = result.shrunk.reduce((sum, list) => sum + list.pages, 0);
    if (!input.worthReadingAgain(pages, lost)) {
      logger.info(
        { lost, pages },
        "lists changed while they were read: the users they may have skipped are looked up alone (fewer requests than reading them again)",
      );
      return;
    }
    await readShrunkListsAgain(
      result.shrunk.map((list) => list.status),
      lost,
    );
  }

  /**
   * Our own changes move users between lists while they are paged; a token that counts positions then skips one
   * user of a later page per change, and each skipped user would cost a Light GET (taken from the status changes'
   * budget). Reading those lists once more costs Medium requests only, a budget the status changes do not use; the
   * users it skips in turn are those our changes push up past its tokens, which the first read had listed already.
   * Once, not until nothing moves: the sending goes on meanwhile.
   */
  async function readShrunkListsAgain(statuses: UserStatus[], lost: number): Promise<void> {
    logger.info(
      { statuses, lost },
      "lists changed while they were read: reading them again, so users a page token skipped need no look-up alone",
    );
    const again = await reader.reread(book, statuses, () => wanted);
    if ("failed" in again) {
      logger.warn(
        { reason: again.failed },
        "cannot read the lists again; users not listed yet are looked up one by one",
      );
      return;
    }
    logger.info({ users: again.users, requests: again.pages, cut: again.cut }, "lists read again");
  }

  let read = Promise.resolve();
  if (reading) {
    read = readInBackground()
      .catch((error: unknown) => {
        // Our bug, not Zoom's: the rows still get their users looked up one by one.
        logger.error(
          { error: error instanceof Error ? error.message : String(error) },
          "directory read failed",
        );
      })
      .finally(() => {
        reading = false;
        book.releaseWaiters();
      });
  } else settle(input.decision);
  return planned;
}
