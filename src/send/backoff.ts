/** Retry timing, as pure functions of the attempt number and a random source (tests pass their own). */
export interface BackoffPolicy {
  baseMs: number;
  capMs: number;
}

// undici's RetryHandler defaults: 500 ms doubling to a 30 s cap.
export const DEFAULT_BACKOFF: BackoffPolicy = { baseMs: 500, capMs: 30_000 };

/**
 * Exponential backoff with full jitter (a uniformly random wait between 0 and the exponential bound), which
 * spreads retries of many rows apart instead of sending them back in lock step.
 * `attempt` is the number of the attempt that just failed, from 1.
 */
export function backoffDelayMs(attempt: number, random: () => number, policy = DEFAULT_BACKOFF): number {
  const bound = Math.min(policy.capMs, policy.baseMs * 2 ** Math.max(0, attempt - 1));
  return Math.floor(random() * bound);
}

/**
 * The wait before the next attempt: Zoom's `Retry-After` when it gave one (capped, like undici's RetryHandler,
 * so a far-off date cannot park a row for hours), otherwise jittered backoff.
 */
export function retryDelayMs(
  attempt: number,
  retryAfterMs: number | undefined,
  random: () => number,
  policy = DEFAULT_BACKOFF,
): number {
  if (retryAfterMs !== undefined) return Math.min(Math.max(0, retryAfterMs), policy.capMs);
  return backoffDelayMs(attempt, random, policy);
}
