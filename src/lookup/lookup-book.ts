import type { AnswerFacts } from "../domain/report-row.js";
import { userKey } from "../domain/users.js";
import type { ProtectList } from "./protect-list.js";
import { packFound, type UserRole, type UserState, type UserStatus, unpackFound } from "./user-state.js";
import { UserStateTable } from "./user-state-table.js";

// Values that are not a found user; found users carry the FOUND bit (user-state.ts), so these never clash.
const NOT_FOUND = 1;
const UNKNOWN = 2;

/**
 * What the look-ups learned, per user value. After a directory read the book is complete: a user missing from
 * it does not exist. After per-user look-ups only the users asked about are known.
 */
export class LookupBook {
  readonly #table: UserStateTable;
  // Only the rare failures keep their words; found users are packed into the table.
  readonly #messages = new Map<string, string>();
  // The answers of per-user look-ups, by the value the row asked with; directory pages leave no answer per user.
  readonly #facts = new Map<string, AnswerFacts>();
  readonly #protect: ProtectList;
  #complete = false;
  // Rows waiting for their user while the directory is read alongside the sending (a handful: one per row in flight).
  readonly #waiters = new Set<{ user: string; wake: () => void }>();
  /** Active users in the account, when a directory read counted them. */
  activeUsers: number | undefined;

  constructor(protect: ProtectList, capacity = 1024) {
    this.#protect = protect;
    this.#table = new UserStateTable(capacity);
  }

  /**
   * A directory read covered every user of the account. Rows waiting for their user go on waiting: a second read
   * may still list them ({@link releaseWaiters} ends the wait).
   */
  markComplete(): void {
    this.#complete = true;
  }

  /**
   * Resolves once `user` is listed, or when the reading ends without it ({@link releaseWaiters}): the caller then
   * checks {@link has} and looks the user up itself.
   */
  whenListed(user: string): Promise<void> {
    if (this.has(user)) return Promise.resolve();
    return new Promise((wake) => this.#waiters.add({ user, wake }));
  }

  /** A directory page was added: wake the rows whose user it listed. */
  pageAdded(): void {
    for (const waiter of this.#waiters) {
      if (!this.has(waiter.user)) continue;
      this.#waiters.delete(waiter);
      waiter.wake();
    }
  }

  /** The directory read ended (complete, failed or cut short): nobody waits for more pages. */
  releaseWaiters(): void {
    for (const waiter of this.#waiters) waiter.wake();
    this.#waiters.clear();
  }

  get byteLength(): number {
    return this.#table.byteLength;
  }

  /**
   * Record a user under each of its identifiers (pending users have no id in the directory), and under
   * `alsoAs`, the value a per-user look-up asked with (the file may spell an email in another case).
   */
  addFound(
    user: {
      id?: string | undefined;
      email?: string | undefined;
      status: UserStatus;
      role: UserRole;
      type?: number | undefined;
    },
    alsoAs?: string,
    facts?: AnswerFacts,
  ): void {
    const listed =
      (user.id !== undefined && this.#protect.matches(user.id)) ||
      (user.email !== undefined && this.#protect.matches(user.email)) ||
      (alsoAs !== undefined && this.#protect.matches(alsoAs));
    // The type too: a downgrade of a Basic user is already done, and a Basic target cannot take recordings.
    const value = packFound(user.status, user.role, listed, user.type);
    if (user.id !== undefined && user.id !== "") this.#table.set(user.id, value);
    if (user.email !== undefined && user.email !== "") this.#table.set(user.email, value);
    if (alsoAs !== undefined) {
      this.#table.set(alsoAs, value);
      this.#keepFacts(alsoAs, facts);
    }
  }

  addNotFound(user: string, message: string, facts?: AnswerFacts): void {
    this.#table.set(user, NOT_FOUND);
    this.#messages.set(userKey(user), message);
    this.#keepFacts(user, facts);
  }

  addUnknown(user: string, message: string, facts?: AnswerFacts): void {
    this.#table.set(user, UNKNOWN);
    this.#messages.set(userKey(user), message);
    this.#keepFacts(user, facts);
  }

  #keepFacts(user: string, facts: AnswerFacts | undefined): void {
    if (facts !== undefined) this.#facts.set(userKey(user), facts);
  }

  /** The book holds an entry for `user` itself (not merely "missing from a complete directory"). */
  has(user: string): boolean {
    return this.#table.get(user) !== undefined;
  }

  get(user: string): UserState | undefined {
    const value = this.#table.get(user);
    if (value === undefined) {
      return this.#complete
        ? { kind: "not_found", message: "not in the account's directory (active, inactive or pending users)" }
        : undefined;
    }
    const key = userKey(user);
    const facts = this.#facts.get(key);
    if (value === NOT_FOUND)
      return { kind: "not_found", message: this.#messages.get(key) ?? "user not found", facts };
    if (value === UNKNOWN)
      return { kind: "unknown", message: this.#messages.get(key) ?? "look-up failed", facts };
    const found = unpackFound(value);
    return found === undefined || facts === undefined ? found : { ...found, facts };
  }
}
