import type { TopLevelSpec } from "vega-lite";
import type { RunTimeline } from "../timeline.js";
import { CHANGE_BLUE, CHART_CONFIG, CHART_WIDTH, INK, LOOKUP_BLUE, RULE, WARN_RED } from "./chart-theme.js";
import { adaptivePace, limitRules, type PaceLimits, strip } from "./pace-marks.js";

export type { PaceLimits };

/** Seconds for a short run, minutes for a longer one: the x axis reads naturally either way. */
export function timeUnitFor(spanMs: number): { unitMs: number; title: string } {
  return spanMs < 180_000
    ? { unitMs: 1000, title: "seconds since the start" }
    : { unitMs: 60_000, title: "minutes since the start" };
}

/**
 * Requests per second over the run, stacked by kind, against the configured pace and the tier's limit, with
 * adaptive rate changes and the stop marked; below it, a strip of 429 answers and pauses on the same time axis.
 */
export function paceChartSpec(timeline: RunTimeline, limits: PaceLimits): TopLevelSpec {
  const { series } = timeline;
  const bucketS = series.bucket_ms / 1000;
  const { unitMs, title } = timeUnitFor(Math.max(timeline.span_ms, series.bucket_ms));
  const entries = series.sent_changes.length;
  const at = (entry: number) => (entry * series.bucket_ms) / unitMs;
  const endT = Math.max(at(entries), timeline.span_ms / unitMs);
  const xScale = { domain: [0, endT], nice: false, zero: true };

  const sent: Array<{ t: number; rps: number; series: string }> = [];
  const kinds: Array<[string, number[]]> = [
    ["status changes", series.sent_changes],
    ["look-ups", series.sent_lookups],
  ];
  const shownKinds = kinds.filter(([, counts]) => counts.some((n) => n > 0));
  for (const [name, counts] of shownKinds) {
    counts.forEach((n, entry) => {
      sent.push({ t: at(entry), rps: n / bucketS, series: name });
    });
    // Step areas need a closing point to draw their last entry.
    sent.push({ t: at(entries), rps: (counts.at(-1) ?? 0) / bucketS, series: name });
  }

  const rules = limitRules(limits);
  const paceSteps = adaptivePace(timeline, limits.rpsConfigured, unitMs, endT);
  const stops = timeline.events.flatMap((e) =>
    e.type === "stop" ? [{ t: e.at_ms / unitMs, label: `stopped: ${e.kind.replace("_", " ")}` }] : [],
  );
  const peaks =
    series.bucket_ms > 1000
      ? series.peak_sent_per_s.map((n, entry) => ({ t: at(entry), rps: n, series: "busiest second" }))
      : [];

  // Headroom above the highest line, where the stop's label goes clear of the limit rules.
  const highest = Math.max(
    1,
    ...series.sent_changes.map((n, entry) => (n + (series.sent_lookups[entry] ?? 0)) / bucketS),
    ...peaks.map((v) => v.rps),
    ...rules.map((r) => r.rps),
    ...paceSteps.map((v) => v.rps),
  );
  const y = () => ({
    field: "rps",
    type: "quantitative" as const,
    title: "requests per second",
    scale: { domain: [0, Math.ceil(highest * 1.2)], nice: false },
    axis: { tickCount: 5 },
  });

  const domain = [
    ...shownKinds.map(([name]) => name),
    ...(peaks.length > 0 ? ["busiest second"] : []),
    ...(paceSteps.length > 0 ? ["adaptive pace"] : []),
    ...rules.map((r) => r.series),
  ];
  const palette: Record<string, string> = {
    "status changes": CHANGE_BLUE,
    "look-ups": LOOKUP_BLUE,
    "busiest second": "#6b7280",
    "adaptive pace": "#7c5c1e",
    "configured pace": INK,
    "tier limit": WARN_RED,
    "tier limit (= configured pace)": WARN_RED,
  };
  const color = {
    field: "series",
    type: "nominal" as const,
    title: null,
    scale: { domain, range: domain.map((name) => palette[name] ?? RULE) },
  };
  const x = (axis: boolean) => ({
    field: "t",
    type: "quantitative" as const,
    scale: xScale,
    title: axis ? title : null,
    axis: axis ? { tickMinStep: 1 } : { labels: false, ticks: false, title: null },
  });

  const hasStrip = series.throttled.some((n) => n > 0) || timeline.events.some((e) => e.type === "pause");
  const mainX = x(!hasStrip);
  /** A step line on the main chart's axes, or no layer at all when it has no points. */
  const stepLine = (
    values: ReadonlyArray<{ t: number; rps: number }>,
    style: { strokeWidth: number; opacity?: number },
  ) =>
    values.length === 0
      ? []
      : [
          {
            data: { values },
            mark: { type: "line" as const, interpolate: "step-after" as const, ...style },
            encoding: { x: mainX, y: y(), color },
          },
        ];
  const main = {
    width: CHART_WIDTH - 60,
    height: 180,
    layer: [
      {
        data: { values: sent },
        mark: { type: "area" as const, interpolate: "step-after" as const, opacity: 0.85 },
        encoding: { x: mainX, y: y(), color },
      },
      ...stepLine(peaks, { strokeWidth: 1, opacity: 0.7 }),
      ...stepLine(paceSteps, { strokeWidth: 1.5 }),
      ...(rules.length > 0
        ? [
            {
              data: { values: rules },
              mark: { type: "rule" as const, strokeDash: [5, 3], strokeWidth: 1.25 },
              encoding: { y: y(), color },
            },
          ]
        : []),
      ...(stops.length > 0
        ? [
            {
              data: { values: stops },
              mark: { type: "rule" as const, color: WARN_RED, strokeWidth: 1.5 },
              encoding: { x: mainX },
            },
            {
              data: { values: stops },
              mark: {
                type: "text" as const,
                color: WARN_RED,
                align: "right" as const,
                baseline: "top" as const,
                dx: -4,
                y: 2,
                fontSize: 11,
              },
              encoding: { x: mainX, text: { field: "label", type: "nominal" as const } },
            },
          ]
        : []),
    ],
  };

  return {
    $schema: "https://vega.github.io/schema/vega-lite/v5.json",
    config: CHART_CONFIG,
    spacing: 6,
    vconcat: hasStrip ? [main, strip(timeline, unitMs, x(true))] : [main],
  } as TopLevelSpec;
}
