import type { Logger } from "pino";
import type { StopControl } from "../domain/stop.js";
import type { Pacer } from "../pacing/types.js";
import type { OperationInfo, RateLimitLabel } from "../zoom/operation.js";
import type { ZoomClient } from "../zoom/zoom-client.js";

/** Told of every request and answer of a run, for its counters and timeline; never asked anything. */
export interface RequestObserver {
  /** A request was written to its connection at `atMs` (epoch). */
  sent(operation: OperationInfo, atMs: number): void;
  /** Its answer came, or its connection failed (`status` undefined), `latencyMs` after it was written. */
  answered(operation: OperationInfo, atMs: number, latencyMs: number, status: number | undefined): void;
  /** A per-second 429 paused the budget. */
  rateLimited(operation: OperationInfo): void;
}

/** What sending a request takes: the client, a pacer per rate-limit budget, the run's stop, and time. */
export interface Sender {
  client: ZoomClient;
  pacers: Readonly<Record<RateLimitLabel, Pacer>>;
  stop: StopControl;
  /** Attempts per request, the first included. */
  maxAttempts: number;
  random: () => number;
  /** Epoch milliseconds; the pacers use the same clock. */
  now: () => number;
  /** Resolves after `ms`, or rejects when `signal` aborts. */
  sleep: (ms: number, signal: AbortSignal) => Promise<void>;
  logger: Logger;
  /** A per-second 429 without Retry-After: hold the budget this long (Zoom's window is one second). */
  rateLimitPauseMs?: number;
  observer?: RequestObserver;
}
