import { OffboardError } from "../domain/errors.js";

/** `--max-deactivations`: a count of rows, or a share of the account's active users. */
export type DeactivationLimit = { kind: "count"; max: number } | { kind: "percent"; percent: number };

export const DEFAULT_DEACTIVATION_LIMIT: DeactivationLimit = { kind: "count", max: 100 };

export function parseDeactivationLimit(value: string): DeactivationLimit {
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
    `Expected \`--max-deactivations\` to be a whole number (rows) or a percentage from 0 to 100 like 5%, got \`${value}\``,
  );
}

export type GuardCheck =
  | { ok: true; limit: number | undefined }
  | { ok: false; limit: number | undefined; message: string };

/**
 * Would this file deactivate more users than the admin allowed? Pure. A percentage needs the account's active
 * user count (from the directory); without it the guard cannot vouch for the file and refuses.
 */
export function checkDeactivations(
  limit: DeactivationLimit,
  deactivations: number,
  activeUsers: number | undefined,
): GuardCheck {
  let max: number;
  let what: string;
  if (limit.kind === "count") {
    max = limit.max;
    what = `${limit.max} (--max-deactivations)`;
  } else {
    if (activeUsers === undefined) {
      return {
        ok: false,
        limit: undefined,
        message: `--max-deactivations ${limit.percent}% needs the account's active user count, which the look-up did not give (use --lookup directory, or a plain number)`,
      };
    }
    max = Math.floor((activeUsers * limit.percent) / 100);
    what = `${max} (${limit.percent}% of ${activeUsers} active users, --max-deactivations)`;
  }
  if (deactivations <= max) return { ok: true, limit: max };
  return {
    ok: false,
    limit: max,
    message:
      `this file would deactivate ${deactivations} users, more than the limit of ${what}. Nothing was sent. ` +
      `Check the file with --dry-run; if it is right, run again with --max-deactivations ${deactivations}`,
  };
}
