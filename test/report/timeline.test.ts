import { describe, expect, it } from "vitest";
import { bucketIndexOf, latencyQuantileMs, MAX_BUCKET_INDEX } from "../../src/report/latency-histogram.js";
import { parseTimeline } from "../../src/report/parse-timeline.js";
import {
  createTimeline,
  MAX_EVENTS,
  MAX_SERIES_ENTRIES,
  MAX_STOPS,
  type RunTimeline,
} from "../../src/report/timeline.js";

const START = Date.parse("2026-12-02T02:15:00Z");

describe("the per-second series", () => {
  it.each([
    // [ms after start, kind, entry]
    [0, "change", 0],
    [999, "change", 0],
    [1000, "lookup", 1],
    [61_500, "change", 61],
  ] as const)("a request sent %i ms in (%s) counts in entry %i", (ms, kind, entry) => {
    const timeline = createTimeline({ startedAtMs: START });
    timeline.requestSent(START + ms, kind);
    const { series } = timeline.toJSON();
    const sent = kind === "change" ? series.sent_changes : series.sent_lookups;
    expect(series.bucket_ms).toBe(1000);
    expect(sent).toHaveLength(entry + 1);
    expect(sent[entry]).toBe(1);
    expect(sent.reduce((a, b) => a + b)).toBe(1);
  });

  it("counts answers, 429s and latency bands where the answer came", () => {
    const timeline = createTimeline({ startedAtMs: START });
    timeline.answered(START + 200, 50, 200);
    timeline.answered(START + 300, 250, 429);
    timeline.answered(START + 1200, 5000, undefined);
    const json = timeline.toJSON();
    expect(json.series.answered).toEqual([2, 1]);
    expect(json.series.throttled).toEqual([1, 0]);
    expect(json.series.latency.map((band) => band[0])).toEqual([1, 1, 0, 0, 0]);
    expect(json.series.latency.map((band) => band[1])).toEqual([0, 0, 0, 0, 1]);
    expect(json.statuses).toEqual({ "200": 1, "429": 1, none: 1 });
    expect(json.totals).toMatchObject({ answered: 3, throttled: 1 });
  });

  it("clamps clock readings before the start to the first entry", () => {
    const timeline = createTimeline({ startedAtMs: START });
    timeline.requestSent(START - 5000, "change");
    expect(timeline.toJSON().series.sent_changes).toEqual([1]);
  });

  it("keeps each entry's busiest second after merging", () => {
    const timeline = createTimeline({ startedAtMs: START });
    for (let n = 0; n < 7; n++) timeline.requestSent(START + 10_000 + n, "change");
    timeline.requestSent(START + 11_000, "change");
    // Push the series past its bound: entries merge, the 7-request second stays visible as a peak.
    timeline.requestSent(START + 2 * MAX_SERIES_ENTRIES * 1000, "change");
    const { series } = timeline.toJSON();
    expect(series.bucket_ms).toBeGreaterThan(1000);
    expect(Math.max(...series.peak_sent_per_s)).toBe(7);
    expect(series.sent_changes.reduce((a, b) => a + b)).toBe(9);
  });
});

describe("the size bound", () => {
  it("a 10-hour run with a million answers stays within the bounds", () => {
    const timeline = createTimeline({ startedAtMs: START });
    const hours = 10;
    const answers = 1_000_000;
    const stepMs = (hours * 3600 * 1000) / answers;
    for (let n = 0; n < answers; n++) {
      const at = START + n * stepMs;
      timeline.requestSent(at, n % 10 === 0 ? "lookup" : "change");
      timeline.answered(at + 80, 40 + (n % 1000), n % 500 === 0 ? 429 : 200);
      if (n % 997 === 0) timeline.event(at, { type: "pause", duration_ms: 1000 });
    }
    timeline.event(START + hours * 3600 * 1000, { type: "stop", kind: "signal", message: "SIGTERM" });
    const json = timeline.toJSON();

    expect(json.series.sent_changes.length).toBeLessThanOrEqual(MAX_SERIES_ENTRIES);
    expect(json.series.sent_changes.length).toBeGreaterThanOrEqual(MAX_SERIES_ENTRIES / 2);
    expect(json.series.bucket_ms * json.series.sent_changes.length).toBeGreaterThanOrEqual(
      hours * 3600 * 1000,
    );
    expect(json.events.length).toBeLessThanOrEqual(MAX_EVENTS + MAX_STOPS);
    // The stop comes after the event cap was reached, and is kept all the same.
    expect(json.events.at(-1)).toMatchObject({ type: "stop", kind: "signal" });
    expect(json.events_dropped).toBe(Math.ceil(answers / 997) - MAX_EVENTS);
    expect(json.totals.pauses).toBe(Math.ceil(answers / 997));
    // Nothing is lost in the merges.
    const sum = (counts: number[]) => counts.reduce((a, b) => a + b, 0);
    expect(sum(json.series.sent_changes) + sum(json.series.sent_lookups)).toBe(answers);
    expect(sum(json.series.answered)).toBe(answers);
    expect(sum(json.series.latency.flat())).toBe(answers);
    expect(json.latency.count).toBe(answers);
    expect(JSON.stringify(json).length).toBeLessThan(200_000);
    const read: unknown = JSON.parse(JSON.stringify(json));
    expect(parseTimeline(read)).toBe(read);
  });
});

