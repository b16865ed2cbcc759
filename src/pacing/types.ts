import type { Logger } from "pino";
import type { RateChangeReason } from "./adaptive-rate.js";
import type { Clock } from "./clock.js";
import type { NotSent } from "./not-sent.js";
import type { SharedSlots } from "./shared-slots.js";

/** What Zoom said, as far as pacing cares. `sentAt`: when the refused request started, on the pacer's clock. */
export type RateSignal =
  | { kind: "rate_limited"; sentAt?: number | undefined }
  | { kind: "answered"; remaining?: number | undefined };

export interface PacerStats {
  /** Attempts started so far. */
  started: number;
  /** The rate paced at now (in a shared budget: the slowest live runner's). */
  currentRps: number;
  /** The lowest rate paced at so far. */
  minRps: number;
  /** How often adaptive pacing changed this runner's rate. */
  changes: number;
  /** How often the window guard held an attempt back after its turn had come. */
  guardWaits: number;
}

/** The one gate for a rate-limit budget: every attempt, retries included, goes through `schedule`. */
export interface Pacer {
  /**
   * Run `attempt` when the budget allows. `attempt` starts one request and calls `written()` when the request is
   * written to its connection (the window counts it from then on). Resolves to NOT_SENT when the pacer was halted
   * before the attempt started; rejects with REDIS_UNAVAILABLE when a shared budget's Redis stayed away too long.
   */
  schedule<T>(attempt: (written: () => void) => Promise<T>): Promise<T | NotSent>;
  /**
   * Hold the whole budget (shared: every runner) for `ms` counted from `since` (the pacer's clock; default now): a
   * 429 means the account's budget is spent right now, whoever spent it.
   */
  pause(ms: number, since?: number): void;
  /** What Zoom answered, for adaptive pacing. */
  observe(signal: RateSignal): void;
  /** Start nothing more: queued attempts resolve NOT_SENT at once; started ones run to the end. */
  halt(): void;
  readonly stats: PacerStats;
  /** Halt, wait for the started attempts to end, leave a shared budget and disconnect. */
  close(): Promise<void>;
}

export interface PacerOptions {
  rps: number;
  concurrency: number;
  /** Headroom for arrival jitter per window (spacing.ts; default 25 ms alone, 90 ms shared). */
  marginMs?: number;
  /** Lower the rate on 429s caused by others and climb back (default true). */
  adaptive?: boolean;
  clock?: Clock;
  logger?: Logger;
  /** Share the budget with every runner of the account. */
  shared?: SharedSlots;
  /** Adaptive pacing changed this runner's rate (also logged as "Light pace changed"). */
  onPaceChange?: (fromRps: number, toRps: number, reason: RateChangeReason) => void;
  /** The budget is held for `ms` from now. */
  onPause?: (ms: number) => void;
}

/** Where an attempt's turn comes from: local-turns.ts (alone) or shared-turns.ts (Redis). Internal to the pacer. */
export interface Turns {
  /**
   * Wait for the attempt's turn: "go" to start it now; "again" to queue it again (a turn booked before a pause
   * was known); "gone" once `stillWaiting` says the attempt no longer waits (halted).
   */
  take(stillWaiting: () => boolean): Promise<"go" | "again" | "gone">;
  /** The budget is held for `ms` from now (the pacer's `pausedUntil`). */
  pause(ms: number): void;
  /** The pace's spacing is now `minTimeMs`. */
  space(minTimeMs: number): void;
  /** Clear timers: the pacer is halted. */
  stop(): void;
}
