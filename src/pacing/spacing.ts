/**
 * Spacing between request starts so that no sliding one-second window holds more than `rps` of them.
 *
 * With starts at least `minTimeMs` apart, `rps + 1` starts span `rps * minTimeMs` ms. Making that span 1000 ms plus
 * a margin means that a window of 1000 ms holds at most `rps` arrivals even when one request reaches Zoom up to
 * `marginMs` later than the others (Zoom counts arrivals, and arrivals jitter).
 */
export const DEFAULT_MARGIN_MS = 25;

/**
 * Runners in several processes (or machines) each start late by their own amount (their own event loop, a farther
 * Redis, another path to Zoom), so a budget shared through Redis keeps a wider margin.
 */
export const SHARED_MARGIN_MS = 90;

/**
 * The first seconds of a run keep a wider margin: both ends are warming up at once (new connections, code not yet
 * compiled, a server busy with the directory's large list pages), so early requests reach Zoom later after they
 * were written than steady ones do, which counting from the write cannot see.
 */
export const WARM_UP_MS = 2000;
const WARM_UP_MARGIN_MS = 100;

export function minTimeMs(rps: number, marginMs = DEFAULT_MARGIN_MS): number {
  if (!(rps > 0)) throw new RangeError(`Expected \`rps\` to be a number > 0, got \`${rps}\``);
  // A window holds whole requests: with a fractional rps (7.5/s) at most 7 fit in any one second, so the
  // spacing is set by the whole part. Below 1/s the average rate is what limits.
  const perWindow = Math.max(1, Math.floor(rps));
  return Math.max((1000 + marginMs) / perWindow, (1000 + marginMs) / rps);
}

/**
 * The spacing of a pacer that has been sending for `sendingForMs` (undefined: not yet): the warm-up margin for the
 * first {@link WARM_UP_MS}, then `marginMs`.
 */
export function spacingMs(rps: number, marginMs: number, sendingForMs: number | undefined): number {
  const warmingUp = sendingForMs === undefined || sendingForMs < WARM_UP_MS;
  return minTimeMs(rps, warmingUp ? Math.max(marginMs, WARM_UP_MARGIN_MS) : marginMs);
}

/** The rate that a spacing achieves, for logs and the summary. */
export function pacedRps(rps: number, marginMs = DEFAULT_MARGIN_MS): number {
  return 1000 / minTimeMs(rps, marginMs);
}

/** Default requests in flight: enough to reach `rps` at about a second of latency. */
export function defaultConcurrency(rps: number): number {
  return Math.max(1, Math.ceil(rps));
}
