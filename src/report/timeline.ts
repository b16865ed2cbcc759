import { oneLine } from "../domain/report-row.js";
import { createLatencyHistogram } from "./latency-histogram.js";
import { bandOf, createSeries } from "./timeline-series.js";

import {
  MAX_EVENTS,
  MAX_MESSAGE_LENGTH,
  MAX_STOPS,
  type RequestKind,
  type RunTimeline,
  type TimelineEvent,
  type TimelineEventInput,
} from "./timeline-types.js";

export { LATENCY_BANDS_MS, MAX_SERIES_ENTRIES } from "./timeline-series.js";
export * from "./timeline-types.js";

export interface TimelineRecorder {
  requestSent(atMs: number, kind: RequestKind): void;
  /** A request ended: `status` undefined when no HTTP answer came (timeout, connection reset). */
  answered(atMs: number, latencyMs: number, status: number | undefined): void;
  event(atMs: number, event: TimelineEventInput): void;
  toJSON(): RunTimeline;
}

/** A recorder for one run; times are clock readings (epoch ms) from the caller's clock. */
export function createTimeline(options: { startedAtMs: number }): TimelineRecorder {
  const { startedAtMs } = options;
  const series = createSeries();
  const histogram = createLatencyHistogram();
  const statuses = new Map<string, number>();
  const totals: RunTimeline["totals"] = {
    sent_changes: 0,
    sent_lookups: 0,
    answered: 0,
    throttled: 0,
    pauses: 0,
    pause_ms: 0,
    rate_changes: 0,
    token_refreshes: 0,
  };
  const events: TimelineEvent[] = [];
  let kept = 0;
  let stops = 0;
  let dropped = 0;
  let spanMs = 0;
  // Requests sent in the latest whole second, for the entry's peak.
  let second = -1;
  let inSecond = 0;

  const since = (atMs: number): number => {
    const ms = Number.isFinite(atMs) ? Math.max(0, Math.round(atMs - startedAtMs)) : 0;
    spanMs = Math.max(spanMs, ms);
    return ms;
  };

  return {
    requestSent(atMs, kind) {
      const ms = since(atMs);
      const entry = series.entryAt(ms);
      if (kind === "change") {
        series.sentChanges[entry] = (series.sentChanges[entry] ?? 0) + 1;
        totals.sent_changes += 1;
      } else {
        series.sentLookups[entry] = (series.sentLookups[entry] ?? 0) + 1;
        totals.sent_lookups += 1;
      }
      const thisSecond = Math.floor(ms / 1000);
      // A request reported a little late (an older second) is counted, but not in a peak.
      if (thisSecond > second) {
        second = thisSecond;
        inSecond = 0;
      }
      if (thisSecond === second) {
        inSecond += 1;
        series.peak[entry] = Math.max(series.peak[entry] ?? 0, inSecond);
      }
    },
    answered(atMs, latencyMs, status) {
      const entry = series.entryAt(since(atMs));
      series.answered[entry] = (series.answered[entry] ?? 0) + 1;
      totals.answered += 1;
      if (status === 429) {
        series.throttled[entry] = (series.throttled[entry] ?? 0) + 1;
        totals.throttled += 1;
      }
      const band = bandOf(latencyMs);
      const counts = series.latency[band];
      if (counts !== undefined) counts[entry] = (counts[entry] ?? 0) + 1;
      histogram.add(latencyMs);
      const key = statusKey(status);
      statuses.set(key, (statuses.get(key) ?? 0) + 1);
    },
    event(atMs, input) {
      const at_ms = since(atMs);
      if (input.type === "pause") {
        totals.pauses += 1;
        totals.pause_ms += Math.max(0, Math.round(input.duration_ms) || 0);
      } else if (input.type === "rate_change") totals.rate_changes += 1;
      else if (input.type === "token_refresh") totals.token_refreshes += 1;
      if (input.type === "stop") {
        if (stops >= MAX_STOPS) {
          dropped += 1;
          return;
        }
        stops += 1;
        events.push({ type: "stop", at_ms, kind: input.kind, message: oneLineCapped(input.message) });
        return;
      }
      if (kept >= MAX_EVENTS) {
        dropped += 1;
        return;
      }
      kept += 1;
      events.push(
        input.type === "pause"
          ? { type: "pause", at_ms, duration_ms: Math.max(0, Math.round(input.duration_ms) || 0) }
          : input.type === "rate_change"
            ? { type: "rate_change", at_ms, from_rps: rps(input.from_rps), to_rps: rps(input.to_rps) }
            : { type: "token_refresh", at_ms },
      );
    },
    toJSON() {
      return {
        version: 1,
        started_at: new Date(startedAtMs).toISOString(),
        span_ms: spanMs,
        series: series.toJSON(),
        latency: histogram.toJSON(),
        statuses: Object.fromEntries([...statuses].sort(([a], [b]) => a.localeCompare(b))),
        totals: { ...totals },
        events: [...events].sort((a, b) => a.at_ms - b.at_ms),
        events_dropped: dropped,
      };
    },
  };
}

function rps(value: number): number {
  return Number.isFinite(value) ? Math.max(0, Math.round(value * 100) / 100) : 0;
}

function statusKey(status: number | undefined): string {
  if (status === undefined) return "none";
  return Number.isInteger(status) && status >= 100 && status <= 599 ? String(status) : "other";
}

function oneLineCapped(message: string): string {
  const line = oneLine(message);
  return line.length > MAX_MESSAGE_LENGTH ? `${line.slice(0, MAX_MESSAGE_LENGTH - 1)}…` : line;
}
