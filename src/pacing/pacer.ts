import Bottleneck from "bottleneck";
import { OffboardError } from "../domain/errors.js";
import { createAdaptivePace } from "./adaptive-pace.js";
import { createSleeper, systemClock } from "./clock.js";
import { createLocalTurns } from "./local-turns.js";
import { NOT_SENT, type NotSent } from "./not-sent.js";
import { createSharedTurns } from "./shared-turns.js";
import { DEFAULT_MARGIN_MS, SHARED_MARGIN_MS, spacingMs } from "./spacing.js";
import type { Pacer, PacerOptions, PacerStats } from "./types.js";
import { WindowGuard } from "./window-guard.js";

export type { Pacer, PacerOptions, PacerStats, RateSignal } from "./types.js";

/**
 * The guard's window keeps most of the margin, not all: a request on time then never waits on the guard for the
 * moment its predecessor a window earlier took to be written, and the guard only acts on bursts and late writes.
 */
const GUARD_MARGIN_SHARE = 0.8;
/** Bottleneck's priorities: a turn that came during a pause queues again ahead of the attempts behind it. */
const QUEUED = 5;
const AGAIN = 4;

interface Waiter {
  resolve(value: NotSent): void;
  reject(error: unknown): void;
}

/**
 * When does a request leave? At its turn, once the window guard has room for it. Alone, the turns are Bottleneck's
 * (`minTime` apart at the current pace: local-turns.ts); shared, they are booked in Redis at the slowest runner's
 * pace (shared-turns.ts). Either way not before a pause ends, and never more than the pace's worth in a window.
 */
