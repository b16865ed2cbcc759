import type { Action } from "./actions.js";
import type { UserRole, UserStatus } from "./users.js";

/** What a look-up showed of a user when the plan was made; the apply holds the user's state then against it. */
export interface UserSnapshot {
  status: UserStatus;
  role: UserRole;
  /** Zoom's user type (1 Basic, 2 Licensed, 4 Unassigned); null when Zoom did not say. */
  type: number | null;
}

/** One change the plan would send: a row of the input, and the state its user (and transfer target) was in. */
export interface PlannedChange {
  line: number;
  user: string;
  action: Action;
  /** Where a removal's data goes. */
  transfer_to?: string | undefined;
  /** What the plan's dry run said it would do. */
  effect: string;
  user_state: UserSnapshot;
  transfer_to_state?: UserSnapshot | undefined;
}

/** The plan's changes by input line, as an apply holds each row against what was approved. */
export interface ApprovedChanges {
  get(line: number): PlannedChange | undefined;
}
