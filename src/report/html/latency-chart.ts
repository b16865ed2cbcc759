import type { TopLevelSpec } from "vega-lite";
import { bucketEdgesMs, type LatencyHistogram, latencyQuantileMs } from "../latency-histogram.js";
import { CHANGE_BLUE, CHART_CONFIG, CHART_WIDTH, INK } from "./chart-theme.js";

/** The recorder's fine buckets are merged by this much for the picture: four bars per doubling. */
const DISPLAY_MERGE = 4;

export const QUANTILES = [
  ["p50", 0.5],
  ["p90", 0.9],
  ["p99", 0.99],
] as const;

export function latencyQuantiles(histogram: LatencyHistogram): Array<{ name: string; ms: number }> {
  return QUANTILES.flatMap(([name, q]) => {
    const ms = latencyQuantileMs(histogram, q);
    return ms === undefined ? [] : [{ name, ms }];
  });
}

/** Answers by latency on a log scale, with p50, p90 and p99 marked. */
export function latencyChartSpec(histogram: LatencyHistogram): TopLevelSpec {
  const bars = new Map<number, { lo: number; hi: number; n: number }>();
  for (const [index, n] of histogram.buckets) {
    const group = Math.floor(index / DISPLAY_MERGE);
    const [lo] = bucketEdgesMs(group * DISPLAY_MERGE, histogram.steps_per_doubling);
    const [, hi] = bucketEdgesMs(group * DISPLAY_MERGE + DISPLAY_MERGE - 1, histogram.steps_per_doubling);
    const bar = bars.get(group) ?? { lo: Math.max(lo, 0.5), hi, n: 0 };
    bar.n += n;
    bars.set(group, bar);
  }
  const values = [...bars.values()];
  const quantiles = latencyQuantiles(histogram).map((q, row) => ({
    ms: q.ms,
    label: q.name,
    row,
  }));
  const lowest = Math.min(...values.map((v) => v.lo));
  const highest = Math.max(...values.map((v) => v.hi));
  const x = {
    field: "lo",
    type: "quantitative" as const,
    scale: { type: "log" as const, domain: [lowest, highest], nice: false },
    title: "latency (ms, log scale)",
    axis: { format: "~s", grid: false },
  };
  return {
    $schema: "https://vega.github.io/schema/vega-lite/v5.json",
    config: CHART_CONFIG,
    width: CHART_WIDTH / 2 - 40,
    height: 150,
    layer: [
      {
        data: { values },
        mark: { type: "rect", color: CHANGE_BLUE, opacity: 0.85 },
        encoding: {
          x,
          x2: { field: "hi" },
          y: {
            field: "n",
            type: "quantitative",
            title: "answers",
            axis: { format: ",d", tickMinStep: 1, tickCount: 4 },
          },
          y2: { datum: 0 },
        },
      },
      {
        data: { values: quantiles },
        mark: { type: "rule", color: INK, strokeDash: [3, 2] },
        encoding: { x: { ...x, field: "ms" } },
      },
      {
        data: { values: quantiles },
        mark: { type: "text", color: INK, align: "left", baseline: "top", dx: 3, fontSize: 10 },
        encoding: {
          x: { ...x, field: "ms" },
          y: { field: "row", type: "quantitative", scale: { domain: [0, 12], reverse: true }, axis: null },
          text: { field: "label", type: "nominal" },
        },
      },
    ],
    resolve: { scale: { y: "independent" } },
  };
}

/** Rows by status-change requests sent for them, for the rows that were sent at all. */
export function attemptsChartSpec(attempts: ReadonlyArray<{ attempts: number; rows: number }>): TopLevelSpec {
  const folded = new Map<string, { label: string; order: number; rows: number }>();
  // Up to the default --max-attempts at least, so "no retries" reads as empty bars rather than one lone bar.
  const shownUpTo = Math.min(10, Math.max(5, ...attempts.map((a) => a.attempts)));
  for (let n = 1; n <= shownUpTo; n++) {
    const label = n === 1 ? "1 (no retry)" : n === 10 ? "10+" : String(n);
    folded.set(label, { label, order: n, rows: 0 });
  }
  for (const { attempts: n, rows } of attempts) {
    if (n < 1) continue;
    const order = Math.min(n, 10);
    const label = order === 1 ? "1 (no retry)" : order === 10 ? "10+" : String(order);
    const entry = folded.get(label) ?? { label, order, rows: 0 };
    entry.rows += rows;
    folded.set(label, entry);
  }
  return {
    $schema: "https://vega.github.io/schema/vega-lite/v5.json",
    config: CHART_CONFIG,
    width: CHART_WIDTH / 2 - 40,
    height: 150,
    data: { values: [...folded.values()] },
    encoding: {
      x: {
        field: "label",
        type: "ordinal",
        sort: null,
        title: "requests sent for the row",
        axis: { labelAngle: 0 },
      },
      y: {
        field: "rows",
        type: "quantitative",
        title: "rows",
        axis: { format: ",d", tickMinStep: 1, tickCount: 4 },
      },
    },
    layer: [
      { mark: { type: "bar", color: CHANGE_BLUE, cornerRadiusEnd: 2 } },
      {
        mark: { type: "text", baseline: "bottom", dy: -2, fontSize: 10, color: INK },
        encoding: { text: { field: "rows", type: "quantitative", format: ",d" } },
      },
    ],
  };
}
