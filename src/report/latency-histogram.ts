/**
 * A whole-run latency histogram with log-spaced buckets: bucket i holds latencies in [2^(i/16), 2^((i+1)/16)) ms,
 * so any quantile read back from it is within about 2.2 % of the true value (half a bucket's width), whatever the
 * number of answers, in a bounded number of buckets.
 */
export const STEPS_PER_DOUBLING = 16;

/** The last bucket starts at 2^20 ms (about 17 minutes): longer latencies are counted there. */
export const MAX_BUCKET_INDEX = 20 * STEPS_PER_DOUBLING;

export interface LatencyHistogram {
  count: number;
  sum_ms: number;
  /** Exact extremes, or 0 when nothing was recorded. */
  min_ms: number;
  max_ms: number;
  steps_per_doubling: number;
  /** [bucket index, count] pairs, ascending by index, counts above zero only. */
  buckets: Array<[number, number]>;
}

export function bucketIndexOf(latencyMs: number): number {
  if (!(latencyMs > 1)) return 0;
  return Math.min(MAX_BUCKET_INDEX, Math.floor(STEPS_PER_DOUBLING * Math.log2(latencyMs)));
}

/** The lower and upper edge of a bucket, in milliseconds (bucket 0 starts at 0). */
export function bucketEdgesMs(index: number, stepsPerDoubling = STEPS_PER_DOUBLING): [number, number] {
  const low = index === 0 ? 0 : 2 ** (index / stepsPerDoubling);
  return [low, 2 ** ((index + 1) / stepsPerDoubling)];
}

/**
 * The latency below which a share `q` (0..1) of the answers fell: the geometric middle of the bucket holding that
 * rank, kept within the exact min and max. undefined when the histogram is empty.
 */
export function latencyQuantileMs(histogram: LatencyHistogram, q: number): number | undefined {
  if (histogram.count === 0) return undefined;
  const rank = Math.max(1, Math.ceil(Math.min(1, Math.max(0, q)) * histogram.count));
  let seen = 0;
  for (const [index, count] of histogram.buckets) {
    seen += count;
    if (seen >= rank) {
      const middle = 2 ** ((index + 0.5) / histogram.steps_per_doubling);
      return Math.min(histogram.max_ms, Math.max(histogram.min_ms, middle));
    }
  }
  return histogram.max_ms;
}

/** Accumulates latencies into a {@link LatencyHistogram}. */
export function createLatencyHistogram(): { add(latencyMs: number): void; toJSON(): LatencyHistogram } {
  const counts = new Array<number>(MAX_BUCKET_INDEX + 1).fill(0);
  let count = 0;
  let sumMs = 0;
  let minMs = Number.POSITIVE_INFINITY;
  let maxMs = 0;
  return {
    add(latencyMs) {
      const ms = Number.isFinite(latencyMs) ? Math.max(0, latencyMs) : 0;
      const index = bucketIndexOf(ms);
      counts[index] = (counts[index] ?? 0) + 1;
      count += 1;
      sumMs += ms;
      minMs = Math.min(minMs, ms);
      maxMs = Math.max(maxMs, ms);
    },
    toJSON() {
      const buckets: Array<[number, number]> = [];
      counts.forEach((n, index) => {
        if (n > 0) buckets.push([index, n]);
      });
      return {
        count,
        sum_ms: Math.round(sumMs),
        min_ms: count === 0 ? 0 : round1(minMs),
        max_ms: round1(maxMs),
        steps_per_doubling: STEPS_PER_DOUBLING,
        buckets,
      };
    },
  };
}

function round1(ms: number): number {
  return Math.round(ms * 10) / 10;
}
