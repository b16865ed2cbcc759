import type { IncomingMessage } from "node:http";
import type { FaultKind } from "./faults.js";
import type { SimReply } from "./http.js";
import { createOperations, type ServedRequest } from "./operations.js";
import { parseDeleteQuery } from "./routes/delete-user.js";
import type { PageTokens } from "./routes/users.js";
import { StatsRecorder } from "./stats.js";
import type { SimUserRecord } from "./types.js";
import { UserStore } from "./users.js";

/** Throws a TypeError unless `value` is a list of non-empty strings, so a typo cannot silently match nobody. */
export function checkUnappliedUsers(value: unknown): asserts value is string[] {
  if (!Array.isArray(value) || !value.every((entry) => typeof entry === "string" && entry !== "")) {
    const shown = JSON.stringify(value) ?? String(value);
    throw new TypeError(`Expected \`unappliedUsers\` to be a list of user ids or emails, got \`${shown}\``);
  }
}

export interface UnappliedDeps {
  store: UserStore;
  pages: PageTokens;
  stats: StatsRecorder;
  clock: () => number;
}

/**
 * The "accepted but not made" fault: which users it always strikes, and how a struck change is answered. The
 * users are matched on the live record, so an entry given by email also covers requests that name the user by
 * id, and the other way round.
 */
export function createUnapplied(deps: UnappliedDeps, initialUsers: readonly string[] = []) {
  let ids = new Set<string>();
  let emails = new Set<string>();
  const setUsers = (idsOrEmails: readonly string[]): void => {
    checkUnappliedUsers(idsOrEmails);
    // Ids are matched as given, since Zoom ids are case-sensitive; emails in any case, as Zoom looks them up.
    ids = new Set(idsOrEmails);
    emails = new Set(idsOrEmails.filter((value) => value.includes("@")).map((value) => value.toLowerCase()));
  };
  setUsers(initialUsers);

  return {
    setUsers,
    /** Whether a change to `user` is to be answered but not made: drawn for this request, or a listed user. */
    strikes(user: SimUserRecord | undefined, fault: FaultKind): boolean {
      if (fault === "unapplied") return true;
      return user !== undefined && (ids.has(user.id) || emails.has(user.email.toLowerCase()));
    },
    /**
     * Serves the change against scratch copies of the user and, for a removal, of the transfer target (the only
     * other user a change touches). The answer is thus exactly the live one, refusals included, while the live
     * directory and the counts of changes made stay as they were; only an answer of success is counted.
     */
    async serve(req: IncomingMessage, request: ServedRequest): Promise<SimReply> {
      const scratch = new UserStore([]);
      const { user } = request;
      if (user !== undefined) scratch.add(user);
      const target = user === undefined ? undefined : transferTarget(deps.store, request);
      if (target !== undefined && target !== user) scratch.add(target);
      const serve = createOperations({
        store: scratch,
        pages: deps.pages,
        stats: new StatsRecorder(false),
        clock: deps.clock,
      });
      const served = await serve(req, { ...request, user: user && scratch.find(user.id) });
      if (served.applied) deps.stats.counters.unapplied++;
      return served.reply;
    },
  };
}

/** The live user a removal would move data to, if the request names one that exists. */
function transferTarget(store: UserStore, request: ServedRequest): SimUserRecord | undefined {
  if (request.route !== "delete_user") return undefined;
  const parsed = parseDeleteQuery(request.query);
  const email = parsed.ok ? parsed.params.transferEmail : undefined;
  return email === undefined ? undefined : store.find(email);
}
