import type { Outcome } from "../domain/outcomes.js";
import type { AnswerFacts } from "../domain/report-row.js";

/** What a row's requests came to; the caller adds line, user and action to make the report row. */
export interface RowResult extends AnswerFacts {
  outcome: Outcome;
  message: string;
  /** Requests that change something, sent for this row. */
  attempts: number;
  /** Who received a removed user's data, when anything was transferred. */
  transferTo?: string | undefined;
}
