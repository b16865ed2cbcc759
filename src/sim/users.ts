import { readFile } from "node:fs/promises";
import { OffboardError } from "../domain/errors.js";
import { createRandom, deriveSeed, randomZoomId } from "./random.js";
import type { SimUser, SimUserRecord } from "./types.js";
import { checkData, completeUser, DATA_KINDS, emptyData, USER_TYPES } from "./user-data.js";
import { parseSimUsersCsv } from "./users-csv.js";

export { parseSimUsersCsv };

export async function loadSimUsers(path: string): Promise<SimUser[]> {
  return parseSimUsersCsv(await readFile(path, "utf8"), path);
}

/**
 * `count` active Licensed members with seeded 22-character ids, emails user1@example.com, user2@... and a few
 * of each kind of data (0 to 3). The counts have a stream of their own, so the ids for a seed stay as they were.
 */
export function generateSimUsers(count: number, seed: number): SimUser[] {
  const random = createRandom(deriveSeed(seed, 1));
  const dataRandom = createRandom(deriveSeed(seed, 4));
  const users: SimUser[] = [];
  for (let n = 1; n <= count; n++) {
    const data = emptyData();
    for (const kind of DATA_KINDS) data[kind] = dataRandom.int(4);
    const id = randomZoomId(random);
    users.push({ id, email: `user${n}@example.com`, status: "active", role: "member", type: 2, data });
  }
  return users;
}

/**
 * The account's users, found by id (case-sensitive, as Zoom ids are) or by email (case-insensitive). Holds its
 * own complete copies (type and every data count set), so callers cannot change a user behind its back.
 */
export class UserStore {
  private readonly byId = new Map<string, SimUserRecord>();
  private readonly byEmail = new Map<string, SimUserRecord>();
  /** Insertion order, which is also the order of the paged list (a Set, so that a removal costs O(1)). */
  private readonly ordered = new Set<SimUserRecord>();

  constructor(users: Iterable<SimUser>) {
    for (const user of users) this.add(user);
  }

  add(input: SimUser): void {
    if (input.type !== undefined && !USER_TYPES.includes(input.type)) {
      throw new RangeError(`Simulator user \`${input.id}\`: type must be 1, 2 or 4, got \`${input.type}\``);
    }
    checkData(input.data, `Simulator user \`${input.id}\``);
    const user = completeUser(input);
    const emailKey = user.email.toLowerCase();
    if (this.byId.has(user.id))
      throw new OffboardError("CONFIG_INVALID", `Duplicate simulator user id \`${user.id}\``);
    if (this.byEmail.has(emailKey))
      throw new OffboardError("CONFIG_INVALID", `Duplicate simulator user email \`${user.email}\``);
    this.byId.set(user.id, user);
    this.byEmail.set(emailKey, user);
    this.ordered.add(user);
  }

  /** The live record (for the routes, which change status); undefined when there is no such user. */
  find(idOrEmail: string): SimUserRecord | undefined {
    return this.byId.get(idOrEmail) ?? this.byEmail.get(idOrEmail.toLowerCase());
  }

  /** What an admin does in Zoom's web portal (the API has no call for it): make a member an admin, or back. */
  setRole(idOrEmail: string, role: SimUserRecord["role"]): void {
    const user = this.find(idOrEmail);
    if (user === undefined) throw new RangeError(`No simulator user \`${idOrEmail}\``);
    user.role = role;
  }

  /** Takes the user out of the account: every later look-up by id or email misses. */
  remove(user: SimUserRecord): void {
    if (this.byId.get(user.id) !== user) return;
    this.byId.delete(user.id);
    this.byEmail.delete(user.email.toLowerCase());
    this.ordered.delete(user);
  }

  withStatus(status: SimUser["status"]): SimUserRecord[] {
    return [...this.ordered].filter((user) => user.status === status);
  }

  all(): SimUserRecord[] {
    return [...this.ordered].map(copyUser);
  }
}

/** A copy deep enough that changing it (its data counts included) leaves the store's record alone. */
export function copyUser(user: SimUserRecord): SimUserRecord {
  return { ...user, data: { ...user.data } };
}
