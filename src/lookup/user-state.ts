import type { Action } from "../domain/actions.js";
import type { AnswerFacts } from "../domain/report-row.js";
import type { UserRole, UserStatus } from "../domain/users.js";

export type { UserRole, UserStatus };

// What a look-up learned about a user, packed into a small integer so that a directory of 500k users fits.

/**
 * `facts`: the answer of a look-up made for this user alone, which the report shows for a row it decides. A user
 * known only from the directory's pages has none: no answer of Zoom's was about that row.
 */
export type UserState = (
  | { kind: "found"; status: UserStatus; role: UserRole; protectedByList: boolean }
  | { kind: "not_found"; message: string }
  /** The look-up itself failed (after retries): the status change, if sent, decides the row. */
  | { kind: "unknown"; message: string }
) & { facts?: AnswerFacts | undefined };

const STATUS: readonly UserStatus[] = ["active", "inactive", "pending"];
const ROLE: readonly UserRole[] = ["owner", "admin", "member"];

// Layout: bits 0–1 status, bits 2–3 role, bit 4 protected by list; 31 = found marker. Values are never 0 so that
// 0 can mean "not in the table".
const FOUND = 0x20;

export function packFound(status: UserStatus, role: UserRole, protectedByList: boolean): number {
  return FOUND | STATUS.indexOf(status) | (ROLE.indexOf(role) << 2) | (protectedByList ? 0x10 : 0);
}

export function unpackFound(value: number): Extract<UserState, { kind: "found" }> | undefined {
  if ((value & FOUND) === 0) return undefined;
  return {
    kind: "found",
    status: STATUS[value & 0x3] ?? "active",
    role: ROLE[(value >> 2) & 0x3] ?? "member",
    protectedByList: (value & 0x10) !== 0,
  };
}

/** The preview or pre-check of one row, from what the look-up found. Pure. */
export type LookupDecision = (
  | { kind: "send" }
  | { kind: "already"; message: string }
  | { kind: "not_found"; message: string }
  | { kind: "protected"; message: string }
  | { kind: "unknown"; message: string }
) & { facts?: AnswerFacts | undefined };

export function decideFromState(action: Action, state: UserState | undefined): LookupDecision {
  if (state === undefined) return { kind: "send" };
  const { facts } = state;
  if (state.kind === "not_found") return { kind: "not_found", message: state.message, facts };
  if (state.kind === "unknown") return { kind: "unknown", message: state.message, facts };
  if (state.protectedByList) return { kind: "protected", message: "on the protect list", facts };
  // Zoom refuses owners and admins anyway (400 code 200); we never even ask.
  if (state.role === "owner" || state.role === "admin") {
    return { kind: "protected", message: `the account's ${state.role}: never changed by this tool`, facts };
  }
  const target = action === "deactivate" ? "inactive" : "active";
  if (state.status === target) return { kind: "already", message: `already ${target} in Zoom`, facts };
  return { kind: "send", facts };
}
