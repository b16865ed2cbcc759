import { type Action, REMOVALS } from "../domain/actions.js";
import { formatInZone, howLongUntil } from "../domain/calendar.js";
import { InputError, OffboardError } from "../domain/errors.js";
import { type CheckOptions, checkRecord, dueAt, resolveAction, userProblem } from "./check-row.js";
import { type InputLayout, type InputRecord, openInput } from "./open-input.js";
import { UserKeyTable } from "./user-key-table.js";

export type RowVerdict =
  /**
   * Sent. `transferTo`: where a removal moves the user's data (undefined for other actions, or when --no-transfer
   * lets it go). `after`: lines of the same user's earlier steps, decided first.
   */
  | {
      kind: "send";
      user: string;
      action: Action;
      transferTo: string | undefined;
      after: readonly number[];
      /** The user has other rows: the second pass tells them when this one is decided. */
      sequenced: boolean;
    }
  | { kind: "invalid"; action: string; reason: string }
  /** reason e.g. "same user and action as line 4" */
  | { kind: "duplicate"; user: string; action: Action; firstLine: number; reason: string }
  /** reason e.g. "user has both actions: activate at line 7, deactivate at line 3" */
  | { kind: "conflict"; user: string; action: Action; reason: string }
  /** Not due yet: nothing is sent before `dueAt`. */
  | { kind: "scheduled"; user: string; action: Action; dueAt: number; reason: string }
  /** Due, but a step of the same user dated later makes it moot; nothing is sent. */
  | { kind: "superseded"; user: string; action: Action; reason: string };

export type ScanCounts = {
  /** Rows sent, all actions together. */
  send: number;
  invalid: number;
  duplicate: number;
  conflict: number;
  /** Rows not due yet, and due rows a later step overrides: neither is sent. */
  scheduled: number;
  superseded: number;
} & Record<Action, number>;

/** A row not due yet, for "what comes next". */
export interface UpcomingRow {
  line: number;
  user: string;
  action: Action;
  dueAt: number;
  /** "2026-12-31 00:00 Europe/Berlin (in 28 days)" */
  when: string;
}

/** When the scan takes place, as far as dates go. */
export interface ScanMoment {
  /** The run's moment (`--as-of`, or now): rows dated after it are scheduled, not sent. */
  asOf: number;
  /** The zone a plain date is read in. */
  timeZone: string;
}

export interface ScanResult {
  file: string;
  layout: InputLayout;
  checksum: string;
  /** Non-blank data records. */
  dataRows: number;
  /** Rows by what becomes of them; `send` rows also by action. */
  counts: ScanCounts;
  /** The first rows to come, earliest first (at most UPCOMING_SHOWN). */
  upcoming: UpcomingRow[];
  /**
   * The verdict for a record of the scanned file, read again on a second streaming pass. Pure given the scan: the
   * same record always gets the same verdict. Compare `checksum` after that pass to be sure it was the same file.
   */
  verdict(record: InputRecord): RowVerdict;
}

/**
 * Reads the whole file once before anything is sent (a conflict can sit on the last line and cancel a row
 * on the first). Keeps no rows: only a compact table of hashed user keys, so memory does not grow with row length.
 * File errors throw InputError, so a broken file stops the run before the first request.
 */
export async function scanInput(
  path: string,
  options: Omit<CheckOptions, "hasActionColumn" | "timeZone">,
  moment: ScanMoment = { asOf: Date.now(), timeZone: "UTC" },
): Promise<ScanResult> {
  const input = await openInput(path);
  const checkOptions: CheckOptions = {
    ...options,
    hasActionColumn: input.layout.actionColumn !== undefined,
    timeZone: moment.timeZone,
  };
  // Sized once from the file's size: most rows of an export are distinct users.
  const table = UserKeyTable.forKeys(input.estimatedRecords);
  let dataRows = 0;
  let invalid = 0;
  let scheduled = 0;
  const upcoming: UpcomingRow[] = [];
  for await (const batch of input.batches) {
    for (const record of batch) {
      dataRows++;
      if (record.line > UserKeyTable.MAX_LINE) {
        throw new InputError(path, record.line, `too many lines (at most ${UserKeyTable.MAX_LINE})`);
      }
      // The same rules as checkRecord, without building its result object: this loop runs a million times.
      const action = resolveAction(record.action, checkOptions);
      if (action === undefined || record.user === undefined || userProblem(record.user) !== undefined) {
        invalid++;
        continue;
      }
      if (REMOVALS.has(action) && !checkRecord(record, checkOptions).ok) {
        invalid++;
        continue;
      }
      const due = dueAt(record.effective, checkOptions);
      if (typeof due === "string") {
        invalid++;
        continue;
      }
      if (due !== undefined && due > moment.asOf) {
        scheduled++;
        offerUpcoming(upcoming, { line: record.line, user: record.user, action, dueAt: due }, moment);
        continue;
      }
      table.add(record.user, action, record.line, due ?? moment.asOf);
    }
  }
  table.finish();
  return {
    file: path,
    layout: input.layout,
    checksum: input.checksum(),
    dataRows,
    counts: {
      send: table.sendRows,
      invalid,
      duplicate: table.duplicateRows,
      conflict: table.conflictRows,
      scheduled,
      superseded: table.supersededRows,
      ...table.sends,
    },
    upcoming,
    verdict: (record) => verdictFor(record, checkOptions, table, moment),
  };
}

