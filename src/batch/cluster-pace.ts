import type Bottleneck from "bottleneck";
import type { Logger } from "pino";
import { OffboardError } from "../domain/errors.js";
import { newBottleneck, trackSlots } from "./bottleneck-internals.js";
import { SHARED_KEY_TTL_MS, type SharedBudget } from "./shared-budget.js";

export interface ClusterPaceOptions {
  shared: SharedBudget;
  /** This runner's requests in flight at once. */
  concurrency: number;
  /** Bottleneck's spacing between starts at a rate (margin included). */
  spacing: (rps: number) => number;
  initialRps: number;
  /** This runner's own rate (adaptive pacing's): what it publishes to the table of live runners. */
  ownRps: () => number;
  /** The cluster's pace, the slowest live runner's rate, was read. */
  onPace: (rps: number) => void;
  /** A runner (this one included) paused the whole budget for `ms` from now. */
  onPause: (ms: number) => void;
  /** How long Redis may be unreachable mid-run before the run stops. */
  outageBudgetMs: number;
  now: () => number;
  logger: Logger | undefined;
}

/**
 * A runner's part in a Light budget shared through Redis: Bottleneck's clustered schedule, the pace agreed with the
 * other runners, pauses broadcast to all of them, and how long Redis may stay away. The rate limiter keeps what is
 * the same alone or shared (the window guard, adaptive pacing, the jobs).
 */
export interface ClusterPace {
  /** The account's schedule, in Redis: one slot per request of every runner, spaced by the cluster's pace. */
  readonly schedule: Bottleneck;
  /** Where this runner's jobs enter: at most `concurrency` of them hold a slot in the shared schedule at once. */
  readonly entry: Bottleneck;
  /** When the shared schedule gave job `id` its slot (performance.now), for the late-start check. */
  slotOf(id: string): number | undefined;
  /** Publish our rate and pace at the slowest live runner's. One call at a time; a call meanwhile runs once more. */
  reconcile(): Promise<void>;
  /** Redis erred (while connected or not): the outage clock runs from the first such error. */
  noteTrouble(this: void, error: unknown): void;
  /** A request of ours got its slot: Redis is working again. */
  working(): void;
  /**
   * The limiter's ticker: the error that stops the run once Redis has been away longer than the outage budget;
   * otherwise refresh our entry in the table of live runners every other tick.
   */
  tick(at: number, ticks: number): OffboardError | undefined;
  /** Tell every runner to hold its requests for `ms`. */
  broadcastPause(ms: number): void;
  /** Connected, and the cluster's pace agreed. */
  ready(): Promise<void>;
  /** Leave the table of live runners (unless Redis is gone or failed us), drop our slots, disconnect. */
  close(failed: boolean): Promise<void>;
}

export function createClusterPace(options: ClusterPaceOptions): ClusterPace {
  const { shared, spacing, logger, now } = options;
  const schedule = newBottleneck({
    datastore: "ioredis",
    connection: shared.connection,
    id: shared.id,
    // Never reset what other runners are using; stale state expires on its own (timeout).
    clearDatastore: false,
    timeout: SHARED_KEY_TTL_MS,
    minTime: spacing(options.initialRps),
    // Concurrency is per runner (the entry below): a shared count would keep a crashed runner's jobs.
    maxConcurrent: null,
  });
  const entry = newBottleneck({ maxConcurrent: options.concurrency });
  entry.chain(schedule);
  const slotOf = trackSlots(schedule);
  let troubleSince: number | undefined;
  let pace = options.initialRps;

  const noteTrouble = (error: unknown): void => {
    troubleSince ??= now();
    logger?.debug({ err: error instanceof Error ? error.message : String(error) }, "shared limiter error");
  };

  let reconciling: Promise<void> | undefined;
  let reconcileAgain = false;
  const reconcile = (): Promise<void> => {
    if (reconciling !== undefined) {
      reconcileAgain = true;
      return reconciling;
    }
    reconciling = (async () => {
      do {
        reconcileAgain = false;
        const { slowestRps, minTimeMs: current } = await shared.publishRate(options.ownRps());
        const rps = slowestRps ?? options.ownRps();
        if (current === undefined || Math.abs(current - spacing(rps)) > 1e-6) {
          await schedule.updateSettings({ minTime: spacing(rps) });
        }
        if (rps !== pace) logger?.debug({ rps }, "shared Light pace");
        pace = rps;
        options.onPace(rps);
      } while (reconcileAgain);
    })().finally(() => {
      reconciling = undefined;
    });
    return reconciling;
  };

  schedule.on("error", noteTrouble);
  schedule.on("message", (message) => {
    const ms = Number(/^pause:(\d+)$/.exec(message)?.[1]);
    if (Number.isFinite(ms)) options.onPause(ms);
  });
  shared.onReconnect(() => {
    troubleSince = undefined;
    // Jobs whose registration failed while Redis was gone sit in Bottleneck's local queue until something
    // drains it: a job of no weight does.
    void schedule.schedule({ weight: 0 }, async () => undefined).catch(() => undefined);
  });

  return {
    schedule,
    entry,
    slotOf,
    reconcile,
    noteTrouble,
    working() {
      troubleSince = undefined;
    },
    tick(at, ticks) {
      // Down (the connection) or failing (scripts erring while connected): either way, for how long.
      const troubleMs = shared.downForMs() ?? (troubleSince === undefined ? undefined : at - troubleSince);
      if (troubleMs !== undefined && troubleMs > options.outageBudgetMs) {
        return new OffboardError(
          "REDIS_UNAVAILABLE",
          `lost Redis at ${shared.where} (the shared rate limit) for over ${Math.round(options.outageBudgetMs / 1000)} s`,
        );
      }
      // Refresh our entry in the table of live runners (it goes stale after a few seconds without this).
      if (ticks % 2 === 0 && shared.downForMs() === undefined) reconcile().catch(noteTrouble);
      return undefined;
    },
    broadcastPause(ms) {
      void schedule.publish(`pause:${Math.round(ms)}`).catch(noteTrouble);
    },
    async ready() {
      try {
        await schedule.ready();
        await reconcile();
      } catch (error) {
        throw new OffboardError(
          "REDIS_UNAVAILABLE",
          `cannot set up the shared rate limit at ${shared.where}`,
          {
            cause: error,
          },
        );
      }
    },
    async close(failed) {
      const reachable = (): boolean => shared.downForMs() === undefined && !failed;
      // Leave the table of live runners so that the others go back to their own rate at once.
      if (reachable()) await shared.publishRate(undefined).catch(() => undefined);
      // Slots we hold in the shared schedule are dropped, not waited for; Redis is disconnected, not drained.
      const stopped = Promise.all([
        entry.stop({ dropWaitingJobs: true }).catch(() => undefined),
        schedule.stop({ dropWaitingJobs: true }).catch(() => undefined),
      ]);
      if (reachable()) await stopped;
      // With a connection of our own, Bottleneck's disconnect only unsubscribes (and returns no promise).
      await Promise.resolve()
        .then(() => schedule.disconnect(false))
        .catch(() => undefined);
      await shared.disconnect();
    },
  };
}
