/**
 * Spacing between request starts so that no sliding one-second window holds more than `rps` of them.
 *
 * With starts at least `minTimeMs` apart, `rps + 1` starts span `rps * minTimeMs` ms. Making that span
 * 1000 ms plus a margin means that a window of 1000 ms can hold at most `rps` starts even when the event
 * loop or the network delivers one request up to `marginMs` late (Zoom counts arrivals, and arrivals jitter).
 * At 30/s the margin of 25 ms costs 2.4 % of the budget: we pace at ~97.6 % of the limit.
 */
export const DEFAULT_MARGIN_MS = 25;

export function minTimeMs(rps: number, marginMs = DEFAULT_MARGIN_MS): number {
  if (!(rps > 0)) throw new RangeError(`Expected \`rps\` to be a number > 0, got \`${rps}\``);
  // A window holds whole requests: with a fractional rps (7.5/s) at most 7 fit in any one second, so the
  // spacing is set by the whole part. Below 1/s the average rate is what limits.
  const perWindow = Math.max(1, Math.floor(rps));
  return Math.max((1000 + marginMs) / perWindow, (1000 + marginMs) / rps);
}

/** The rate that a spacing achieves, for logs and the summary. */
export function pacedRps(rps: number, marginMs = DEFAULT_MARGIN_MS): number {
  return 1000 / minTimeMs(rps, marginMs);
}

/** Default requests in flight: enough to reach `rps` at ~1 s latency (SPEC §2). */
export function defaultConcurrency(rps: number): number {
  return Math.max(1, Math.ceil(rps));
}
