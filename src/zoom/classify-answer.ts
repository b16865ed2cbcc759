/**
 * What an answer from Zoom means for a request of any operation: one pure function of the operation, its input,
 * the answer and the clock. The rules every operation shares live here; each operation adds only the answers
 * that are its own. The caller acts on the verdict (retry, refresh the token, stop the run, or record it);
 * nothing here waits.
 */
import { describeAnswer, type HttpAnswer, is2xx, is4xx, isNoSuchUser, type ZoomAnswer } from "./answer.js";
import type { FinalVerdict, Interpreted, Verdict, ZoomOperation } from "./operation.js";

export type {
  DailyLimitVerdict,
  DoneVerdict,
  FinalVerdict,
  RetryVerdict,
  TokenExpiredVerdict,
  Verdict,
} from "./operation.js";

import { nextUtcMidnight, parseRetryAfter } from "./retry-after.js";

/** The parts of an operation the reading needs. */
export type Classified<In, Out> = Pick<ZoomOperation<In, Out>, "name" | "scopes" | "interpret">;

export function classifyAnswer<In, Out>(
  operation: Classified<In, Out>,
  input: In,
  answer: ZoomAnswer,
  now: Date,
): Verdict<Out> {
  // Resets, refusals and timeouts. Every operation here is safe to repeat: setting a status or a type twice
  // changes nothing more, and a second removal finds the user gone.
  if (answer.kind === "network") {
    return { kind: "retry", reason: "network", retryAfterMs: undefined, pauseAll: false };
  }
  const { status } = answer;
  if (is2xx(status)) {
    return (
      own(operation.interpret(answer, input), answer, now) ?? {
        kind: "final",
        outcome: "failed",
        message: `unexpected answer: HTTP ${status}`,
      }
    );
  }
  // Code 124 (expired or revoked token) is seen with 401 but documented under 400: key on the code only.
  if (answer.zoomCode === 124) return { kind: "token_expired" };
  if (status === 429) return classify429(operation, input, answer, now);
  // 5xx (and gateway pages in HTML from the load balancer): Zoom's side, worth another try.
  if (status >= 500 && status <= 599) {
    return {
      kind: "retry",
      reason: "server_error",
      retryAfterMs: parseRetryAfter(answer.retryAfter, now),
      pauseAll: false,
    };
  }
  if (is4xx(status))
    return own(operation.interpret(answer, input), answer, now) ?? refusal(operation, answer);
  // 1xx/3xx (a redirect from a misconfigured API URL, say): nothing we know how to read.
  return { kind: "final", outcome: "failed", message: `unexpected answer: HTTP ${status}` };
}

/** An operation's own reading as a verdict; a retry it asks for waits as Zoom says, for this request only. */
function own<Out>(
  interpreted: Interpreted<Out> | undefined,
  answer: HttpAnswer,
  now: Date,
): Verdict<Out> | undefined {
  if (interpreted?.kind !== "retry") return interpreted;
  return {
    kind: "retry",
    reason: interpreted.reason,
    retryAfterMs: parseRetryAfter(answer.retryAfter, now),
    pauseAll: false,
  };
}

function classify429<In, Out>(
  operation: Classified<In, Out>,
  input: In,
  answer: HttpAnswer,
  now: Date,
): Verdict<Out> {
  const message = answer.message ?? "";
  // Any of the headers may be missing, so the body's wording counts too. The daily limit stops every operation.
  const daily = answer.rateLimitType?.toLowerCase() === "daily-limit" || /daily rate limit/i.test(message);
  if (daily) {
    // Zoom sends the reset as an ISO date (not seconds); without one the counters reset at 00:00 UTC.
    const waitMs = parseRetryAfter(answer.retryAfter, now);
    const resetAt = waitMs === undefined ? nextUtcMidnight(now) : new Date(now.getTime() + waitMs);
    return { kind: "daily_limit", resetAt };
  }
  // An operation may know its own wording of "another request for this user is under way".
  const ownReading = own(operation.interpret(answer, input), answer, now);
  if (ownReading !== undefined) return ownReading;
  const retryAfterMs = parseRetryAfter(answer.retryAfter, now);
  // Two requests against the same user at once: only that user is affected, the budget is not exhausted.
  if (/too many concurrent requests/i.test(message)) {
    return { kind: "retry", reason: "concurrent", retryAfterMs, pauseAll: false };
  }
  // Per-second limit (type QPS, or no type at all): the account's budget is shared, so everyone waits.
  return { kind: "retry", reason: "rate_limit", retryAfterMs, pauseAll: true };
}

/** A 4xx the operation has no reading of its own for: decided for good, no retry. */
function refusal<In, Out>(operation: Classified<In, Out>, answer: HttpAnswer): FinalVerdict {
  const { status, zoomCode } = answer;
  const zoomText = answer.message;
  const described = describeAnswer(answer);
  if (isNoSuchUser(answer)) {
    return { kind: "final", outcome: "not_found", message: zoomText ?? `user not found (${described})` };
  }
  // Missing scope: every request of this operation would fail the same way, and Zoom disables apps with a high
  // error ratio. https://developers.zoom.us/docs/integrations/oauth-scopes-overview/
  if (zoomCode === 4711) {
    return {
      kind: "final",
      outcome: "rejected",
      message: zoomText ?? `missing scope (${described})`,
      stopRun: `the app lacks a required scope for ${operation.name} (any of ${operation.scopes.join(", ")}): Zoom code 4711`,
    };
  }
  // 401/403 without code 124: the credentials are not allowed to do this at all, for any row.
  if (status === 401 || status === 403) {
    return {
      kind: "final",
      outcome: "rejected",
      message: zoomText ?? described,
      stopRun: `Zoom refused the app's access (${described}): check the app's scopes and that it is activated for the account`,
    };
  }
  // Any other 4xx: Zoom's own words are the best reason.
  return { kind: "final", outcome: "rejected", message: zoomText ?? `rejected by Zoom (${described})` };
}
