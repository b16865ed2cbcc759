import { isOffboardError } from "../domain/errors.js";
import type { AnswerFacts } from "../domain/report-row.js";
import { NOT_SENT } from "../pacing/not-sent.js";
import type { ZoomAnswer } from "../zoom/answer.js";
import { classifyAnswer, type Verdict } from "../zoom/classify-answer.js";
import type { FinalOutcome, ZoomOperation } from "../zoom/operation.js";
import { retryDelayMs } from "./backoff.js";
import type { Sender } from "./sender.js";

/** The facts of the last answer, for the report's http_status, zoom_code, tracking_id and message. */
export interface LastAnswer extends AnswerFacts {
  message?: string | undefined;
}

/** What one request came to, after as many attempts as it took. */
export type Sent<Out> = { attempts: number; last: LastAnswer } & (
  | { kind: "done"; value: Out }
  /** Decided for good by Zoom's answer (not found, refused, ...). */
  | { kind: "final"; outcome: FinalOutcome; message: string }
  | { kind: "daily_limit"; resetAt: Date }
  /** The run stopped before an answer decided it. */
  | { kind: "stopped" }
  /** Transient failures until the attempts ran out. */
  | { kind: "exhausted" }
);

// A token Zoom calls expired right after we refreshed it is not going to get better by refreshing again.
const TOKEN_REPEATS = 1;

/**
 * Send one operation until an answer decides it, the attempts run out, or the run stops. Every attempt, retries
 * included, waits for its turn in the operation's budget and pays it again. Never throws for what Zoom or the
 * network does: a run-level failure (the token endpoint, a shared budget's Redis) stops the run, and the request
 * is `stopped`. Anything else thrown is a bug and propagates.
 */
export async function sendRequest<In, Out>(
  operation: ZoomOperation<In, Out>,
  input: In,
  sender: Sender,
  context: Record<string, unknown> = {},
): Promise<Sent<Out>> {
  const { stop, observer } = sender;
  const pacer = sender.pacers[operation.label];
  const request = operation.request(input);
  let attempts = 0;
  let transientFailures = 0;
  let tokenRepeats = 0;
  let last: LastAnswer = {};

  for (;;) {
    if (stop.stopped) return { kind: "stopped", attempts, last };
    let startedAt = 0;
    let writtenAt: number | undefined;
    let answer: ZoomAnswer | typeof NOT_SENT;
    try {
      answer = await pacer.schedule(async (written) => {
        startedAt = sender.now();
        return sender.client.send(request, {
          written: () => {
            writtenAt = sender.now();
            written();
            observer?.sent(operation, writtenAt);
          },
        });
      });
    } catch (error) {
      if (!isOffboardError(error)) throw error;
      if (error.code === "REDIS_UNAVAILABLE") stop.stop({ kind: "redis", message: error.message });
      else if (error.code === "AUTH_FAILED" || error.code === "AUTH_UNAVAILABLE") {
        stop.stop({ kind: "auth", message: error.message });
      } else throw error;
      return { kind: "stopped", attempts, last };
    }
    if (answer === NOT_SENT) return { kind: "stopped", attempts, last };
    attempts += 1;
    const answeredAt = sender.now();
    observer?.answered(
      operation,
      answeredAt,
      answeredAt - (writtenAt ?? startedAt),
      answer.kind === "http" ? answer.status : undefined,
    );
    // A network failure has no status of its own: keep the last one Zoom did send.
    last = { ...last, ...factsOf(answer) };
    const verdict: Verdict<Out> = classifyAnswer(operation, input, answer, new Date(answeredAt));
    if (verdict.kind === "retry" && verdict.pauseAll)
      pacer.observe({ kind: "rate_limited", sentAt: startedAt });
    else if (answer.kind === "http")
      pacer.observe({ kind: "answered", remaining: answer.rateLimitRemaining });

    switch (verdict.kind) {
      case "done":
        return { kind: "done", value: verdict.value, attempts, last };
      case "final":
        if (verdict.stopRun !== undefined) stop.stop({ kind: "systemic", message: verdict.stopRun });
        return { kind: "final", outcome: verdict.outcome, message: verdict.message, attempts, last };
      case "daily_limit":
        stop.stop({ kind: "daily_limit", resetAt: verdict.resetAt });
        return { kind: "daily_limit", resetAt: verdict.resetAt, attempts, last };
      case "token_expired":
        // The client has dropped the token already: repeat at once with a fresh one, once, before counting it.
        if (tokenRepeats < TOKEN_REPEATS) {
          tokenRepeats += 1;
          continue;
        }
        break;
      case "retry":
        if (verdict.pauseAll) {
          observer?.rateLimited(operation);
          // Zoom's window is one second and the refused request's round trip is part of it already: counted from
          // its start, its successor reaches Zoom about a second after it did.
          if (verdict.retryAfterMs !== undefined) pacer.pause(verdict.retryAfterMs);
          else pacer.pause(sender.rateLimitPauseMs ?? 1000, startedAt);
        }
        break;
    }

    transientFailures += 1;
    if (transientFailures >= sender.maxAttempts) return { kind: "exhausted", attempts, last };
    const retryAfterMs = verdict.kind === "retry" ? verdict.retryAfterMs : undefined;
    const delayMs = retryDelayMs(transientFailures, retryAfterMs, sender.random);
    sender.logger.debug(
      { ...context, operation: operation.name, attempt: attempts, delayMs, answer: last.message },
      "retrying",
    );
    try {
      await sender.sleep(delayMs, stop.signal);
    } catch {
      return { kind: "stopped", attempts, last };
    }
  }
}

function factsOf(answer: ZoomAnswer): LastAnswer {
  if (answer.kind === "network") return { message: `${answer.errorCode}: ${answer.message}` };
  const message = answer.message ?? `HTTP ${answer.status}`;
  return {
    httpStatus: answer.status,
    zoomCode: answer.zoomCode,
    trackingId: answer.trackingId,
    message: answer.zoomCode === undefined ? message : `${message} (Zoom code ${answer.zoomCode})`,
  };
}
