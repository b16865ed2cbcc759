import { OffboardError } from "../domain/errors.js";

/** `--max-deactivations` / `--max-deletions`: a count of rows, or a share of the account's active users. */
export type DeactivationLimit = { kind: "count"; max: number } | { kind: "percent"; percent: number };
export type RowLimit = DeactivationLimit;

export const DEFAULT_DEACTIVATION_LIMIT: DeactivationLimit = { kind: "count", max: 100 };
/** Deletion is the one change this tool cannot take back: none unless the person running it says how many. */
export const DEFAULT_DELETION_LIMIT: RowLimit = { kind: "count", max: 0 };

export function parseDeactivationLimit(value: string, flag = "--max-deactivations"): DeactivationLimit {
  const text = value.trim();
  const percent = /^(\d+(?:\.\d+)?)%$/.exec(text);
  if (percent !== null) {
    const number = Number(percent[1]);
    if (number > 0 && number <= 100) return { kind: "percent", percent: number };
  } else if (/^\d+$/.test(text)) {
    return { kind: "count", max: Number(text) };
  }
  throw new OffboardError(
    "USAGE",
    `Expected \`${flag}\` to be a whole number (rows) or a percentage from 0 to 100 like 5%, got \`${value}\``,
  );
}

export type GuardCheck =
  | { ok: true; limit: number | undefined }
  | { ok: false; limit: number | undefined; message: string };

/** What a limit guards, for its messages. */
interface Guarded {
  flag: string;
  verb: string;
  /** The words for "users" in "would deactivate N users". */
  what: string;
}

const DEACTIVATIONS: Guarded = { flag: "--max-deactivations", verb: "deactivate", what: "users" };
const DELETIONS: Guarded = { flag: "--max-deletions", verb: "delete or disassociate", what: "users" };

/**
 * Would this file deactivate more users than the admin allowed? Pure. A percentage needs the account's active
 * user count (from the directory); without it the guard cannot vouch for the file and refuses.
 */
export function checkDeactivations(
  limit: DeactivationLimit,
  deactivations: number,
  activeUsers: number | undefined,
): GuardCheck {
  return checkLimit(DEACTIVATIONS, limit, deactivations, activeUsers);
}

/** The same for removals (delete and disassociate together), which nothing can undo. */
export function checkDeletions(
  limit: RowLimit,
  deletions: number,
  activeUsers: number | undefined,
): GuardCheck {
  return checkLimit(DELETIONS, limit, deletions, activeUsers);
}

function checkLimit(
  guarded: Guarded,
  limit: RowLimit,
  count: number,
  activeUsers: number | undefined,
): GuardCheck {
  const { flag } = guarded;
  if (count === 0) return { ok: true, limit: undefined };
  let max: number;
  let what: string;
  if (limit.kind === "count") {
    max = limit.max;
    what = `${limit.max} (${flag})`;
  } else {
    if (activeUsers === undefined) {
      return {
        ok: false,
        limit: undefined,
        message: `${flag} ${limit.percent}% needs the account's active user count, which the look-up did not give (use --lookup directory, or a plain number)`,
      };
    }
    max = Math.floor((activeUsers * limit.percent) / 100);
    what = `${max} (${limit.percent}% of ${activeUsers} active users, ${flag})`;
  }
  if (count <= max) return { ok: true, limit: max };
  return {
    ok: false,
    limit: max,
    message:
      `this file would ${guarded.verb} ${count} ${guarded.what}, more than the limit of ${what}. Nothing was sent. ` +
      `Check the file with --dry-run; if it is right, run again with ${flag} ${count}`,
  };
}
