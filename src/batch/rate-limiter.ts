import { setTimeout as sleep } from "node:timers/promises";
import Bottleneck from "bottleneck";
import type { Logger } from "pino";
import { DEFAULT_MARGIN_MS, minTimeMs } from "./pacing.js";
import { WindowGuard } from "./window-guard.js";

/** What `schedule` resolves to for a job that never started because the limiter was halted. */
export const NOT_SENT: unique symbol = Symbol("not sent");
export type NotSent = typeof NOT_SENT;

/** The one gate every request to Zoom's Light budget goes through, retries included. */
export interface RateLimiter {
  /**
   * Run `fn` when the budget allows; `fn` starts the request. Resolves to {@link NOT_SENT} if the limiter is
   * halted before `fn` starts, so a caller always knows whether its request went out.
   */
  schedule<T>(fn: () => Promise<T>): Promise<T | NotSent>;
  /**
   * Hold every request (not just the caller's) for `ms`: a 429 means the account's budget is spent right now,
   * whoever spent it, so any request sent before the window clears would be refused too.
   */
  pause(ms: number, reason: string): void;
  /** Start nothing more: queued and future jobs resolve to NOT_SENT at once; started ones run to the end. */
  halt(): void;
  readonly halted: boolean;
  /** Requests started so far. */
  readonly started: number;
  /** Release timers and connections; call once at the end of the run. */
  close(): Promise<void>;
}

export interface RateLimiterOptions {
  rps: number;
  concurrency: number;
  marginMs?: number;
  logger?: Logger;
  /** Milliseconds, monotonic preferred (performance.now). */
  now?: () => number;
}

export function createRateLimiter(options: RateLimiterOptions): RateLimiter {
  const now = options.now ?? (() => performance.now());
  const marginMs = options.marginMs ?? DEFAULT_MARGIN_MS;
  const guard = new WindowGuard(Math.max(1, Math.floor(options.rps)), 1000 + marginMs);
  // Bottleneck's minTime spaces job starts evenly. Its own retry (the `failed` event) would bypass the
  // spacing, so retries are the caller's loop, which schedules again and pays the budget again.
  const bottleneck = new Bottleneck({
    maxConcurrent: options.concurrency,
    minTime: minTimeMs(options.rps, marginMs),
  });
  let started = 0;
  let halted = false;
  let pausedUntil = 0;
  let resumeTimer: NodeJS.Timeout | undefined;
  const waiting = new Set<() => void>();

  const resume = (): void => {
    resumeTimer = undefined;
    const remaining = pausedUntil - now();
    if (remaining > 0) {
      resumeTimer = setTimeout(resume, remaining);
      return;
    }
    // An empty reservoir stops Bottleneck launching jobs; null lifts the cap again and drains the queue.
    void bottleneck.updateSettings({ reservoir: null });
  };

  return {
    schedule<T>(fn: () => Promise<T>): Promise<T | NotSent> {
      if (halted) return Promise.resolve(NOT_SENT);
      return new Promise<T | NotSent>((resolve, reject) => {
        const giveUp = (): void => resolve(NOT_SENT);
        waiting.add(giveUp);
        bottleneck
          .schedule(async (): Promise<T | NotSent> => {
            waiting.delete(giveUp);
            for (let waitMs = guard.delayMs(now()); waitMs > 0 && !halted; waitMs = guard.delayMs(now())) {
              await sleep(waitMs);
            }
            if (halted) return NOT_SENT;
            guard.record(now());
            started += 1;
            return fn();
          })
          .then(resolve, reject);
      });
    },
    pause(ms, reason) {
      const until = now() + ms;
      if (until <= pausedUntil) return;
      pausedUntil = until;
      options.logger?.debug({ pauseMs: Math.round(ms), reason }, "rate limiter paused");
      if (resumeTimer === undefined) {
        void bottleneck.updateSettings({ reservoir: 0 });
        resumeTimer = setTimeout(resume, ms);
      }
    },
    halt() {
      halted = true;
      for (const giveUp of waiting) giveUp();
      waiting.clear();
      // Let queued jobs run out (they return NOT_SENT without sending) without waiting for a pause to end.
      if (resumeTimer !== undefined) {
        clearTimeout(resumeTimer);
        resumeTimer = undefined;
        void bottleneck.updateSettings({ reservoir: null, minTime: 0 });
      } else {
        void bottleneck.updateSettings({ minTime: 0 });
      }
    },
    get halted() {
      return halted;
    },
    get started() {
      return started;
    },
    async close() {
      if (resumeTimer !== undefined) clearTimeout(resumeTimer);
      resumeTimer = undefined;
      await bottleneck.stop({ dropWaitingJobs: false });
    },
  };
}
