import { type SimReply, zoomError } from "./http.js";
import type { RateLabel, RateLimits } from "./rate-limits.js";
import type { RefusalBook } from "./refusals.js";
import { hasScopeFor, missingScopeReply } from "./scopes.js";
import type { StatsRecorder } from "./stats.js";
import { bearerToken, type TokenStore } from "./tokens.js";
import type { SimRoute } from "./types.js";

const QPS_MESSAGE = "You have reached the maximum per-second rate limit for this API. Try again later.";
const DAILY_MESSAGE =
  "You have reached the maximum daily rate limit for this API. " +
  "Refer to the response header for details on when you can make another request.";

export interface AdmissionDeps {
  tokens: TokenStore;
  grantedScopes: ReadonlySet<string>;
  refusals: RefusalBook;
  rateLimits: RateLimits;
  stats: StatsRecorder;
  /** Canonical ids of users with a request being processed; the caller adds and removes them. */
  usersInProgress: ReadonlySet<string>;
  qpsRetryAfterSec: number | undefined;
}

/**
 * Decides, at arrival and in arrival order (Zoom counts arrivals), whether a /v2 request is served: token,
 * scopes and forced refusals, then rate limits, then one request per user at a time. Returns the refusal, or
 * undefined to serve it. Refusals before the rate limits use no budget, like every unserved request here.
 */
export function createAdmission(deps: AdmissionDeps) {
  const { tokens, grantedScopes, refusals, rateLimits, stats, usersInProgress } = deps;
  const qpsRetryAfter = deps.qpsRetryAfterSec === undefined ? undefined : String(deps.qpsRetryAfterSec);

  const rateLimited = (label: RateLabel, atMs: number): SimReply | undefined => {
    const decision = rateLimits.admit(label, atMs);
    if (decision.ok) return undefined;
    stats.counters.tooManyRequests++;
    const headers: Record<string, string> = {
      "x-ratelimit-category": decision.label,
      "x-ratelimit-type": decision.type,
      "x-ratelimit-limit": String(decision.limit),
      "x-ratelimit-remaining": "0",
    };
    if (decision.type === "Daily-limit") {
      stats.counters.dailyLimited++;
      if (decision.retryAfter !== undefined) headers["retry-after"] = decision.retryAfter;
      return zoomError(429, 429, DAILY_MESSAGE, headers);
    }
    if (qpsRetryAfter !== undefined) headers["retry-after"] = qpsRetryAfter;
    return zoomError(429, 429, QPS_MESSAGE, headers);
  };

  return (
    authorization: string | undefined,
    route: SimRoute,
    label: RateLabel | undefined,
    userKey: string | undefined,
    atMs: number,
  ): SimReply | undefined => {
    const tokenState = tokens.check(bearerToken(authorization), atMs);
    if (tokenState !== "valid") {
      stats.counters.tokenExpiredAnswers++;
      const message = tokenState === "expired" ? "Access token is expired." : "Invalid access token.";
      return zoomError(401, 124, message);
    }
    if (route !== "token" && route !== "other") {
      if (!hasScopeFor(route, grantedScopes)) {
        stats.counters.missingScopeAnswers++;
        return missingScopeReply(route);
      }
      const forced = refusals.check(route);
      if (forced !== undefined) {
        stats.counters.forcedRefusals++;
        return forced;
      }
    }
    const limited = label === undefined ? undefined : rateLimited(label, atMs);
    if (limited !== undefined) return limited;
    if (userKey !== undefined && usersInProgress.has(userKey)) {
      stats.counters.concurrentSameUser++;
      stats.counters.tooManyRequests++;
      // Zoom's own example of this answer is for a removal; other operations get the short form.
      const message =
        route === "delete_user"
          ? "Too many concurrent requests. A request to disassociate this user has already been made."
          : "Too many concurrent requests.";
      return zoomError(429, 429, message);
    }
    return undefined;
  };
}
