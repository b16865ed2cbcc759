import type { Outcome } from "../domain/outcomes.js";
import { CARRIED_PREFIX, type ReportRow } from "../domain/report-row.js";

export { CARRIED_PREFIX };

import type { InputRecord } from "../input/open-input.js";
import type { RowVerdict } from "../input/scan-input.js";

/** Outcomes an earlier run settled for good: a resume copies them instead of sending again. */
export const FINAL_OUTCOMES: ReadonlySet<Outcome> = new Set<Outcome>([
  "applied",
  "already",
  "not_found",
  "rejected",
  "protected",
  "invalid",
  "duplicate",
  "conflict",
  // The plan no longer holds for the user: a new plan decides what happens to them.
  "drifted",
]);

/** Outcomes that only Zoom (or a look-up / protect list) can give a row that passed the file checks. */
const DECIDED_FOR_SENT_ROWS: ReadonlySet<Outcome> = new Set<Outcome>([
  "applied",
  "already",
  "not_found",
  "rejected",
  "protected",
  "drifted",
]);

/**
 * What a resume keeps of one final row of the earlier report: the whole row minus the line (the map's key).
 * Rows to process again (failed, not_attempted, would_apply) are not kept at all.
 */
export interface CarriedEntry {
  userId: string;
  action: string;
  outcome: Outcome;
  httpStatus: number | undefined;
  zoomCode: number | string | undefined;
  message: string;
  attempts: number;
  trackingId: string | undefined;
  finishedAtMs: number;
  transferTo: string | undefined;
}

export function toCarriedEntry(row: ReportRow): CarriedEntry | undefined {
  if (!FINAL_OUTCOMES.has(row.outcome)) return undefined;
  return {
    userId: row.userId,
    action: row.action,
    outcome: row.outcome,
    httpStatus: row.httpStatus,
    zoomCode: row.zoomCode,
    message: row.message,
    attempts: row.attempts,
    trackingId: row.trackingId,
    finishedAtMs: row.finishedAt.getTime(),
    transferTo: row.transferTo,
  };
}

/**
 * The row a resume writes for `record` instead of deciding it again, or undefined to decide it anew. User, action
 * and line must match, and the earlier outcome must fit today's checks (a row to send only a Zoom outcome, others
 * only the same verdict): with `--force` and an edited file, an earlier `duplicate` must not hide a row that is
 * now its user's first.
 */
export function carryOver(
  entry: CarriedEntry | undefined,
  record: InputRecord,
  verdict: RowVerdict,
  earlierReportName: string,
): ReportRow | undefined {
  if (entry === undefined) return undefined;
  if (entry.userId !== (record.user ?? "") || entry.action !== verdict.action) return undefined;
  const fits =
    verdict.kind === "send" ? DECIDED_FOR_SENT_ROWS.has(entry.outcome) : entry.outcome === verdict.kind;
  if (!fits) return undefined;
  return {
    line: record.line,
    userId: entry.userId,
    action: entry.action,
    outcome: entry.outcome,
    httpStatus: entry.httpStatus,
    zoomCode: entry.zoomCode,
    // A row carried across several resumes names the report it was first carried from, not a growing chain.
    message: entry.message.startsWith(CARRIED_PREFIX)
      ? entry.message
      : `${CARRIED_PREFIX}${earlierReportName}: ${entry.message}`,
    attempts: entry.attempts,
    trackingId: entry.trackingId,
    finishedAt: new Date(entry.finishedAtMs),
    transferTo: entry.transferTo,
  };
}
