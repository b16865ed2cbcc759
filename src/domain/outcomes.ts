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
  | "protected";

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
];

/** Outcomes that make a finished run exit 1: a person has to look at these rows. */
export const PROBLEM_OUTCOMES: ReadonlySet<Outcome> = new Set<Outcome>([
  "invalid",
  "conflict",
  "not_found",
  "rejected",
  "failed",
]);

export type OutcomeCounts = Record<Outcome, number>;

export function emptyCounts(): OutcomeCounts {
  return Object.fromEntries(OUTCOMES.map((o) => [o, 0])) as OutcomeCounts;
}