export function createPacer(options: PacerOptions): Pacer {
  const clock = options.clock ?? systemClock;
  const { logger, shared } = options;
  const marginMs = options.marginMs ?? (shared ? SHARED_MARGIN_MS : DEFAULT_MARGIN_MS);
  const guard = new WindowGuard(Math.max(1, Math.floor(options.rps)), 1000 + marginMs * GUARD_MARGIN_SHARE);
  const stats: PacerStats = {
    started: 0,
    currentRps: options.rps,
    minRps: options.rps,
    changes: 0,
    guardWaits: 0,
  };
  let firstStartAt: number | undefined;
  let pausedUntil = Number.NEGATIVE_INFINITY;
  let halted = false;
  let failure: OffboardError | undefined;
  const waiting = new Set<Waiter>();
  const sleeper = createSleeper(clock);

  const spacingNow = (): number =>
    spacingMs(
      stats.currentRps,
      marginMs,
      firstStartAt === undefined ? undefined : clock.now() - firstStartAt,
    );
  // Bottleneck keeps the concurrency, and alone the spacing too. Its own retries are never used: a retry is a new
  // attempt through `schedule`, and pays the budget again.
  let minTime = shared ? 0 : spacingNow();
  const bottleneck = new Bottleneck({ maxConcurrent: options.concurrency, minTime });
  let stopped: Promise<void> | undefined;

  const adaptive = createAdaptivePace({
    rps: options.rps,
    enabled: options.adaptive !== false,
    at: clock.now(),
    logger,
    onChange(fromRps, toRps, reason) {
      stats.changes += 1;
      options.onPaceChange?.(fromRps, toRps, reason);
      // Shared, the next booking publishes our rate and returns the slowest runner's.
      if (!shared) setPace(toRps);
    },
  });

  const turnOptions = {
    clock,
    sleeper,
    guard,
    pausedUntil: () => pausedUntil,
    onGuardWait: () => {
      stats.guardWaits += 1;
    },
  };
  const turns = shared
    ? createSharedTurns({
        ...turnOptions,
        slots: shared,
        logger,
        marginMs,
        ownRps: () => adaptive.rps,
        onPace: (rps) => setPace(rps),
      })
    : createLocalTurns({ ...turnOptions, bottleneck });

  /** Alone: Bottleneck's spacing follows the pace, and the end of the warm-up. */
  const retune = (): void => {
    if (halted) return;
    const wanted = spacingNow();
    if (wanted === minTime) return;
    minTime = wanted;
    turns.space(minTime);
  };

  function setPace(rps: number): void {
    if (rps === stats.currentRps) return;
    stats.currentRps = rps;
    stats.minRps = Math.min(stats.minRps, rps);
    // Beside other apps the window has room for our pace's worth only: a burst of ours would be refused.
    guard.setLimit(rps);
    retune();
  }

  const start = <T>(attempt: (written: () => void) => Promise<T>): Promise<T> => {
    const at = clock.now();
    firstStartAt ??= at;
    stats.started += 1;
    adaptive.started(at);
    retune();
    const slot = guard.start(at);
    const request = Promise.resolve().then(() => attempt(() => guard.sent(slot, clock.now())));
    // A request never reported written counts from its start, the earliest it could have left.
    const settled = (): void => guard.settled(slot);
    request.then(settled, settled);
    return request;
  };

  const stopAll = (): void => {
    sleeper.wakeAll();
    turns.stop();
    stopped ??= bottleneck.stop({ dropWaitingJobs: true }).catch(() => undefined);
  };

  const halt = (): void => {
    if (halted) return;
    halted = true;
    for (const waiter of waiting) waiter.resolve(NOT_SENT);
    waiting.clear();
    stopAll();
  };

  /** Shared: Redis stayed away too long (or failed us otherwise); every waiting attempt fails with it. */
  const fail = (error: unknown): void => {
    if (failure !== undefined) return;
    failure =
      error instanceof OffboardError
        ? error
        : new OffboardError("REDIS_UNAVAILABLE", `the shared rate limit at ${shared?.where} failed`, {
            cause: error,
          });
    logger?.error({ redis: shared?.where }, failure.message);
    for (const waiter of waiting) waiter.reject(failure);
    waiting.clear();
    stopAll();
  };

  return {
    schedule<T>(attempt: (written: () => void) => Promise<T>): Promise<T | NotSent> {
      if (failure !== undefined) return Promise.reject(failure);
      if (halted) return Promise.resolve(NOT_SENT);
      adaptive.tick(clock.now());
      return new Promise<T | NotSent>((resolve, reject) => {
        const waiter: Waiter = { resolve, reject };
        waiting.add(waiter);
        const job = async (): Promise<"go" | "again" | "gone"> => {
          try {
            const turn = await turns.take(() => waiting.has(waiter));
            if (turn !== "go" || !waiting.delete(waiter)) return turn;
          } catch (error) {
            fail(error);
            return "gone";
          }
          const request = start(attempt);
          request.then(resolve, reject);
          // The job, and the concurrency it holds, lasts as long as the request, whatever it answers.
          await request.catch(() => undefined);
          return "go";
        };
        const enqueue = (priority: number): void => {
          bottleneck.schedule({ priority }, job).then(
            (turn) => {
              if (turn === "again" && waiting.has(waiter)) enqueue(AGAIN);
            },
            (error: unknown) => {
              // Dropped by halt or a failure, which settled the attempt already.
              if (waiting.delete(waiter)) reject(error);
            },
          );
        };
        enqueue(QUEUED);
      });
    },
    pause(ms, since) {
      if (halted || failure !== undefined) return;
      const at = clock.now();
      // Counted from `since`, a pause can be over before it is asked for (an answer slower than the pause): the
      // window it protected has moved on already.
      const until = (since ?? at) + ms;
      if (until <= at || until <= pausedUntil) return;
      pausedUntil = until;
      logger?.debug({ pauseMs: Math.round(until - at) }, "pacer paused");
      options.onPause?.(until - at);
      turns.pause(until - at);
    },
    observe(signal) {
      const at = clock.now();
      if (signal.kind === "answered") adaptive.answered(at, signal.remaining);
      else adaptive.rateLimited(at, signal.sentAt, spacingNow(), shared === undefined);
    },
    halt,
    get stats() {
      return { ...stats };
    },
    async close() {
      halt();
      await stopped;
      logger?.debug({ started: stats.started, guardWaits: stats.guardWaits }, "pacer closed");
      await shared?.close();
    },
  };
}
