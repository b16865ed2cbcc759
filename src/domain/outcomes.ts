/** Every outcome a report row can carry. */
export type Outcome =
  | "applied"
  | "already"
  | "would_apply"
  | "invalid"
  | "duplicate"
  | "conflict"
  | "not_found"
  | "rejected"
  | "failed"
  | "not_attempted"
  | "protected"
  /** An undo of a change nothing can take back (a sign-out, a deletion): said plainly, nothing sent. */
  | "irreversible"
  /** Dated after the run's moment: nothing sent yet; a later run sends it on its day. */
  | "scheduled"
  /** Due, but a step of the same user dated later makes it moot (a deactivation before a rehire): nothing sent. */
  | "superseded"
  /** Planned and approved, but the user's state changed since the plan: not changed, the message says how. */
  | "drifted"
  /** Zoom answered that it applied the change, but reading the directory afterwards shows otherwise. */
  | "unverified";

export const OUTCOMES: readonly Outcome[] = [
  "applied",
  "already",
  "would_apply",
  "invalid",
  "duplicate",
  "conflict",
  "not_found",
  "rejected",
  "failed",
  "not_attempted",
  "protected",
  "irreversible",
  "scheduled",
  "superseded",
  "drifted",
  "unverified",
];

/** Outcomes that make a finished run exit 1: a person has to look at these rows. */
export const PROBLEM_OUTCOMES: ReadonlySet<Outcome> = new Set<Outcome>([
  "invalid",
  "conflict",
  "not_found",
  "rejected",
  "failed",
  "irreversible",
  "drifted",
  "unverified",
]);

export type OutcomeCounts = Record<Outcome, number>;

export function emptyCounts(): OutcomeCounts {
  return Object.fromEntries(OUTCOMES.map((o) => [o, 0])) as OutcomeCounts;
}

/**
 * 3 when stopped early, 1 when any row needs a person's attention (or the changes could not be verified), else 0.
 */
export function exitCodeFor(counts: OutcomeCounts, stoppedEarly: boolean, unconfirmed = false): 0 | 1 | 3 {
  if (stoppedEarly) return 3;
  if (unconfirmed) return 1;
  return OUTCOMES.some((outcome) => PROBLEM_OUTCOMES.has(outcome) && counts[outcome] > 0) ? 1 : 0;
}
