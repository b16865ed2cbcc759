/** The two status changes this tool sends. Zoom's schema also lists clock_in / clock_out, which we never send. */
export type Action = "activate" | "deactivate";

export const ACTIONS: readonly Action[] = ["activate", "deactivate"];

/** Every outcome a report row can carry (SPEC §4). */
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

/** Outcomes that make a finished run exit 1 (SPEC §7). */
export const PROBLEM_OUTCOMES: ReadonlySet<Outcome> = new Set<Outcome>([
  "invalid",
  "conflict",
  "not_found",
  "rejected",
  "failed",
]);

/** What identifies one answer of Zoom's in the report: its status, Zoom's code and the tracking id. */
export interface AnswerFacts {
  httpStatus?: number | undefined;
  zoomCode?: number | undefined;
  trackingId?: string | undefined;
}

/** One line of the outcome report, before formatting (SPEC §4). */
export interface ReportRow {
  /** Line in the input where the record starts; the header is line 1. */
  line: number;
  /** The user value as given, trimmed. */
  userId: string;
  /** Resolved lower-case action when valid, else the value as given (trimmed). */
  action: string;
  outcome: Outcome;
  httpStatus?: number | undefined;
  zoomCode?: number | string | undefined;
  message: string;
  /** Status-change requests (PUTs) sent for this row. */
  attempts: number;
  trackingId?: string | undefined;
  finishedAt: Date;
}

export type OutcomeCounts = Record<Outcome, number>;

export function emptyCounts(): OutcomeCounts {
  return Object.fromEntries(OUTCOMES.map((o) => [o, 0])) as OutcomeCounts;
}
