import { ACTIONS, type Action, REMOVALS } from "../domain/actions.js";
import type { LookupStrategy } from "./choose-strategy.js";
import type { LookupBook } from "./lookup-book.js";
import type { ProtectList } from "./protect-list.js";
import { decideFromState, type LookupDecision, transferTargetProblem, type UserState } from "./user-state.js";

/** A row that passed the file's checks, as the look-ups see it. */
export interface RowToDecide {
  user: string;
  action: Action;
  /** Where a removal moves the user's data. */
  transferTo: string | undefined;
}

/** A removal in the plan, to show where the user's data goes. */
export interface PlannedRemoval {
  user: string;
  action: "delete" | "disassociate";
  transferTo: string | undefined;
}

/** What the file would do once the look-ups are taken into account: the guard and the prompt read this. */
export interface Plan {
  /** Rows that would be sent, by action. */
  changes: Record<Action, number>;
  /** The first removals (up to PLANNED_REMOVALS_SHOWN), each with its transfer target. */
  removals: PlannedRemoval[];
  already: number;
  notFound: number;
  protected: number;
  /** Users whose look-up failed: a real run sends their change and lets Zoom's answer decide. */
  unknown: number;
  invalid: number;
  duplicate: number;
  conflict: number;
}

export type PlannedLookups = PlannedUpFront | PlannedAlongside;

interface PlannedBase {
  strategy: LookupStrategy;
  reason: string;
  /** Active users in the account, when a directory read counted them. */
  activeUsers: number | undefined;
  /** The decision for one row that passed the file's checks, from what the book knows about its user. */
  decide(row: RowToDecide): LookupDecision;
  /** What the look-ups learned about one user value. */
  stateOf(user: string): UserState | undefined;
}

/** Every look-up was made before returning: the plan counts what the whole file would do. */
export interface PlannedUpFront extends PlannedBase {
  alongside: false;
  plan: Plan;
}

/**
 * Look-ups go on while the rows are sent (allowed only when no outcome of them could stop the run: see
 * `PlanOptions.lookAlongside`). A row must wait for {@link whenKnown} before {@link decide}. `strategy` may
 * change while the run goes (the directory's size is read alongside too) and is final after {@link finish}.
 */
export interface PlannedAlongside extends PlannedBase {
  alongside: true;
  /** Resolves once `user` (and a row's transfer target) is known: listed in the directory, or looked up alone. */
  whenKnown(user: string): Promise<void>;
  /** Stop reading the directory (every row is decided) and wait for the read to end. */
  finish(): Promise<void>;
}

export const PLANNED_REMOVALS_SHOWN = 20;

/**
 * Protect list first (by the row's own value), then what the look-ups learned; for a removal, also whether its
 * transfer target can receive the data (`needsLicence`: recordings or webinars are among what moves).
 */
export function decideWith(
  book: LookupBook,
  protect: ProtectList,
  needsLicence: boolean,
): PlannedBase["decide"] {
  return ({ user, action, transferTo }) => {
    if (protect.matches(user)) return { kind: "protected", message: "on the protect list" };
    const decision = decideFromState(action, book.get(user));
    if (decision.kind !== "send" || transferTo === undefined || !REMOVALS.has(action)) return decision;
    const problem = transferTargetProblem(transferTo, book.get(transferTo), needsLicence);
    return problem === undefined ? decision : { kind: "invalid", message: problem, facts: decision.facts };
  };
}

/** A plan with nothing counted yet. */
export function emptyPlan(counts: { invalid: number; duplicate: number; conflict: number }): Plan {
  return {
    changes: Object.fromEntries(ACTIONS.map((action) => [action, 0])) as Record<Action, number>,
    removals: [],
    already: 0,
    notFound: 0,
    protected: 0,
    unknown: 0,
    invalid: counts.invalid,
    duplicate: counts.duplicate,
    conflict: counts.conflict,
  };
}

/** Count one row's decision into the plan. */
export function countInto(plan: Plan, row: RowToDecide, decision: LookupDecision): void {
  if (decision.kind === "send" || decision.kind === "unknown") {
    const action = decision.kind === "send" && decision.disassociate === true ? "disassociate" : row.action;
    plan.changes[action] += 1;
    if (decision.kind === "unknown") plan.unknown += 1;
    if ((action === "delete" || action === "disassociate") && plan.removals.length < PLANNED_REMOVALS_SHOWN) {
      plan.removals.push({ user: row.user, action, transferTo: row.transferTo });
    }
  } else if (decision.kind === "already") plan.already += 1;
  else if (decision.kind === "not_found") plan.notFound += 1;
  else if (decision.kind === "invalid") plan.invalid += 1;
  else plan.protected += 1;
}
