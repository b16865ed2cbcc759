import type { Outcome } from "./outcomes.js";

/** What identifies one answer of Zoom's in the report: its status, Zoom's code and the tracking id. */
export interface AnswerFacts {
  httpStatus?: number | undefined;
  zoomCode?: number | undefined;
  trackingId?: string | undefined;
}

/** One line of the outcome report, before formatting. */
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
  /** Requests that change something (not look-ups) sent for this row. */
  attempts: number;
  trackingId?: string | undefined;
  finishedAt: Date;
  /** Who received a removed user's data, when anything was transferred. */
  transferTo?: string | undefined;
}

/** How a row carried over by a resume begins its message: "carried over from <report>: <its message>". */
export const CARRIED_PREFIX = "carried over from ";

/**
 * A message as the report holds it: one line, because the report is read in a spreadsheet and by `grep`, and
 * Zoom's texts contain newlines and tabs. Every run of whitespace becomes one space.
 */
export function oneLine(text: string): string {
  return text.replace(/\s+/g, " ").trim();
}
