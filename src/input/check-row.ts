import { ACTIONS, type Action, parseAction, REMOVALS } from "../domain/actions.js";
import { parseMoment } from "../domain/calendar.js";
import { userKey } from "../domain/users.js";
import type { InputRecord } from "./input-record.js";

export { parseAction };

export type RowCheck =
  | {
      ok: true;
      user: string;
      key: string;
      action: Action;
      transferTo: string | undefined;
      /** When the row takes effect (epoch ms); undefined when it names no date (it is due now). */
      dueAt: number | undefined;
    }
  | { ok: false; reason: string; action: string };

export interface CheckOptions {
  /** `--action`: the action for files without an action column; when a file has one, rows must agree with it. */
  defaultAction: Action | undefined;
  hasActionColumn: boolean;
  /** `--transfer-to`: where a removed user's data goes when their row names no one. */
  defaultTransferTo?: string | undefined;
  /** `--no-transfer`: a removal may go without a transfer target (its data is then lost). */
  removalWithoutTransfer?: boolean;
  /** The zone a plain date (`2026-12-31`) is read in: that day starts at midnight there. */
  timeZone?: string;
}

/** Validates one row. Pure: the report and the duplicate scan see exactly the same verdict. */
export function checkRecord(record: InputRecord, options: CheckOptions): RowCheck {
  const action = resolveAction(record.action, options);
  const shownAction = action ?? shownInvalidAction(record.action, options);
  const userReason = userProblem(record.user);
  if (userReason !== undefined) return { ok: false, reason: userReason, action: shownAction };
  if (action === undefined) {
    // Stryker disable next-line StringLiteral: actionProblem has a reason whenever resolveAction has no action.
    return { ok: false, reason: actionProblem(record.action, options) ?? "no action", action: shownAction };
  }
  // Stryker disable next-line StringLiteral: userProblem has refused a missing user above.
  const user = record.user ?? "";
  let transferTo: string | undefined;
  if (REMOVALS.has(action)) {
    const target = transferProblem(user, record.transferTo, options);
    if ("reason" in target) return { ok: false, reason: target.reason, action };
    transferTo = target.transferTo;
  }
  const due = dueAt(record.effective, options);
  if (typeof due === "string") return { ok: false, reason: due, action };
  return { ok: true, user, key: userKey(user), action, transferTo, dueAt: due };
}

/** When a row's date says it takes effect, undefined when it has none, or why the date cannot be read. */
export function dueAt(effective: string | undefined, options: CheckOptions): number | undefined | string {
  if (effective === undefined || effective === "") return undefined;
  const moment = parseMoment(effective, options.timeZone ?? "UTC");
  return moment.ok ? moment.at : `unreadable date ${quote(effective)}: ${moment.reason}`;
}

/**
 * Where a removed user's data goes: the row's own target, else `--transfer-to`. Without either a removal would lose
 * the user's recordings, meetings and the rest, so it is refused unless `--no-transfer` says that is wanted.
 */
export function transferProblem(
  user: string,
  given: string | undefined,
  options: CheckOptions,
): { transferTo: string | undefined } | { reason: string } {
  const target = given !== undefined && given !== "" ? given : options.defaultTransferTo;
  if (target === undefined || target === "") {
    return options.removalWithoutTransfer === true
      ? { transferTo: undefined }
      : { reason: "would lose their recordings: give transfer_to, or pass --no-transfer" };
  }
  const problem = userProblem(target);
  if (problem !== undefined) return { reason: `transfer target ${quote(target)}: ${problem}` };
  if (userKey(target) === userKey(user)) return { reason: "the transfer target is the user themself" };
  return { transferTo: target };
}

/** The resolved lower-case action when the value is a valid one, else the value as given (trimmed). */
function shownInvalidAction(value: string | undefined, options: CheckOptions): string {
  if (!options.hasActionColumn) return options.defaultAction ?? "";
  const given = value?.trim() ?? "";
  return parseAction(given) ?? given;
}

/** The action a row asks for, or undefined when it is not usable (then actionProblem says why). No allocation. */
export function resolveAction(value: string | undefined, options: CheckOptions): Action | undefined {
  if (!options.hasActionColumn) return options.defaultAction;
  const action = value === undefined ? undefined : parseAction(value);
  if (options.defaultAction !== undefined && action !== options.defaultAction) return undefined;
  return action;
}

