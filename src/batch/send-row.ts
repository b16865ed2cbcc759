import type { Action } from "../domain/actions.js";
import type { Outcome } from "../domain/outcomes.js";
import { classifyStatusAnswer, type StatusVerdict } from "../zoom/classify.js";
import type { ZoomAnswer } from "../zoom/zoom-client.js";
import {
  type AnswerFacts,
  type Interpretation,
  interpretVerdict,
  type RetryDeps,
  withRetries,
} from "./with-retries.js";

/** What a row's requests came to; the caller adds line, user and action to make the report row. */
export interface RowResult {
  outcome: Outcome;
  message: string;
  attempts: number;
  httpStatus?: number | undefined;
  zoomCode?: number | undefined;
  trackingId?: string | undefined;
}

export interface SendRowDeps extends RetryDeps {
  setStatus: (user: string, action: Action, onWire?: () => void) => Promise<ZoomAnswer>;
  now: () => Date;
}

type Decided = { outcome: Outcome; message: string };

/** A status change's answer, in the retry loop's terms. Pure. */
export function interpretStatus(verdict: StatusVerdict): Interpretation<Decided> {
  if (verdict.kind === "success")
    return { kind: "done", value: { outcome: "applied", message: "status changed" } };
  return interpretVerdict(verdict, (final) => ({ outcome: final.outcome, message: final.message }));
}

/**
 * Send one row's status change until Zoom decides it, attempts run out, or the run stops. Never throws for
 * anything Zoom or the network does: that becomes the row's outcome.
 */
export async function sendRow(user: string, action: Action, deps: SendRowDeps): Promise<RowResult> {
  const result = await withRetries(
    (onWire) => deps.setStatus(user, action, onWire),
    (answer) => interpretStatus(classifyStatusAnswer(answer, deps.now())),
    deps,
    { user },
  );
  const facts = pick(result.last);
  const lastMessage = result.last.message ?? "none";
  switch (result.kind) {
    case "done":
      return { ...result.value, attempts: result.attempts, ...facts };
    case "daily_limit":
      // The change was refused, so this row is not done: it goes back to the pile of rows never sent.
      return {
        outcome: "not_attempted",
        message: `Zoom's daily rate limit reached; resets at ${result.resetAt.toISOString()}`,
        attempts: result.attempts,
        ...facts,
      };
    case "exhausted":
      return {
        outcome: "failed",
        message: `gave up after ${result.attempts} attempts; last answer: ${lastMessage}`,
        attempts: result.attempts,
        ...facts,
      };
    case "stopped":
      // A row the stop cut short between attempts is undecided, not failed: its attempts did not run out, and the
      // stop (a signal, the daily limit, the token endpoint gone) says nothing about the row. --resume sends it again.
      return result.attempts === 0
        ? { outcome: "not_attempted", message: "run stopped before this row was sent", attempts: 0 }
        : {
            outcome: "not_attempted",
            message: `run stopped before the row was retried (${result.attempts} sent); last answer: ${lastMessage}`,
            attempts: result.attempts,
            ...facts,
          };
  }
}

function pick(last: AnswerFacts): Pick<RowResult, "httpStatus" | "zoomCode" | "trackingId"> {
  return { httpStatus: last.httpStatus, zoomCode: last.zoomCode, trackingId: last.trackingId };
}