/** How many of the rows to come a preview lists. */
export const UPCOMING_SHOWN = 10;

/** Keeps the earliest UPCOMING_SHOWN scheduled rows, in date order (then line). */
function offerUpcoming(upcoming: UpcomingRow[], row: Omit<UpcomingRow, "when">, moment: ScanMoment): void {
  const last = upcoming[upcoming.length - 1];
  if (upcoming.length >= UPCOMING_SHOWN && last !== undefined && last.dueAt <= row.dueAt) return;
  const at = upcoming.findIndex((other) => other.dueAt > row.dueAt);
  upcoming.splice(at < 0 ? upcoming.length : at, 0, { ...row, when: dueWhen(row.dueAt, moment) });
  if (upcoming.length > UPCOMING_SHOWN) upcoming.pop();
}

function dueWhen(due: number, moment: ScanMoment): string {
  return `${formatInZone(due, moment.timeZone)} ${moment.timeZone} (${howLongUntil(due, moment.asOf)})`;
}

function scheduledMessage(due: number, moment: ScanMoment): string {
  return `due ${dueWhen(due, moment)}: nothing sent before then`;
}

function verdictFor(
  record: InputRecord,
  options: CheckOptions,
  table: UserKeyTable,
  moment: ScanMoment,
): RowVerdict {
  // The checks of checkRecord without its result object (a valid row is the common case); the reason of an invalid
  // row, and a removal's transfer target, are worked out by checkRecord itself.
  const action = resolveAction(record.action, options);
  const user = record.user;
  let transferTo: string | undefined;
  if (action === undefined || user === undefined || userProblem(user) !== undefined || REMOVALS.has(action)) {
    const check = checkRecord(record, options);
    if (!check.ok) return { kind: "invalid", action: check.action, reason: check.reason };
    transferTo = check.transferTo;
  }
  if (action === undefined || user === undefined)
    throw new OffboardError("INTERNAL", "checkRecord accepted a row without action or user");
  const due = dueAt(record.effective, options);
  if (typeof due === "string") return { kind: "invalid", action, reason: due };
  if (due !== undefined && due > moment.asOf) {
    return { kind: "scheduled", user, action, dueAt: due, reason: scheduledMessage(due, moment) };
  }
  const role = table.roleOf(user, action, record.line);
  if (role === undefined) {
    // Only when the file changed between the scan and this pass; never send what was not checked.
    return { kind: "invalid", action, reason: "row was not in the file when it was checked (file changed?)" };
  }
  switch (role.kind) {
    case "conflict":
      return { kind: "conflict", user, action, reason: role.reason };
    case "superseded": {
      // The overriding row's date: an undated row takes effect at the run's moment and has no date to name.
      const when = role.by.dueAt === moment.asOf ? "" : ` on ${formatInZone(role.by.dueAt, moment.timeZone)}`;
      return {
        kind: "superseded",
        user,
        action,
        reason: `overridden by line ${role.by.line} (${role.by.action}${when}): nothing sent`,
      };
    }
    case "duplicate":
      return {
        kind: "duplicate",
        user,
        action,
        firstLine: role.firstLine,
        reason: `same user and action as line ${role.firstLine}`,
      };
    case "send":
      // A target the file removes as well would be gone by the time Zoom moves the data.
      if (transferTo !== undefined && table.removes(transferTo)) {
        return {
          kind: "invalid",
          action,
          reason: `the transfer target ${transferTo} is removed by this file too`,
        };
      }
      return { kind: "send", user, action, transferTo, after: role.after, sequenced: role.sequenced };
  }
}
