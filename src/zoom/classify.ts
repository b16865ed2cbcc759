/**
 * What an answer from Zoom means for a row: pure functions of the answer and the clock (SPEC §5, API-NOTES).
 * The batch acts on the verdict (retry, refresh the token, stop the run, or record an outcome); nothing here waits.
 */
import { type HttpAnswer, isRecord, oneLine, type ZoomAnswer } from "./answer.js";
import { nextUtcMidnight, parseRetryAfter } from "./retry-after.js";

export type RetryVerdict = {
  kind: "retry";
  reason: "rate_limit" | "concurrent" | "server_error" | "network";
  retryAfterMs: number | undefined;
  /** A per-second 429 means the whole account is over budget: every row must wait, not just this one. */
  pauseAll: boolean;
};
export type TokenExpiredVerdict = { kind: "token_expired" };
export type DailyLimitVerdict = { kind: "daily_limit"; resetAt: Date };
export type FinalVerdict = {
  kind: "final";
  outcome: "not_found" | "rejected" | "failed";
  message: string;
  /** Set when every other row would fail the same way: the batch stops the run with this reason. */
  stopRun?: string;
};

export type StatusVerdict =
  | { kind: "success" }
  | RetryVerdict
  | TokenExpiredVerdict
  | DailyLimitVerdict
  | FinalVerdict;

export type UserStatus = "active" | "inactive" | "pending";
export type UserRole = "owner" | "admin" | "member";

export type LookupVerdict =
  | { kind: "found"; status: UserStatus; role: UserRole; id?: string; email?: string }
  | { kind: "not_found"; message: string }
  | RetryVerdict
  | TokenExpiredVerdict
  | DailyLimitVerdict
  | (FinalVerdict & { outcome: "rejected" | "failed" });

/** 400 codes that refuse this change for good (API-NOTES): admin/Zoom Room, upcoming Zoom Events, user caps. */
const REFUSALS = new Set([200, 300, 3412, 2033, 1120]);

export function classifyStatusAnswer(answer: ZoomAnswer, now: Date): StatusVerdict {
  const early = classifyCommon(answer, now);
  if (early) return early;
  // classifyCommon handled every network answer.
  const http = answer as HttpAnswer;
  if (is2xx(http.status)) return { kind: "success" };
  return classifyRefusal(http, "user:write:admin");
}

export function classifyLookupAnswer(answer: ZoomAnswer, now: Date): LookupVerdict {
  const early = classifyCommon(answer, now);
  if (early) return early;
  const http = answer as HttpAnswer;
  if (is2xx(http.status)) return readUser(http);
  const verdict = classifyRefusal(http, "user:read:admin");
  if (verdict.outcome === "not_found") return { kind: "not_found", message: verdict.message };
  return { ...verdict, outcome: verdict.outcome };
}

/** Transient answers and the token: the same for every endpoint. */
function classifyCommon(
  answer: ZoomAnswer,
  now: Date,
): RetryVerdict | TokenExpiredVerdict | DailyLimitVerdict | undefined {
  // Resets, refusals and timeouts: the PUT of a status is idempotent, so repeating it is safe.
  if (answer.kind === "network") {
    return { kind: "retry", reason: "network", retryAfterMs: undefined, pauseAll: false };
  }
  const { status } = answer;
  if (is2xx(status)) return undefined;
  // Code 124 (expired or revoked token) is seen with 401 but documented under 400: key on the code only.
  if (answer.zoomCode === 124) return { kind: "token_expired" };
  if (status === 429) return classify429(answer, now);
  // 5xx (and gateway pages in HTML from the load balancer): Zoom's side, worth another try.
  if (status >= 500 && status <= 599) {
    return {
      kind: "retry",
      reason: "server_error",
      retryAfterMs: parseRetryAfter(answer.retryAfter, now),
      pauseAll: false,
    };
  }
  return undefined;
}

