import { MAX_BUCKET_INDEX } from "./latency-histogram.js";
import {
  LATENCY_BANDS_MS,
  MAX_EVENTS,
  MAX_MESSAGE_LENGTH,
  MAX_SERIES_ENTRIES,
  MAX_STOPS,
  type RunTimeline,
  STOP_KINDS,
  type TimelineEvent,
} from "./timeline.js";

/**
 * The timeline a metadata file holds, or undefined when it has none (an older run) or holds something else: a
 * hand-edited or damaged file must not break the report, and must not make it unbounded either.
 */
export function parseTimeline(value: unknown): RunTimeline | undefined {
  return isRunTimeline(value) ? value : undefined;
}

function isRunTimeline(value: unknown): value is RunTimeline {
  if (!isObject(value) || value.version !== 1) return false;
  const { started_at, span_ms, series, latency, statuses, totals, events, events_dropped } = value;
  if (typeof started_at !== "string" || Number.isNaN(Date.parse(started_at))) return false;
  if (!isCount(span_ms) || !isCount(events_dropped)) return false;
  if (!validSeries(series) || !validHistogram(latency) || !validStatuses(statuses)) return false;
  if (!isObject(totals) || !TOTALS.every((key) => isCount(totals[key]))) return false;
  if (!Array.isArray(events) || events.length > MAX_EVENTS + MAX_STOPS || !events.every(validEvent)) {
    return false;
  }
  return true;
}

const TOTALS = [
  "sent_changes",
  "sent_lookups",
  "answered",
  "throttled",
  "pauses",
  "pause_ms",
  "rate_changes",
  "token_refreshes",
] as const;

const SERIES_COUNTS = ["sent_changes", "sent_lookups", "peak_sent_per_s", "answered", "throttled"] as const;

function validSeries(series: unknown): boolean {
  if (!isObject(series)) return false;
  const { bucket_ms, latency_bands_ms, latency } = series;
  // 1000 × 2^k: anything else was not written by the recorder.
  if (!isCount(bucket_ms) || bucket_ms < 1000 || !Number.isInteger(Math.log2(bucket_ms / 1000))) return false;
  const length = (series.sent_changes as unknown[] | undefined)?.length;
  if (length === undefined || length > MAX_SERIES_ENTRIES) return false;
  if (!SERIES_COUNTS.every((key) => isCountArray(series[key], length))) return false;
  if (!isCountArray(latency_bands_ms, LATENCY_BANDS_MS.length)) return false;
  return (
    Array.isArray(latency) &&
    latency.length === LATENCY_BANDS_MS.length + 1 &&
    latency.every((counts) => isCountArray(counts, length))
  );
}

function validHistogram(histogram: unknown): boolean {
  if (!isObject(histogram)) return false;
  const { count, sum_ms, min_ms, max_ms, steps_per_doubling, buckets } = histogram;
  if (!isCount(count) || !isCount(sum_ms) || !isNonNegative(min_ms) || !isNonNegative(max_ms)) return false;
  if (steps_per_doubling !== 16 || !Array.isArray(buckets) || buckets.length > MAX_BUCKET_INDEX + 1)
    return false;
  let previous = -1;
  let total = 0;
  for (const pair of buckets) {
    if (!Array.isArray(pair) || pair.length !== 2) return false;
    const [index, n] = pair as unknown[];
    if (!isCount(index) || index <= previous || index > MAX_BUCKET_INDEX || !isCount(n)) return false;
    previous = index;
    total += n;
  }
  return total === count;
}

function validStatuses(statuses: unknown): boolean {
  if (!isObject(statuses)) return false;
  const entries = Object.entries(statuses);
  return (
    entries.length <= 502 && entries.every(([key, n]) => /^([1-5]\d\d|none|other)$/.test(key) && isCount(n))
  );
}

function validEvent(event: unknown): event is TimelineEvent {
  if (!isObject(event) || !isCount(event.at_ms)) return false;
  switch (event.type) {
    case "pause":
      return isCount(event.duration_ms);
    case "rate_change":
      return isNonNegative(event.from_rps) && isNonNegative(event.to_rps);
    case "token_refresh":
      return true;
    case "stop":
      return (
        (STOP_KINDS as readonly unknown[]).includes(event.kind) &&
        typeof event.message === "string" &&
        event.message.length <= MAX_MESSAGE_LENGTH
      );
    default:
      return false;
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function isCount(value: unknown): value is number {
  return typeof value === "number" && Number.isSafeInteger(value) && value >= 0;
}

function isNonNegative(value: unknown): value is number {
  return typeof value === "number" && Number.isFinite(value) && value >= 0;
}

function isCountArray(value: unknown, length: number): boolean {
  return Array.isArray(value) && value.length === length && value.every(isCount);
}
