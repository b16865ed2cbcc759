import type { RunTimeline } from "./timeline-types.js";

/** Upper bounds of the per-second latency bands; a last band holds everything slower. */
export const LATENCY_BANDS_MS: readonly number[] = [100, 300, 1000, 3000];

/** Series entries at most: past it, neighbouring entries are merged in pairs (see {@link RunTimeline}). */
export const MAX_SERIES_ENTRIES = 1800;

const BANDS = LATENCY_BANDS_MS.length + 1;

/** The band of a latency: the first whose upper bound it does not pass. */
export function bandOf(latencyMs: number): number {
  const index = LATENCY_BANDS_MS.findIndex((bound) => latencyMs <= bound);
  return index === -1 ? LATENCY_BANDS_MS.length : index;
}

/** The per-entry counters, which merge in pairs whenever one more entry would pass the bound. */
export function createSeries() {
  let bucketMs = 1000;
  const state = {
    sentChanges: [] as number[],
    sentLookups: [] as number[],
    peak: [] as number[],
    answered: [] as number[],
    throttled: [] as number[],
    latency: Array.from({ length: BANDS }, () => [] as number[]),
  };
  const all = (): number[][] => [
    state.sentChanges,
    state.sentLookups,
    state.answered,
    state.throttled,
    ...state.latency,
  ];
  const merge = (): void => {
    for (const counts of all()) pairUp(counts, (a, b) => a + b);
    pairUp(state.peak, Math.max);
    bucketMs *= 2;
  };
  return {
    ...state,
    /** The entry that holds `ms`, growing (and merging) the series to reach it. */
    entryAt(ms: number): number {
      while (Math.floor(ms / bucketMs) >= MAX_SERIES_ENTRIES) merge();
      const entry = Math.floor(ms / bucketMs);
      for (const counts of [...all(), state.peak]) while (counts.length <= entry) counts.push(0);
      return entry;
    },
    toJSON(): RunTimeline["series"] {
      return {
        bucket_ms: bucketMs,
        sent_changes: [...state.sentChanges],
        sent_lookups: [...state.sentLookups],
        peak_sent_per_s: [...state.peak],
        answered: [...state.answered],
        throttled: [...state.throttled],
        latency_bands_ms: [...LATENCY_BANDS_MS],
        latency: state.latency.map((counts) => [...counts]),
      };
    },
  };
}

/** Replace the array's contents by its neighbouring pairs combined, in place. */
function pairUp(counts: number[], combine: (a: number, b: number) => number): void {
  const pairs = Math.ceil(counts.length / 2);
  for (let i = 0; i < pairs; i++) counts[i] = combine(counts[2 * i] ?? 0, counts[2 * i + 1] ?? 0);
  counts.length = pairs;
}
