import type { Logger } from "pino";
import { isOffboardError } from "../domain/errors.js";
import type { StopControl } from "../domain/stop.js";
import type { DailyLimitVerdict, FinalVerdict, RetryVerdict, TokenExpiredVerdict } from "../zoom/classify.js";
import type { ZoomAnswer } from "../zoom/zoom-client.js";
import { retryDelayMs } from "./backoff.js";
import { NOT_SENT, type NotSent } from "./not-sent.js";
import type { RateLimiter } from "./rate-limiter.js";

/** What one answer means to the caller (a status change or a look-up), in the terms the retry loop acts on. */
export type Interpretation<T> =
  | { kind: "done"; value: T }
  /** Decided, and every other request would fail the same way: stop the run too. */
  | { kind: "stop_run"; value: T; reason: string }
  | { kind: "retry"; retryAfterMs: number | undefined; pauseAll: boolean }
  | { kind: "token_expired" }
  | { kind: "daily_limit"; resetAt: Date };

type Verdicts = RetryVerdict | TokenExpiredVerdict | DailyLimitVerdict | FinalVerdict;

/**
 * The part of interpreting a verdict that is the same for every request: transient answers, the token, the
 * daily limit, and a final refusal (with its run-wide stop). The caller maps only its own successes. Pure.
 */
export function interpretVerdict<T>(
  verdict: Verdicts,
  onFinal: (verdict: FinalVerdict) => T,
): Interpretation<T> {
  switch (verdict.kind) {
    case "final": {
      const value = onFinal(verdict);
      return verdict.stopRun === undefined
        ? { kind: "done", value }
        : { kind: "stop_run", value, reason: verdict.stopRun };
    }
    case "retry":
      return { kind: "retry", retryAfterMs: verdict.retryAfterMs, pauseAll: verdict.pauseAll };
    case "token_expired":
    case "daily_limit":
      return verdict;
  }
}

/** The facts of the last answer, for the report's http_status, zoom_code, tracking_id and message. */
export interface AnswerFacts {
  httpStatus?: number | undefined;
  zoomCode?: number | undefined;
  trackingId?: string | undefined;
  message?: string | undefined;
}

export type RetryResult<T> = { attempts: number; last: AnswerFacts } & (
  | { kind: "done"; value: T }
  | { kind: "daily_limit"; resetAt: Date }
  /** The run stopped before an answer decided it. */
  | { kind: "stopped" }
  /** Transient failures until attempts ran out. */
  | { kind: "exhausted" }
);

export interface RetryDeps {
  limiter: RateLimiter;
  stop: StopControl;
  maxAttempts: number;
  random: () => number;
  /** Resolves after `ms`, or rejects when `signal` aborts. */
  sleep: (ms: number, signal: AbortSignal) => Promise<void>;
  logger: Logger;
  /** A QPS 429 without Retry-After: hold the limiter this long (Zoom's window is one second). */
  rateLimitPauseMs?: number;
  /** Told of each 429 that paused the limiter, for the summary. */
  onRateLimited?: () => void;
}

// A token that Zoom calls expired right after we refreshed it is not going to get better by refreshing again.
const TOKEN_REPEATS = 1;

/**
 * Send one request through the limiter until an answer decides it, attempts run out, or the run stops (`request`
 * passes `onWire` to the client, which calls it when the request is written). Every
 * attempt, retries included, goes through the limiter and pays the rate budget again (Bottleneck's own retry
 * would skip it). Never throws for what Zoom or the network does. A thrown request means the token endpoint
 * failed for the whole run: the run stops.
 */
export async function withRetries<T>(
  request: (onWire: () => void) => Promise<ZoomAnswer>,
  interpret: (answer: ZoomAnswer) => Interpretation<T>,
  deps: RetryDeps,
  context: Record<string, unknown> = {},
): Promise<RetryResult<T>> {
  let attempts = 0;
  let transientFailures = 0;
  let tokenRepeats = 0;
  let last: AnswerFacts = {};

  for (;;) {
    if (deps.stop.stopped) return { kind: "stopped", attempts, last };
    let answer: ZoomAnswer | NotSent;
    let sentAt: number | undefined;
    try {
      answer = await deps.limiter.schedule((startedAt, onWire) => {
        sentAt = startedAt;
        return request(onWire);
      });
    } catch (error) {
      // Only run-level failures get here (the token endpoint refused or vanished, or a shared budget's Redis):
      // no request went out for this attempt, and no other row can do better.
      const message = error instanceof Error ? error.message : String(error);
      const redis = isOffboardError(error) && error.code === "REDIS_UNAVAILABLE";
      deps.stop.stop({ kind: redis ? "redis" : "auth", message });
      return { kind: "stopped", attempts, last };
    }
    if (answer === NOT_SENT) return { kind: "stopped", attempts, last };
    attempts += 1;
    // A network failure has no status of its own: keep the last one Zoom did send.
    last = { ...last, ...answerFacts(answer) };
    const meaning = interpret(answer);
    // Adaptive pacing: a per-second 429 (one that pauses everyone) or whatever else Zoom said about the budget.
    if (meaning.kind === "retry" && meaning.pauseAll) deps.limiter.observe({ kind: "rate_limited", sentAt });
    else if (answer.kind === "http")
      deps.limiter.observe({ kind: "answered", remaining: answer.rateLimitRemaining });

    switch (meaning.kind) {
      case "done":
        return { kind: "done", value: meaning.value, attempts, last };
      case "stop_run":
        deps.stop.stop({ kind: "systemic", message: meaning.reason });
        return { kind: "done", value: meaning.value, attempts, last };
      case "daily_limit":
        deps.stop.stop({ kind: "daily_limit", resetAt: meaning.resetAt });
        return { kind: "daily_limit", resetAt: meaning.resetAt, attempts, last };
      case "token_expired":
        // The client has already dropped the token: repeat at once with a fresh one, once, before counting it.
        if (tokenRepeats < TOKEN_REPEATS) {
          tokenRepeats += 1;
          continue;
        }
        break;
      case "retry":
        if (meaning.pauseAll) {
          deps.onRateLimited?.();
          if (meaning.retryAfterMs !== undefined) {
            deps.limiter.pause(meaning.retryAfterMs, "429 from Zoom (Retry-After)");
          } else {
            // Zoom's window is one second; the refused request's own round trip is part of it already: its
            // successor, sent a second after it, reaches Zoom about a second after it did.
            deps.limiter.pause(deps.rateLimitPauseMs ?? 1000, "429 from Zoom", sentAt);
          }
        }
        break;
    }

    transientFailures += 1;
    if (transientFailures >= deps.maxAttempts) return { kind: "exhausted", attempts, last };
    const retryAfterMs = meaning.kind === "retry" ? meaning.retryAfterMs : undefined;
    const delayMs = retryDelayMs(transientFailures, retryAfterMs, deps.random);
    deps.logger.debug({ ...context, attempt: attempts, delayMs, answer: last.message }, "retrying");
    try {
      await deps.sleep(delayMs, deps.stop.signal);
    } catch {
      return { kind: "stopped", attempts, last };
    }
  }
}

function answerFacts(answer: ZoomAnswer): AnswerFacts {
  if (answer.kind === "network") return { message: `${answer.errorCode}: ${answer.message}` };
  const message = answer.message ?? `HTTP ${answer.status}`;
  return {
    httpStatus: answer.status,
    zoomCode: answer.zoomCode,
    trackingId: answer.trackingId,
    message: answer.zoomCode === undefined ? message : `${message} (Zoom code ${answer.zoomCode})`,
  };
}
