import { type Action, REMOVALS } from "../domain/actions.js";
import type { AnswerFacts } from "../domain/report-row.js";
import type { UserRole, UserStatus } from "../domain/users.js";

export type { UserRole, UserStatus };

/**
 * What a look-up learned about a user. `facts`: the answer of a look-up made for this user alone, which the report
 * shows for a row it decides; a user known only from the directory's pages has none.
 */
export type UserState = (
  | {
      kind: "found";
      status: UserStatus;
      role: UserRole;
      /** Zoom's user type: 1 Basic, 2 Licensed, 4 Unassigned; undefined when Zoom did not say. */
      type: number | undefined;
      protectedByList: boolean;
    }
  | { kind: "not_found"; message: string }
  /** The look-up itself failed (after retries): the change, if sent, decides the row. */
  | { kind: "unknown"; message: string }
) & { facts?: AnswerFacts | undefined };

const STATUS: readonly UserStatus[] = ["active", "inactive", "pending"];
const ROLE: readonly UserRole[] = ["owner", "admin", "member", "room"];
/** User types by their packed code; 0 is "not said", 7 any other type. */
const TYPE_CODES: readonly (number | undefined)[] = [undefined, 1, 2, 3, 4];

// Packed into a small integer, so that a directory of 500k users fits: bits 0–1 status, 2–3 role, 4 protected by
// the list, 5 the "found" mark (so a found user is never 0, which means "not in the table"), 6–8 the type.
const FOUND = 0x20;

export function packFound(
  status: UserStatus,
  role: UserRole,
  protectedByList: boolean,
  type: number | undefined = undefined,
): number {
  const typeIndex = TYPE_CODES.indexOf(type);
  const typeCode = typeIndex >= 0 ? typeIndex : 7;
  return (
    FOUND |
    STATUS.indexOf(status) |
    (ROLE.indexOf(role) << 2) |
    (protectedByList ? 0x10 : 0) |
    (typeCode << 6)
  );
}

export function unpackFound(value: number): Extract<UserState, { kind: "found" }> | undefined {
  if ((value & FOUND) === 0) return undefined;
  const typeCode = (value >> 6) & 0x7;
  return {
    kind: "found",
    status: STATUS[value & 0x3] ?? "active",
    role: ROLE[(value >> 2) & 0x3] ?? "member",
    type: typeCode === 7 ? 99 : TYPE_CODES[typeCode],
    protectedByList: (value & 0x10) !== 0,
  };
}

/** The preview or pre-check of one row, from what the look-up found. */
export type LookupDecision =
  /** `disassociate`: a deletion of a pending user, which Zoom only ever disassociates. */
  (
    | { kind: "send"; disassociate?: boolean }
    | { kind: "already"; message: string }
    | { kind: "not_found"; message: string }
    | { kind: "protected"; message: string }
    | { kind: "unknown"; message: string }
    /** The row cannot go as it is (a transfer target that cannot receive the data). */
    | { kind: "invalid"; message: string }
  ) & { facts?: AnswerFacts | undefined };

/** Zoom's user type 1: no paid licence. */
const BASIC = 1;
const LICENSED = 2;

/** What to do about a row, from what the look-up found about its user. Pure. */
export function decideFromState(action: Action, state: UserState | undefined): LookupDecision {
  if (state === undefined) return { kind: "send" };
  const { facts } = state;
  if (state.kind === "not_found") {
    // For a removal, a user the account does not have is the goal already reached.
    return REMOVALS.has(action)
      ? { kind: "already", message: "not in the account: already gone", facts }
      : { kind: "not_found", message: state.message, facts };
  }
  if (state.kind === "unknown") return { kind: "unknown", message: state.message, facts };
  if (state.protectedByList) return { kind: "protected", message: "on the protect list", facts };
  // Zoom refuses to change owners, admins and Zoom Rooms in these ways anyway (400 code 200); we never even ask.
  if (state.role === "owner" || state.role === "admin") {
    return { kind: "protected", message: `the account's ${state.role}: never changed by this tool`, facts };
  }
  if (state.role === "room") {
    return { kind: "protected", message: "a Zoom Rooms account: never changed by this tool", facts };
  }
  switch (action) {
    case "deactivate":
    case "activate": {
      const target = action === "deactivate" ? "inactive" : "active";
      if (state.status === target) return { kind: "already", message: `already ${target} in Zoom`, facts };
      return { kind: "send", facts };
    }
    case "downgrade":
      if (state.type === BASIC) return { kind: "already", message: "already Basic in Zoom", facts };
      return { kind: "send", facts };
    case "license":
      if (state.type === LICENSED) return { kind: "already", message: "already Licensed in Zoom", facts };
      return { kind: "send", facts };
    case "delete":
      return state.status === "pending"
        ? { kind: "send", disassociate: true, facts }
        : { kind: "send", facts };
    case "signout":
      // A deactivated user cannot sign in and has no session left to end: a nightly run of the same file stops
      // signing out someone it has already deactivated.
      if (state.status === "inactive") {
        return { kind: "already", message: "inactive in Zoom: no session to end", facts };
      }
      return { kind: "send", facts };
    case "disassociate":
      return { kind: "send", facts };
  }
}

/**
 * Why a removal's data cannot go to `target`, from what the look-up found about the target; undefined when it can,
 * or when nothing is known (Zoom's own answer then decides). Zoom moves data only to an active user of the same
 * account, and recordings and webinars only to a Licensed one.
 */
export function transferTargetProblem(
  target: string,
  state: UserState | undefined,
  needsLicence: boolean,
): string | undefined {
  if (state === undefined || state.kind === "unknown") return undefined;
  if (state.kind === "not_found") return `the transfer target ${target} is not in the account`;
  if (state.status === "inactive") return `the transfer target ${target} is deactivated`;
  if (state.status === "pending")
    return `the transfer target ${target} has not joined the account yet (pending)`;
  if (needsLicence && state.type !== undefined && state.type !== LICENSED) {
    return `the transfer target ${target} is not Licensed: Zoom moves recordings and webinars only to a Licensed user`;
  }
  return undefined;
}
