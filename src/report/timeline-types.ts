import type { StopReason } from "../domain/stop.js";
import type { LatencyHistogram } from "./latency-histogram.js";

/** Zoom API requests the run sends: status changes, and the look-ups that go with them. */
export type RequestKind = "change" | "lookup";

/** Why a run stopped before deciding every row. */
export type StopKind = StopReason["kind"];

export const STOP_KINDS: readonly StopKind[] = [
  "daily_limit",
  "signal",
  "guard",
  "declined",
  "systemic",
  "auth",
  "redis",
];

/** What happened at a moment of the run; `at_ms` counts from the run's start. */
export type TimelineEvent =
  /** The whole limiter paused after a 429. */
  | { type: "pause"; at_ms: number; duration_ms: number }
  /** Adaptive pacing moved the rate. */
  | { type: "rate_change"; at_ms: number; from_rps: number; to_rps: number }
  | { type: "token_refresh"; at_ms: number }
  | { type: "stop"; at_ms: number; kind: StopKind; message: string };

/** An event as recorded: its time comes as a clock reading. */
export type TimelineEventInput = TimelineEvent extends infer E
  ? E extends TimelineEvent
    ? Omit<E, "at_ms">
    : never
  : never;

/** Events kept besides stops; later ones are only counted. */
export const MAX_EVENTS = 500;
/** Stop events kept (a run has one or two: a signal during a daily-limit stop). */
export const MAX_STOPS = 8;
/** Longest stop message kept, in characters. */
export const MAX_MESSAGE_LENGTH = 500;

/**
 * How a run went, for its metadata file and the HTML report. Bounded whatever the rows or the duration: the
 * series starts at one entry a second, and whenever it would pass MAX_SERIES_ENTRIES the entries are merged in
 * neighbouring pairs (counts added, peaks maxed) and `bucket_ms` doubles, so it holds 900 to 1,800 entries of
 * 1000 × 2^k ms once the run is longer than half an hour.
 */
export interface RunTimeline {
  version: 1;
  started_at: string;
  /** From the start to the last thing recorded. */
  span_ms: number;
  series: {
    bucket_ms: number;
    /** Requests sent in each entry, by kind. */
    sent_changes: number[];
    sent_lookups: number[];
    /** Most requests sent within one whole second of the entry: a burst stays visible after merging. */
    peak_sent_per_s: number[];
    /** Answers received (any status, or none: a timeout or a reset), and the 429s among them. */
    answered: number[];
    throttled: number[];
    /** Upper bounds of the bands; latency[band][entry] counts the entry's answers in that band. */
    latency_bands_ms: number[];
    latency: number[][];
  };
  latency: LatencyHistogram;
  /** Answers by HTTP status ("200", "429", …); "none" for no answer. */
  statuses: Record<string, number>;
  totals: {
    sent_changes: number;
    sent_lookups: number;
    answered: number;
    throttled: number;
    pauses: number;
    pause_ms: number;
    rate_changes: number;
    token_refreshes: number;
  };
  /** In time order: every stop (up to MAX_STOPS) and the first MAX_EVENTS others. */
  events: TimelineEvent[];
  events_dropped: number;
}
