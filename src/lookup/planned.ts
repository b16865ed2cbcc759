import type { Action } from "../domain/actions.js";
import type { LookupStrategy } from "./choose-strategy.js";
import type { LookupBook } from "./lookup-book.js";
import type { ProtectList } from "./protect-list.js";
import { decideFromState, type LookupDecision } from "./user-state.js";

/** What the file would do once the look-ups are taken into account: the guard and the prompt read this. */
export interface Plan {
  deactivate: number;
  activate: number;
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
  decide(user: string, action: Action): LookupDecision;
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
  /** Resolves once `user` is known: listed in the directory, or looked up alone. */
  whenKnown(user: string): Promise<void>;
  /** Stop reading the directory (every row is decided) and wait for the read to end. */
  finish(): Promise<void>;
}

/** Protect list first (by the row's own value), then what the look-ups learned. */
export function decideWith(book: LookupBook, protect: ProtectList): PlannedBase["decide"] {
  return (user, action) => {
    if (protect.matches(user)) return { kind: "protected", message: "on the protect list" };
    return decideFromState(action, book.get(user));
  };
}