describe("latency quantiles", () => {
  it.each([
    ["uniform 1..1000 ms", (n: number) => 1 + (n % 1000)],
    ["log-normal-ish", (n: number) => Math.exp(3 + ((n * 7919) % 1000) / 250)],
    ["two clusters", (n: number) => (n % 10 === 0 ? 2500 : 60 + (n % 7))],
  ])("%s: p50, p90, p99 within 3 %% of the exact values", (_name, latency) => {
    const timeline = createTimeline({ startedAtMs: START });
    const values: number[] = [];
    for (let n = 0; n < 20_000; n++) {
      const ms = latency(n);
      values.push(ms);
      timeline.answered(START, ms, 200);
    }
    values.sort((a, b) => a - b);
    const { latency: histogram } = timeline.toJSON();
    for (const q of [0.5, 0.9, 0.99]) {
      const exact = values[Math.ceil(q * values.length) - 1] ?? 0;
      const estimate = latencyQuantileMs(histogram, q) ?? 0;
      expect(Math.abs(estimate - exact) / exact).toBeLessThan(0.03);
    }
    expect(histogram.min_ms).toBeCloseTo(values[0] ?? 0, 0);
    expect(histogram.max_ms).toBeCloseTo(values.at(-1) ?? 0, 0);
  });

  it.each([
    [0, 0],
    [0.5, 0],
    [1, 0],
    [2, 16],
    [1024, 160],
    [1e12, MAX_BUCKET_INDEX],
    [Number.NaN, 0],
  ])("%d ms falls in bucket %i", (ms, index) => {
    expect(bucketIndexOf(ms)).toBe(index);
  });

  it("is undefined when nothing was answered", () => {
    expect(latencyQuantileMs(createTimeline({ startedAtMs: START }).toJSON().latency, 0.5)).toBeUndefined();
  });
});

describe("events", () => {
  it("records pauses, rate changes, token refreshes and stops with their time since the start", () => {
    const timeline = createTimeline({ startedAtMs: START });
    timeline.event(START + 4000, { type: "rate_change", from_rps: 30, to_rps: 22.5 });
    timeline.event(START + 1500, { type: "pause", duration_ms: 2000.4 });
    timeline.event(START + 9000, { type: "token_refresh" });
    timeline.event(START + 9500, { type: "stop", kind: "daily_limit", message: "daily limit\nresets 00:00" });
    const json = timeline.toJSON();
    expect(json.events).toEqual([
      { type: "pause", at_ms: 1500, duration_ms: 2000 },
      { type: "rate_change", at_ms: 4000, from_rps: 30, to_rps: 22.5 },
      { type: "token_refresh", at_ms: 9000 },
      { type: "stop", at_ms: 9500, kind: "daily_limit", message: "daily limit resets 00:00" },
    ]);
    expect(json.totals).toMatchObject({ pauses: 1, pause_ms: 2000, rate_changes: 1, token_refreshes: 1 });
    expect(json.span_ms).toBe(9500);
  });

  it("caps a stop's message", () => {
    const timeline = createTimeline({ startedAtMs: START });
    timeline.event(START, { type: "stop", kind: "systemic", message: "x".repeat(10_000) });
    const [stop] = timeline.toJSON().events;
    expect(stop?.type === "stop" && stop.message.length).toBe(500);
  });
});

describe("parseTimeline", () => {
  const good = (): RunTimeline => {
    const timeline = createTimeline({ startedAtMs: START });
    timeline.requestSent(START + 10, "change");
    timeline.answered(START + 300, 290, 200);
    timeline.event(START + 400, { type: "stop", kind: "guard", message: "too many" });
    return JSON.parse(JSON.stringify(timeline.toJSON())) as RunTimeline;
  };

  it("accepts what the recorder writes", () => {
    expect(parseTimeline(good())).toEqual(good());
  });

  it.each<[string, (t: Record<string, unknown> & RunTimeline) => unknown]>([
    ["nothing (an older metadata file)", () => undefined],
    ["a string", () => "timeline"],
    ["another version", (t) => ({ ...t, version: 2 })],
    ["a bad start", (t) => ({ ...t, started_at: "yesterday" })],
    ["series of unequal lengths", (t) => ({ ...t, series: { ...t.series, answered: [1, 2, 3] } })],
    ["a negative count", (t) => ({ ...t, series: { ...t.series, sent_changes: [-1] } })],
    ["an odd bucket width", (t) => ({ ...t, series: { ...t.series, bucket_ms: 1500 } })],
    [
      "too long a series",
      (t) => {
        const long = new Array(MAX_SERIES_ENTRIES + 1).fill(0);
        return {
          ...t,
          series: {
            ...t.series,
            sent_changes: long,
            sent_lookups: long,
            peak_sent_per_s: long,
            answered: long,
            throttled: long,
            latency: t.series.latency.map(() => long),
          },
        };
      },
    ],
    ["histogram counts not adding up", (t) => ({ ...t, latency: { ...t.latency, count: 99 } })],
    ["an unknown event", (t) => ({ ...t, events: [{ type: "party", at_ms: 1 }] })],
    [
      "an unknown stop kind",
      (t) => ({ ...t, events: [{ type: "stop", at_ms: 1, kind: "meh", message: "" }] }),
    ],
    ["a strange status key", (t) => ({ ...t, statuses: { "<b>": 1 } })],
    ["missing totals", (t) => ({ ...t, totals: undefined })],
  ])("refuses %s", (_name, mutate) => {
    expect(parseTimeline(mutate(good() as Record<string, unknown> & RunTimeline))).toBeUndefined();
  });
});