function classify429(answer: HttpAnswer, now: Date): RetryVerdict | DailyLimitVerdict {
  const message = answer.message ?? "";
  // Any of the headers may be missing, so the body's wording counts too.
  const daily = answer.rateLimitType?.toLowerCase() === "daily-limit" || /daily rate limit/i.test(message);
  if (daily) {
    // Zoom sends the reset as an ISO date (not seconds); without one the counters reset at 00:00 UTC.
    const waitMs = parseRetryAfter(answer.retryAfter, now);
    const resetAt = waitMs === undefined ? nextUtcMidnight(now) : new Date(now.getTime() + waitMs);
    return { kind: "daily_limit", resetAt };
  }
  const retryAfterMs = parseRetryAfter(answer.retryAfter, now);
  // Two requests against the same user at once: only that user is affected, the budget is not exhausted.
  if (/too many concurrent requests/i.test(message)) {
    return { kind: "retry", reason: "concurrent", retryAfterMs, pauseAll: false };
  }
  // Per-second limit (type QPS, or no type at all): the account's budget is shared, so everyone waits.
  return { kind: "retry", reason: "rate_limit", retryAfterMs, pauseAll: true };
}

/** Non-2xx, non-transient answers: decided for good, no retry. */
function classifyRefusal(answer: HttpAnswer, scope: string): FinalVerdict {
  const { status, zoomCode } = answer;
  const zoomText = answer.message;
  const described = describe(answer);
  if (status >= 400 && status <= 499) {
    // 404 code 1001 "User does not exist: {userId}." — also trust the code when it comes with another 4xx.
    if (status === 404 || zoomCode === 1001) {
      return { kind: "final", outcome: "not_found", message: zoomText ?? `user not found (${described})` };
    }
    // Missing scope: every row would fail the same way, and Zoom disables apps with a high error ratio.
    if (zoomCode === 4711) {
      return {
        kind: "final",
        outcome: "rejected",
        message: zoomText ?? `missing scope (${described})`,
        stopRun: `the app lacks a required scope (${scope}): Zoom code 4711`,
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
    // 400 codes 200 / 300 / 3412 / 2033 / 1120 and any other 4xx: Zoom's own words are the best reason.
    if (zoomCode !== undefined && REFUSALS.has(zoomCode)) {
      return { kind: "final", outcome: "rejected", message: zoomText ?? described };
    }
    return { kind: "final", outcome: "rejected", message: zoomText ?? `rejected by Zoom (${described})` };
  }
  // 1xx/3xx (a redirect from a misconfigured --api-url, say): nothing we know how to read.
  return { kind: "final", outcome: "failed", message: `unexpected answer: HTTP ${status}` };
}

/** "HTTP 400, Zoom code 3412: <message>" for messages and stop reasons. */
function describe(answer: HttpAnswer): string {
  const code = answer.zoomCode === undefined ? "" : `, Zoom code ${answer.zoomCode}`;
  const text = answer.message === undefined ? "" : `: ${answer.message}`;
  return oneLine(`HTTP ${answer.status}${code}${text}`);
}

/** GET /users/{userId}: `status` is pending / active / inactive; `role_id` "0" is the owner, "1" an admin. */
function readUser(answer: HttpAnswer): LookupVerdict {
  const user = isRecord(answer.body) ? answer.body : {};
  const status = user.status;
  if (status !== "active" && status !== "inactive" && status !== "pending") {
    return {
      kind: "final",
      outcome: "failed",
      message: `unexpected answer: HTTP ${answer.status} without a user status`,
    };
  }
  const found: LookupVerdict = { kind: "found", status, role: roleOf(user) };
  if (typeof user.id === "string" && user.id !== "") found.id = user.id;
  if (typeof user.email === "string" && user.email !== "") found.email = user.email;
  return found;
}

/** owner / admin / member from a Zoom user record (role_id "0" and "1", or the role name). */
export function roleOf(user: Record<string, unknown>): UserRole {
  const roleId = typeof user.role_id === "number" ? String(user.role_id) : user.role_id;
  if (roleId === "0") return "owner";
  if (roleId === "1") return "admin";
  const roleName = typeof user.role_name === "string" ? user.role_name.trim().toLowerCase() : "";
  if (roleName === "owner") return "owner";
  if (roleName === "admin") return "admin";
  return "member";
}

function is2xx(status: number): boolean {
  return status >= 200 && status <= 299;
}
