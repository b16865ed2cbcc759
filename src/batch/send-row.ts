import type { Logger } from "pino";
import type { Action, Outcome } from "../domain.js";
import { classifyStatusAnswer } from "../zoom/classify.js";
import type { ZoomAnswer } from "../zoom/zoom-client.js";
import { retryDelayMs } from "./backoff.js";
import { NOT_SENT, type NotSent, type RateLimiter } from "./rate-limiter.js";
import type { StopControl } from "./stop-control.js";

/** What a row's requests came to; the caller adds line, user and action to make the report row. */
export interface RowResult {
  outcome: Outcome;
  message: string;
  attempts: number;
  httpStatus?: number | undefined;
  zoomCode?: number | undefined;
  trackingId?: string | undefined;
}

export interface SendRowDeps {
  limiter: RateLimiter;
  setStatus: (user: string, action: Action) => Promise<ZoomAnswer>;
  stop: StopControl;
  maxAttempts: number;
  random: () => number;
  /** Resolves after `ms`, or rejects when `signal` aborts. */
  sleep: (ms: number, signal: AbortSignal) => Promise<void>;
  now: () => Date;
  logger: Logger;
  /** A QPS 429 without Retry-After: hold the limiter this long (Zoom's window is one second). */
  rateLimitPauseMs?: number;
  /** Told of each 429 absorbed, for the summary. */
  onRateLimited?: () => void;
}

// A token that Zoom calls expired right after we refreshed it is not going to get better by refreshing again.
const TOKEN_REPEATS = 1;

/**
 * Send one row's status change until Zoom decides it, attempts run out, or the run stops.
 * Never throws for anything Zoom or the network does: that becomes the row's outcome. Run-level failures
 * (the token endpoint refusing us) do throw, and the batch turns them into a stop.
 */
export async function sendRow(user: string, action: Action, deps: SendRowDeps): Promise<RowResult> {
  let attempts = 0;
  let transientFailures = 0;
  let tokenRepeats = 0;
  let last: Pick<RowResult, "httpStatus" | "zoomCode" | "trackingId"> & { message?: string } = {};

  const stoppedResult = (): RowResult =>
    attempts === 0
      ? { outcome: "not_attempted", message: "run stopped before this row was sent", attempts }
      : {
          outcome: "failed",
          message: `run stopped before the row was retried; last answer: ${last.message ?? "none"}`,
          attempts,
          ...pick(last),
        };

  for (;;) {
    if (deps.stop.stopped) return stoppedResult();
    let answer: ZoomAnswer | NotSent;
    try {
      answer = await deps.limiter.schedule(() => deps.setStatus(user, action));
    } catch (error) {
      // Only run-level failures get here (the token endpoint refused or vanished): no PUT went out for
      // this attempt, and no other row can do better, so the run stops.
      deps.stop.stop({ kind: "auth", message: error instanceof Error ? error.message : String(error) });
      return stoppedResult();
    }
    if (answer === NOT_SENT) return stoppedResult();
    attempts += 1;
    // A network failure has no status of its own: keep the last one Zoom did send.
    last = { ...last, ...describeAnswer(answer) };
    const verdict = classifyStatusAnswer(answer, deps.now());

    switch (verdict.kind) {
      case "success":
        return { outcome: "applied", message: "status changed", attempts, ...pick(last) };
      case "final":
        if (verdict.stopRun !== undefined) deps.stop.stop({ kind: "systemic", message: verdict.stopRun });
        return { outcome: verdict.outcome, message: verdict.message, attempts, ...pick(last) };
      case "daily_limit":
        // The change was refused, so this row is not done: it goes back to the pile of rows never sent.
        deps.stop.stop({ kind: "daily_limit", resetAt: verdict.resetAt });
        return {
          outcome: "not_attempted",
          message: `Zoom's daily rate limit reached; resets at ${verdict.resetAt.toISOString()}`,
          attempts,
          ...pick(last),
        };
      case "token_expired":
        // The client has already dropped the token; repeat once with a fresh one before counting it as a failure.
        if (tokenRepeats < TOKEN_REPEATS) {
          tokenRepeats += 1;
          continue;
        }
        break;
      case "retry":
        if (verdict.reason === "rate_limit") {
          deps.onRateLimited?.();
          deps.limiter.pause(verdict.retryAfterMs ?? deps.rateLimitPauseMs ?? 1000, "429 from Zoom");
        }
        break;
    }

    transientFailures += 1;
    if (transientFailures >= deps.maxAttempts) {
      return {
        outcome: "failed",
        message: `gave up after ${attempts} attempts; last answer: ${last.message ?? "none"}`,
        attempts,
        ...pick(last),
      };
    }
    const retryAfterMs = verdict.kind === "retry" ? verdict.retryAfterMs : undefined;
    const delayMs = retryDelayMs(transientFailures, retryAfterMs, deps.random);
    deps.logger.debug({ user, attempt: attempts, delayMs, answer: last.message }, "retrying row");
    try {
      await deps.sleep(delayMs, deps.stop.signal);
    } catch {
      return stoppedResult();
    }
  }
}

function pick(last: Pick<RowResult, "httpStatus" | "zoomCode" | "trackingId">): Partial<RowResult> {
  return { httpStatus: last.httpStatus, zoomCode: last.zoomCode, trackingId: last.trackingId };
}

function describeAnswer(
  answer: ZoomAnswer,
): Pick<RowResult, "httpStatus" | "zoomCode" | "trackingId"> & { message: string } {
  if (answer.kind === "network") return { message: `${answer.errorCode}: ${answer.message}` };
  const message = answer.message ?? `HTTP ${answer.status}`;
  return {
    httpStatus: answer.status,
    zoomCode: answer.zoomCode,
    trackingId: answer.trackingId,
    message: answer.zoomCode === undefined ? message : `${message} (Zoom code ${answer.zoomCode})`,
  };
}
