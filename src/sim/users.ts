import { readFile } from "node:fs/promises";
import { parse } from "csv-parse/sync";
import { createRandom, deriveSeed, randomZoomId } from "./random.js";
import type { SimUser } from "./types.js";

const STATUSES: readonly SimUser["status"][] = ["active", "inactive", "pending"];
const ROLES: readonly SimUser["role"][] = ["owner", "admin", "member", "room"];
const REQUIRED_COLUMNS = ["id", "email", "status", "role"] as const;
const TRUE_VALUES = new Set(["true", "yes", "1", "y"]);
const FALSE_VALUES = new Set(["false", "no", "0", "n", ""]);

interface InfoRecord {
  record: string[];
  info: { lines: number };
}

function fail(source: string, line: number | undefined, reason: string): never {
  throw new Error(`${source}${line === undefined ? "" : `:${line}`}: ${reason}`);
}

/**
 * Reads a simulator directory: header `id,email,status,role[,upcoming_events]` (any order, any case), one user per
 * row. Every problem is an Error naming the source and line, because a silently skipped seed row would make a
 * rehearsal report `not_found` for someone who does exist.
 */
export function parseSimUsersCsv(text: string, source: string): SimUser[] {
  let records: InfoRecord[];
  try {
    // With `info: true` csv-parse returns {record, info} pairs, which its overloads do not express.
    records = parse(text, {
      info: true,
      bom: true,
      trim: true,
      skip_empty_lines: true,
      relax_column_count: true,
    }) as unknown as InfoRecord[];
  } catch (error) {
    const line = (error as { lines?: unknown }).lines;
    fail(
      source,
      typeof line === "number" ? line : undefined,
      `not readable as CSV: ${(error as Error).message}`,
    );
  }
  const [header, ...rows] = records;
  if (header === undefined) fail(source, undefined, "empty file: expected a header id,email,status,role");
  const columns = header.record.map((name) => name.toLowerCase());
  const index = (name: string): number => columns.indexOf(name);
  for (const name of REQUIRED_COLUMNS) {
    if (index(name) < 0) fail(source, 1, `header has no \`${name}\` column (expected id,email,status,role)`);
  }
  const eventsIndex = index("upcoming_events");

  const users: SimUser[] = [];
  const seenIds = new Map<string, number>();
  const seenEmails = new Map<string, number>();
  for (const { record, info } of rows) {
    if (record.every((field) => field === "")) continue;
    // info.lines is where the record ends; count back over line breaks inside quoted fields.
    const line = info.lines - record.reduce((n, field) => n + (field.match(/\n/g)?.length ?? 0), 0);
    const field = (i: number): string => (i < 0 ? "" : (record[i] ?? ""));
    const id = field(index("id"));
    const email = field(index("email"));
    const status = field(index("status")).toLowerCase();
    const role = field(index("role")).toLowerCase();
    const events = field(eventsIndex).toLowerCase();
    if (!/^[A-Za-z0-9_-]{1,64}$/.test(id)) fail(source, line, `id \`${id}\` is not 1-64 of A-Z a-z 0-9 _ -`);
    if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email))
      fail(source, line, `email \`${email}\` is not an email address`);
    if (!(STATUSES as readonly string[]).includes(status)) {
      fail(source, line, `status \`${status}\` is not one of ${STATUSES.join(", ")}`);
    }
    if (!(ROLES as readonly string[]).includes(role)) {
      fail(source, line, `role \`${role}\` is not one of ${ROLES.join(", ")}`);
    }
    if (!TRUE_VALUES.has(events) && !FALSE_VALUES.has(events)) {
      fail(source, line, `upcoming_events \`${events}\` is not true or false`);
    }
    const firstId = seenIds.get(id);
    if (firstId !== undefined) fail(source, line, `id \`${id}\` already used on line ${firstId}`);
    const firstEmail = seenEmails.get(email.toLowerCase());
    if (firstEmail !== undefined) fail(source, line, `email \`${email}\` already used on line ${firstEmail}`);
    seenIds.set(id, line);
    seenEmails.set(email.toLowerCase(), line);
    const user: SimUser = { id, email, status: status as SimUser["status"], role: role as SimUser["role"] };
    if (TRUE_VALUES.has(events)) user.upcomingEvents = true;
    users.push(user);
  }
  return users;
}

export async function loadSimUsers(path: string): Promise<SimUser[]> {
  return parseSimUsersCsv(await readFile(path, "utf8"), path);
}

/** `count` active members with seeded 22-character ids and emails user1@example.com, user2@... */
export function generateSimUsers(count: number, seed: number): SimUser[] {
  const random = createRandom(deriveSeed(seed, 1));
  const users: SimUser[] = [];
  for (let n = 1; n <= count; n++) {
    users.push({ id: randomZoomId(random), email: `user${n}@example.com`, status: "active", role: "member" });
  }
  return users;
}

/**
 * The account's users, found by id (case-sensitive, as Zoom ids are) or by email (case-insensitive). Holds its
 * own copies, so callers cannot change a user behind the simulator's back.
 */
export class UserStore {
  private readonly byId = new Map<string, SimUser>();
  private readonly byEmail = new Map<string, SimUser>();
  /** Insertion order, which is also the order of the paged list. */
  private readonly ordered: SimUser[] = [];

  constructor(users: Iterable<SimUser>) {
    for (const user of users) this.add(user);
  }

  add(input: SimUser): void {
    const user = { ...input };
    const emailKey = user.email.toLowerCase();
    if (this.byId.has(user.id)) throw new Error(`Duplicate simulator user id \`${user.id}\``);
    if (this.byEmail.has(emailKey)) throw new Error(`Duplicate simulator user email \`${user.email}\``);
    this.byId.set(user.id, user);
    this.byEmail.set(emailKey, user);
    this.ordered.push(user);
  }

  /** The live record (for the routes, which change status); undefined when there is no such user. */
  find(idOrEmail: string): SimUser | undefined {
    return this.byId.get(idOrEmail) ?? this.byEmail.get(idOrEmail.toLowerCase());
  }

  withStatus(status: SimUser["status"]): SimUser[] {
    return this.ordered.filter((user) => user.status === status);
  }

  all(): SimUser[] {
    return this.ordered.map((user) => ({ ...user }));
  }
}
