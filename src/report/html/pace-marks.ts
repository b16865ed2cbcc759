import type { RunTimeline } from "../timeline.js";
import { CHART_WIDTH, PAUSE_TINT, WARN_RED } from "./chart-theme.js";

export interface PaceLimits {
  rpsConfigured?: number | undefined;
  tierRpsLimit?: number | undefined;
}

/** The pieces of the pace chart around its main area: limit rules, the adaptive pace, and the 429 strip. */

export function limitRules(limits: PaceLimits): Array<{ rps: number; series: string }> {
  const { rpsConfigured, tierRpsLimit } = limits;
  if (rpsConfigured !== undefined && rpsConfigured === tierRpsLimit) {
    return [{ rps: rpsConfigured, series: "tier limit (= configured pace)" }];
  }
  return [
    ...(rpsConfigured === undefined ? [] : [{ rps: rpsConfigured, series: "configured pace" }]),
    ...(tierRpsLimit === undefined ? [] : [{ rps: tierRpsLimit, series: "tier limit" }]),
  ];
}

/** The pace adaptive pacing set, as steps: empty when it never moved. */
export function adaptivePace(
  timeline: RunTimeline,
  rpsConfigured: number | undefined,
  unitMs: number,
  endT: number,
): Array<{ t: number; rps: number; series: string }> {
  const changes = timeline.events.flatMap((e) => (e.type === "rate_change" ? [e] : []));
  const first = changes[0];
  if (first === undefined) return [];
  const series = "adaptive pace";
  const steps = [{ t: 0, rps: rpsConfigured ?? first.from_rps, series }];
  for (const change of changes) steps.push({ t: change.at_ms / unitMs, rps: change.to_rps, series });
  steps.push({ t: endT, rps: changes.at(-1)?.to_rps ?? first.to_rps, series });
  return steps;
}

/** 429 answers per entry as red bars, and pauses as tinted spans behind them. */
export function strip(timeline: RunTimeline, unitMs: number, x: object) {
  const { series } = timeline;
  const throttled = series.throttled.flatMap((n, entry) =>
    n > 0
      ? [{ t: (entry * series.bucket_ms) / unitMs, t2: ((entry + 1) * series.bucket_ms) / unitMs, n }]
      : [],
  );
  const pauses = timeline.events.flatMap((e) =>
    e.type === "pause" ? [{ t: e.at_ms / unitMs, t2: (e.at_ms + e.duration_ms) / unitMs }] : [],
  );
  const x2 = { field: "t2" };
  return {
    width: CHART_WIDTH - 60,
    height: 44,
    title: { text: "429 answers (bars) and pauses (shaded)", fontSize: 11, color: "#5b6675" },
    layer: [
      {
        data: { values: pauses.length > 0 ? pauses : [{ t: 0, t2: 0 }] },
        mark: { type: "rect" as const, color: PAUSE_TINT, opacity: pauses.length > 0 ? 0.9 : 0 },
        encoding: { x, x2 },
      },
      {
        data: { values: throttled.length > 0 ? throttled : [{ t: 0, t2: 0, n: 0 }] },
        mark: { type: "rect" as const, color: WARN_RED },
        encoding: {
          x,
          x2,
          y: {
            field: "n",
            type: "quantitative" as const,
            title: "429s",
            axis: { tickCount: 2, tickMinStep: 1, grid: false },
          },
          y2: { datum: 0 },
        },
      },
    ],
  };
}