/** Why resolveAction gave nothing; undefined when it gave an action. */
export function actionProblem(value: string | undefined, options: CheckOptions): string | undefined {
  if (!options.hasActionColumn) return options.defaultAction === undefined ? "no action" : undefined;
  const given = value?.trim() ?? "";
  if (given === "") return "empty action";
  const action = parseAction(given);
  if (action === undefined) return `unknown action ${quote(given)} (use ${ACTIONS.join(", ")})`;
  if (options.defaultAction !== undefined && action !== options.defaultAction) {
    return `action ${action} differs from --action ${options.defaultAction}`;
  }
  return undefined;
}

/** Zoom user IDs: 1–64 characters from A–Z a–z 0–9 _ -. */
const USER_ID = /^[A-Za-z0-9_-]{1,64}$/;
/** Control characters (C0, DEL, C1) and invisible format characters (zero-width, bidi overrides, BOM). */
const CONTROL_OR_INVISIBLE = /[\p{Cc}\p{Cf}]/u;
const WHITESPACE = /\s/;
// Stryker disable next-line Regex: only a shortcut; a value it wrongly flags gets the same answer the long way.
const SUSPICIOUS = /[\p{Cc}\p{Cf}\s/?#%]/u;
/** The longest address SMTP can carry (RFC 5321); anything longer is a paste error. */
const MAX_EMAIL_LENGTH = 254;

/**
 * Why a user value cannot be sent; undefined when it is a plausible email or Zoom user ID. The value goes into the
 * URL path (encoded, but still): path separators, query and fragment marks and percent signs are refused outright
 * so that no row can address a different resource, and `me` would act on the app's own user.
 */
export function userProblem(user: string | undefined): string | undefined {
  if (user === undefined || user === "") return "empty user";
  // An email cannot be an ID: one search for "@" spares most rows of an export the ID pattern.
  const hasAt = user.includes("@");
  if (!hasAt && USER_ID.test(user))
    return user.toLowerCase() === "me" ? "'me' is not allowed: name the user" : undefined;
  // One pass decides the common case (a clean email); the specific reason is only worked out for bad values.
  if (hasAt && !SUSPICIOUS.test(user)) return emailProblem(user);
  const hidden = CONTROL_OR_INVISIBLE.exec(user);
  if (hidden !== null) return `contains a control or invisible character (${codePoint(hidden[0])})`;
  if (WHITESPACE.test(user)) return "contains whitespace";
  for (const mark of ["/", "?", "#", "%"] as const) {
    if (user.includes(mark))
      return `contains "${mark}" (${MARK_MEANING[mark]}), which no user ID or email has here`;
  }
  if (!hasAt) {
    return user.length > 64
      ? `too long for a Zoom user ID (${user.length} characters, at most 64)`
      : "neither an email nor a Zoom user ID (letters, digits, _ and -, up to 64)";
  }
  return emailProblem(user);
}

const MARK_MEANING = {
  "/": "a path separator",
  "?": "starts a URL query",
  "#": "starts a URL fragment",
  "%": "percent-encoding; give the plain value",
} as const;

function emailProblem(email: string): string | undefined {
  const at = email.indexOf("@");
  if (email.indexOf("@", at + 1) !== -1) return "not an email: more than one @";
  if (at === 0) return "not an email: nothing before the @";
  if (email.length > MAX_EMAIL_LENGTH) return `too long for an email (${email.length} characters)`;
  if (at === email.length - 1) return "not an email: no domain after the @";
  // Labels between dots must be non-empty, and there must be at least one dot; checked without splitting (hot path).
  let dots = 0;
  let labelStart = at + 1;
  for (let i = at + 1; i <= email.length; i++) {
    if (i < email.length && email.charCodeAt(i) !== 46) continue;
    if (i === labelStart) return `not an email: the domain ${quote(email.slice(at + 1))} has an empty part`;
    if (i < email.length) dots++;
    labelStart = i + 1;
  }
  if (dots === 0) return `not an email: the domain ${quote(email.slice(at + 1))} has no dot`;
  return undefined;
}

function codePoint(char: string): string {
  return `U+${(char.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, "0")}`;
}

/** Quoted and escaped so a reason stays one short line whatever the cell held. */
function quote(value: string): string {
  return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
}
