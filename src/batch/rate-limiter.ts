import { setTimeout as sleep } from "node:timers/promises";
import type { Logger } from "pino";
import type { OffboardError } from "../domain/errors.js";
import {
  type AdaptiveRateState,
  adaptiveRateConfig,
  initialRateState,
  nextRate,
  type RateEvent,
} from "./adaptive-rate.js";
import { newBottleneck } from "./bottleneck-internals.js";
import { type ClusterPace, createClusterPace } from "./cluster-pace.js";
import { NOT_SENT, type NotSent } from "./not-sent.js";
import { startsBefore } from "./own-starts.js";
import { DEFAULT_MARGIN_MS, minTimeMs } from "./pacing.js";
import type { SharedBudget } from "./shared-budget.js";
import { WindowGuard } from "./window-guard.js";

/**
 * What Zoom said, as far as pacing cares. `sentAt`: when the refused request started, on the limiter's clock (what
 * `schedule` passed to it).
 */
export type RateSignal =
  | { kind: "rate_limited"; sentAt?: number | undefined }
  | { kind: "answered"; remaining: number | undefined };

export interface PacingStats {
  /** The rate paced at now (in a shared budget: the slowest runner's). */
  currentRps: number;
  /** The lowest rate paced at during the run. */
  minRps: number;
  /** How often this runner changed its rate (adaptive pacing). */
  changes: number;
}

/** The one gate every request to Zoom's Light budget goes through, retries included. */
export interface RateLimiter {
  /**
   * Run `fn` when the budget allows; `fn` starts the request and is told when (the limiter's clock), and calls
   * `onWire` when the request is written to its connection (the window counts it from then on). Resolves to
   * {@link NOT_SENT} if the limiter is halted before `fn` starts, so a caller always knows whether its request went
   * out. Rejects with REDIS_UNAVAILABLE (before `fn` starts) when a shared budget's Redis stayed away too long.
   */
  schedule<T>(fn: (startedAt: number, onWire: () => void) => Promise<T>): Promise<T | NotSent>;
  /**
   * Hold every request (not just the caller's; with a shared budget, every runner's) for `ms`, counted from `since`
   * (the limiter's clock; default now): a 429 means the account's budget is spent right now, whoever spent it, so
   * any request sent before the window clears would be refused too.
   */
  pause(ms: number, reason: string, since?: number): void;
  /** Adaptive pacing: what Zoom answered. */
  observe(signal: RateSignal): void;
  /** Start nothing more: queued and future jobs resolve to NOT_SENT at once; started ones run to the end. */
  halt(): void;
  readonly halted: boolean;
  /** Requests started so far. */
  readonly started: number;
  readonly pacing: PacingStats;
  /** With a shared budget: connected, and the cluster's pace agreed. */
  ready(): Promise<void>;
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
  /** Lower the rate on 429s caused by others and recover gradually (default true). */
  adaptive?: boolean;
  /** Share the budget with every runner of the account through Redis. */
  shared?: SharedBudget;
  /** How long a shared budget's Redis may be unreachable mid-run before the run stops (default 10 s). */
  redisOutageBudgetMs?: number;
}

const PAUSED: unique symbol = Symbol("paused");
const LATE: unique symbol = Symbol("late");
const TICK_MS = 250;
const STARTS_KEPT_MS = 3000;
/** A gap between our starts of more than this many spacings means we were not sending steadily (own-starts.ts). */
const STEADY_GAP_SPACINGS = 2.5;
/**
 * The first seconds of a run are paced with a wider margin between a request and the one a window after it. Then
 * both ends are warming up at once: new connections, code not yet compiled, and (when rows go out while the
 * directory is still being read) the server busy with large list pages. The simulator saw early requests arrive up
 * to 27 ms after they were written, more than the steady margin; two seconds at ~93 % of the pace cost ~0.15 s per
 * run. Through Bottleneck's spacing, not the window guard: a guard stricter than the spacing would collect a queue
 * of jobs that each wait their turn with a timer of their own, for as long as the run lasts.
 */
const WARM_UP_MS = 2000;
const WARM_UP_MARGIN_MS = 100;
/**
 * The window guard keeps this share of the margin (20 of 25 ms); the spacing keeps all of it. With equal windows,
 * the guard held almost every request for a fraction of a millisecond (the write comes 0.1–1.5 ms after the job
 * starts, and Bottleneck's timers fire a millisecond or two late): a timer and an event-loop wake-up per request,
 * ~0.3 ms of CPU each on a VM. With 5 ms left to those, it holds a few dozen requests per run: bursts after a stall,
 * writes held up by a handshake or a garbage collection.
 */
const GUARD_MARGIN_SHARE = 0.8;

interface Waiter {
  giveUp(): void;
  fail(error: OffboardError): void;
}

