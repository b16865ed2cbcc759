import { parse } from "csv-parse/sync";
import { OffboardError } from "../domain/errors.js";
import type { SimUser } from "./types.js";
import { DATA_KINDS, USER_TYPES } from "./user-data.js";

const STATUSES: readonly SimUser["status"][] = ["active", "inactive", "pending"];
const ROLES: readonly SimUser["role"][] = ["owner", "admin", "member", "room"];
const REQUIRED_COLUMNS = ["id", "email", "status", "role"] as const;
const TRUE_VALUES = new Set(["true", "yes", "1", "y"]);
const FALSE_VALUES = new Set(["false", "no", "0", "n", ""]);

type FlagField =
  | "upcomingEvents"
  | "managedDomain"
  | "callQueueManager"
  | "invitationExpired"
  | "deleteRefused";

/** Optional true/false columns and the user field each sets; false or empty leaves the field out. */
const FLAG_COLUMNS: ReadonlyArray<readonly [string, FlagField]> = [
  ["upcoming_events", "upcomingEvents"],
  ["managed_domain", "managedDomain"],
  ["call_queue_manager", "callQueueManager"],
  ["invitation_expired", "invitationExpired"],
  ["delete_refused", "deleteRefused"],
];

interface InfoRecord {
  record: string[];
  info: { lines: number };
}

function fail(source: string, line: number | undefined, reason: string): never {
  throw new OffboardError("CONFIG_INVALID", `${source}${line === undefined ? "" : `:${line}`}: ${reason}`);
}

function readRecords(text: string, source: string): InfoRecord[] {
  try {
    // Each record with the line where it ends, collected as it is parsed (csv-parse's `on_record`).
    const records: InfoRecord[] = [];
    parse(text, {
      bom: true,
      trim: true,
      skip_empty_lines: true,
      relax_column_count: true,
      on_record: (record: string[], context) => {
        records.push({ record, info: { lines: context.lines } });
        return null;
      },
    });
    return records;
  } catch (error) {
    const line = (error as { lines?: unknown }).lines;
    fail(
      source,
      typeof line === "number" ? line : undefined,
      `not readable as CSV: ${(error as Error).message}`,
    );
  }
}

/**
 * Reads a simulator directory: header `id,email,status,role`, plus optional columns in any order and case:
 * `type`, a count per DATA_KINDS, the FLAG_COLUMNS flags; an empty cell means the default. Every problem throws,
 * naming the source and line: a silently skipped seed row would make a rehearsal report `not_found` for someone
 * who exists.
 */
export function parseSimUsersCsv(text: string, source: string): SimUser[] {
  const [header, ...rows] = readRecords(text, source);
  if (header === undefined) fail(source, undefined, "empty file: expected a header id,email,status,role");
  const columns = header.record.map((name) => name.toLowerCase());
  const index = (name: string): number => columns.indexOf(name);
  for (const name of REQUIRED_COLUMNS) {
    if (index(name) < 0) fail(source, 1, `header has no \`${name}\` column (expected id,email,status,role)`);
  }

  const users: SimUser[] = [];
  const seenIds = new Map<string, number>();
  const seenEmails = new Map<string, number>();
  for (const { record, info } of rows) {
    if (record.every((field) => field === "")) continue;
    // info.lines is where the record ends; count back over line breaks inside quoted fields.
    const line = info.lines - record.reduce((n, field) => n + (field.match(/\n/g)?.length ?? 0), 0);
    const field = (name: string): string => {
      const i = index(name);
      return i < 0 ? "" : (record[i] ?? "");
    };
    const user = readUser(field, (reason) => fail(source, line, reason));
    const firstId = seenIds.get(user.id);
    if (firstId !== undefined) fail(source, line, `id \`${user.id}\` already used on line ${firstId}`);
    const emailKey = user.email.toLowerCase();
    const firstEmail = seenEmails.get(emailKey);
    if (firstEmail !== undefined)
      fail(source, line, `email \`${user.email}\` already used on line ${firstEmail}`);
    seenIds.set(user.id, line);
    seenEmails.set(emailKey, line);
    users.push(user);
  }
  return users;
}

/** One row's user; `field(name)` is the cell of that column ("" when absent), `fail` throws with the line. */
function readUser(field: (name: string) => string, fail: (reason: string) => never): SimUser {
  const id = field("id");
  const email = field("email");
  const status = field("status").toLowerCase();
  const role = field("role").toLowerCase();
  if (!/^[A-Za-z0-9_-]{1,64}$/.test(id)) fail(`id \`${id}\` is not 1-64 of A-Z a-z 0-9 _ -`);
  if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email)) fail(`email \`${email}\` is not an email address`);
  if (!(STATUSES as readonly string[]).includes(status)) {
    fail(`status \`${status}\` is not one of ${STATUSES.join(", ")}`);
  }
  if (!(ROLES as readonly string[]).includes(role))
    fail(`role \`${role}\` is not one of ${ROLES.join(", ")}`);
  const user: SimUser = { id, email, status: status as SimUser["status"], role: role as SimUser["role"] };

  const type = field("type");
  if (type !== "") {
    const number = Number(type);
    if (!(USER_TYPES as readonly number[]).includes(number)) {
      fail(`type \`${type}\` is not 1 (Basic), 2 (Licensed) or 4 (Unassigned without Meetings Basic)`);
    }
    user.type = number as SimUser["type"];
  }
  for (const kind of DATA_KINDS) {
    const count = field(kind);
    if (count === "") continue;
    if (!/^\d{1,9}$/.test(count)) fail(`${kind} \`${count}\` is not a whole number >= 0`);
    user.data = { ...user.data, [kind]: Number(count) };
  }
  for (const [column, key] of FLAG_COLUMNS) {
    const value = field(column).toLowerCase();
    if (!TRUE_VALUES.has(value) && !FALSE_VALUES.has(value))
      fail(`${column} \`${value}\` is not true or false`);
    if (TRUE_VALUES.has(value)) user[key] = true;
  }
  return user;
}
