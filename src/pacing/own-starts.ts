/**
 * What our own request starts say about the account's window when Zoom refused one of them. Pure: the caller keeps
 * the start times (ascending, on one clock) and passes them in.
 */
export interface StartsBefore {
  /** Our starts in the window before `at` (the refused request's own start excluded). */
  count: number;
  /**
   * No longer gap than `maxGapMs` between any two of them, nor from the last one to `at`. Only then does the count
   * measure what fitted beside the other apps: after a pause, an idle spell, or a stall of this process (whose late
   * requests then reach Zoom bunched together), it says less than Zoom saw of us.
   */
  steady: boolean;
}

export function startsBefore(
  starts: readonly number[],
  at: number,
  windowMs: number,
  maxGapMs: number,
): StartsBefore {
  let count = 0;
  let steady = true;
  let later = at;
  for (let i = starts.length - 1; i >= 0; i -= 1) {
    const start = starts[i] ?? Number.NEGATIVE_INFINITY;
    if (start <= at - windowMs) break;
    if (start >= at) continue;
    count += 1;
    if (later - start > maxGapMs) steady = false;
    later = start;
  }
  return { count, steady };
}