export function createRateLimiter(options: RateLimiterOptions): RateLimiter {
  const now = options.now ?? (() => performance.now());
  const { logger, shared } = options;
  const marginMs = options.marginMs ?? DEFAULT_MARGIN_MS;
  // This runner's own requests, as they really left, never more than the budget in a window (a stalled event
  // loop fires several of Bottleneck's timers at once; a write can be held up): a stall costs time, never a burst.
  const guard = new WindowGuard(Math.max(1, Math.floor(options.rps)), 1000 + marginMs * GUARD_MARGIN_SHARE);
  // Alone, the first seconds are paced with a wider margin (WARM_UP_MS). A shared budget already keeps a wide one.
  let warmingUp = shared === undefined;
  const spacing = (rps: number): number =>
    minTimeMs(rps, warmingUp ? Math.max(marginMs, WARM_UP_MARGIN_MS) : marginMs);
  const adaptiveConfig = adaptiveRateConfig(options.rps);
  let adaptive: AdaptiveRateState = initialRateState(adaptiveConfig, now());
  const pacing: PacingStats = { currentRps: options.rps, minRps: options.rps, changes: 0 };

  // Bottleneck's minTime spaces job starts evenly. Its own retry (the `failed` event) would bypass the
  // spacing, so retries are the caller's loop, which schedules again and pays the budget again. Alone, one local
  // Bottleneck; shared, the Redis schedule and all that goes with it are cluster-pace.ts's.
  const cluster: ClusterPace | undefined = shared
    ? createClusterPace({
        shared,
        concurrency: options.concurrency,
        spacing,
        initialRps: options.rps,
        ownRps: () => adaptive.rps,
        onPace: (rps) => setPace(rps),
        onPause: (ms) => holdLocally(now() + ms),
        outageBudgetMs: options.redisOutageBudgetMs ?? 10_000,
        now,
        logger,
      })
    : undefined;
  const bottleneck =
    cluster?.schedule ?? newBottleneck({ maxConcurrent: options.concurrency, minTime: spacing(options.rps) });
  const entry = cluster?.entry ?? bottleneck;
  // A job that starts this much after its slot (an event loop busy elsewhere) would crowd the next runner's
  // request into one sliding second with ours: it gives the slot back and queues again. Half the margin is for
  // this, half for the way from here to Zoom.
  const lateToleranceMs = marginMs / 2;
  let lateStarts = 0;
  let guardWaits = 0;

  let started = 0;
  let halted = false;
  let failure: OffboardError | undefined;
  let pausedUntil = 0;
  let resumeTimer: NodeJS.Timeout | undefined;
  const waiting = new Set<Waiter>();
  let jobIds = 0;
  let firstStartAt: number | undefined;
  // Our starts of the last few seconds, oldest first: enough to look at the second before a request that was
  // refused after its answer's round trip.
  const recentStarts: number[] = [];

  const setPace = (rps: number): void => {
    if (rps !== pacing.currentRps) {
      pacing.currentRps = rps;
      pacing.minRps = Math.min(pacing.minRps, rps);
      // Beside other apps the window has room for our pace's worth only: a burst of ours would be refused.
      guard.setLimit(rps);
    }
  };

  const adapt = (event: RateEvent): void => {
    if (options.adaptive === false) return;
    const decision = nextRate(adaptive, event, adaptiveConfig);
    adaptive = decision.state;
    if (decision.change === undefined) return;
    const { fromRps, toRps, reason } = decision.change;
    pacing.changes += 1;
    logger?.info(
      { fromRps: Number(fromRps.toFixed(2)), toRps: Number(toRps.toFixed(2)), reason },
      "Light pace changed",
    );
    if (cluster) {
      cluster.reconcile().catch(cluster.noteTrouble);
    } else {
      setPace(toRps);
      void bottleneck.updateSettings({ minTime: spacing(toRps) });
    }
  };

  const fail = (error: OffboardError): void => {
    if (failure !== undefined) return;
    failure = error;
    logger?.error({ redis: shared?.where }, error.message);
    for (const waiter of waiting) waiter.fail(error);
    waiting.clear();
  };

  let ticks = 0;
  const ticker = setInterval(() => {
    const at = now();
    ticks += 1;
    adapt({ kind: "tick", at });
    if (warmingUp && firstStartAt !== undefined && at - firstStartAt >= WARM_UP_MS) {
      warmingUp = false;
      // A halted limiter runs its queue out at once (minTime 0): leave that alone.
      if (!halted) void bottleneck.updateSettings({ minTime: spacing(pacing.currentRps) });
    }
    if (cluster === undefined || failure !== undefined || halted) return;
    const lost = cluster.tick(at, ticks);
    if (lost !== undefined) fail(lost);
  }, TICK_MS);
  ticker.unref();

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

  /** Jobs reaching their slot before `until` give it back and queue again after it. */
  function holdLocally(until: number): boolean {
    if (until <= pausedUntil) return false;
    pausedUntil = until;
    // Alone, an empty reservoir also stops Bottleneck from handing out slots. Shared, it would stop every runner
    // until the one that emptied it lifted it again, which a runner that crashes never does: each runner holds
    // its own jobs instead (the pause is broadcast).
    if (shared === undefined && resumeTimer === undefined) {
      void bottleneck.updateSettings({ reservoir: 0 });
      resumeTimer = setTimeout(resume, until - now());
    }
    return true;
  }

  const noteStart = (at: number): void => {
    recentStarts.push(at);
    while (recentStarts.length > 0 && (recentStarts[0] ?? at) <= at - STARTS_KEPT_MS) recentStarts.shift();
  };

  return {
    schedule<T>(fn: (startedAt: number, onWire: () => void) => Promise<T>): Promise<T | NotSent> {
      if (failure !== undefined) return Promise.reject(failure);
      if (halted) return Promise.resolve(NOT_SENT);
      return new Promise<T | NotSent>((resolve, reject) => {
        let sent = false;
        const waiter: Waiter = { giveUp: () => resolve(NOT_SENT), fail: reject };
        waiting.add(waiter);
        const job = async (id: string): Promise<typeof PAUSED | typeof LATE | undefined> => {
          if (!waiting.has(waiter)) return undefined;
          if (now() < pausedUntil) return PAUSED;
          for (let waitMs = guard.delayMs(now()); waitMs > 0 && !halted; waitMs = guard.delayMs(now())) {
            guardWaits += 1;
            await sleep(waitMs);
          }
          if (!waiting.has(waiter)) return undefined;
          // After the guard's wait too: a turn taken late crowds the next runner's.
          const slotAt = cluster?.slotOf(id);
          if (slotAt !== undefined && performance.now() - slotAt > lateToleranceMs) {
            lateStarts += 1;
            return LATE;
          }
          waiting.delete(waiter);
          sent = true;
          const startedAt = now();
          firstStartAt ??= startedAt;
          const slot = guard.start(startedAt);
          started += 1;
          noteStart(startedAt);
          cluster?.working();
          const request = fn(startedAt, () => guard.sent(slot, now()));
          request.then(resolve, reject);
          // The job (and its concurrency slot) lasts as long as the request, whatever it answers.
          await request.then(
            () => undefined,
            () => undefined,
          );
          guard.settled(slot);
          return undefined;
        };
        const attempt = (): void => {
          // A fresh id per attempt: Bottleneck refuses a second job with the id of one it still knows.
          jobIds += 1;
          const id = `job-${jobIds}`;
          entry.schedule({ id }, job, id).then(
            (result) => {
              if (result === undefined || !waiting.has(waiter)) return;
              setTimeout(attempt, result === LATE ? 0 : Math.max(0, pausedUntil - now())).unref();
            },
            (error: unknown) => {
              // The request went out: its answer reached the caller already (a failing `free` after it is
              // Redis's trouble, not the row's).
              if (sent || !waiting.has(waiter)) {
                cluster?.noteTrouble(error);
                return;
              }
              if (cluster === undefined) {
                waiting.delete(waiter);
                reject(error);
                return;
              }
              // Redis blinked: queue again shortly; the ticker stops the run if it stays away.
              cluster.noteTrouble(error);
              setTimeout(attempt, 250).unref();
            },
          );
        };
        attempt();
      });
    },
    pause(ms, reason, since) {
      const at = now();
      // Counted from `since`, a pause can be over before it is asked for (an answer slower than the pause itself):
      // the window it protected has moved on already.
      const until = (since ?? at) + ms;
      if (until <= at || !holdLocally(until)) return;
      logger?.debug({ pauseMs: Math.round(until - at), reason }, "rate limiter paused");
      cluster?.broadcastPause(until - at);
    },
    observe(signal) {
      const at = now();
      if (signal.kind === "answered") {
        adapt({ kind: "answered", at, remaining: signal.remaining });
        return;
      }
      // What the account's window held when Zoom refused: our starts in the second before the refused one.
      const before = startsBefore(
        recentStarts,
        signal.sentAt ?? at,
        1000,
        STEADY_GAP_SPACINGS * spacing(pacing.currentRps),
      );
      adapt({
        kind: "rate_limited",
        at,
        // Shared through Redis, our own starts are only part of the cluster's: no estimate from them.
        ownStarts: shared || signal.sentAt === undefined || !before.steady ? undefined : before.count,
      });
    },
    halt() {
      halted = true;
      for (const waiter of waiting) waiter.giveUp();
      waiting.clear();
      // A shared schedule belongs to every runner: queued jobs run out in their slots (returning at once).
      if (cluster) return;
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
    get pacing() {
      return { ...pacing };
    },
    async ready() {
      await cluster?.ready();
    },
    async close() {
      clearInterval(ticker);
      if (lateStarts > 0) logger?.debug({ lateStarts }, "slots given back because the job started late");
      logger?.debug({ guardWaits, started }, "waits the window guard added to the pacing");
      if (resumeTimer !== undefined) clearTimeout(resumeTimer);
      resumeTimer = undefined;
      if (cluster === undefined) {
        await bottleneck.stop({ dropWaitingJobs: false });
        return;
      }
      for (const waiter of waiting) waiter.giveUp();
      waiting.clear();
      halted = true;
      await cluster.close(failure !== undefined);
    },
  };
}
