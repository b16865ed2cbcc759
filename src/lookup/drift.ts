import type { UserSnapshot } from "../domain/plan.js";
import type { UserRole, UserState } from "./user-state.js";

const TYPE_NAMES: Readonly<Record<number, string>> = { 1: "Basic", 2: "Licensed", 4: "Unassigned" };

export function typeName(type: number): string {
  return TYPE_NAMES[type] ?? `type ${type}`;
}

function roleWords(role: UserRole): string {
  return role === "room" ? "a Zoom Room" : role === "member" ? "a member" : `an ${role}`;
}

/** The planned state of a user from what a look-up found, for the plan file; undefined when nothing was found. */
export function snapshotOf(state: UserState | undefined): UserSnapshot | undefined {
  if (state?.kind !== "found") return undefined;
  return { status: state.status, role: state.role, type: state.type ?? null };
}

/**
 * What changed about `who` since the plan, in words ("inactive, was active"); undefined when nothing that the
 * change depends on did. Status and role always count; the licence type only where it matters (`withType`: a
 * licence change, a transfer target). A type Zoom did not report on one side is not a change.
 */
export function driftOf(
  who: string,
  planned: UserSnapshot,
  now: UserState | undefined,
  withType: boolean,
): string | undefined {
  if (now === undefined || now.kind === "unknown") {
    return `${who} could not be looked up again${now === undefined ? "" : ` (${now.message})`}`;
  }
  if (now.kind === "not_found") return `${who} is no longer in the account`;
  const changes: string[] = [];
  if (now.status !== planned.status) changes.push(`${now.status}, was ${planned.status}`);
  if (now.role !== planned.role) changes.push(`${roleWords(now.role)}, was ${roleWords(planned.role)}`);
  if (withType && now.type !== undefined && planned.type !== null && now.type !== planned.type) {
    changes.push(`${typeName(now.type)}, was ${typeName(planned.type)}`);
  }
  return changes.length === 0 ? undefined : `${who} is now ${changes.join("; ")}`;
}
