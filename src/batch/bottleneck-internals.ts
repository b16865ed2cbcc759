/**
 * Every place where a run reaches into Bottleneck's private parts (2.19.5, pinned; unmaintained since 2019), so that
 * an upgrade has one file to check; test/batch/bottleneck-internals.test.ts fails if any of them is gone.
 */

import Bottleneck from "bottleneck";

interface LocalStore {
  yieldLoop?: (t?: number) => Promise<void>;
}

interface BottleneckEvents {
  trigger?: (name: string, ...args: unknown[]) => Promise<unknown>;
  listenerCount?: (name: string) => number;
}

const NOTHING: Promise<undefined> = Promise.resolve(undefined);

/**
 * A Bottleneck without two costs of its machinery that a run pays per request, found by profiling issue 5's
 * benchmark (CPU per row) on a 2-core VM.
 *
 * - Its in-process datastore starts every operation (submit, register, free, settings…) with `setTimeout(resolve,
 *   0)`, to behave as asynchronously as its Redis one. Node makes that a 1 ms timer, so each job cost half a dozen
 *   event-loop sleeps and wake-ups (strace: ten `epoll_pwait`s per PUT), ~0.15 ms of CPU each on a VM. A resolved
 *   promise keeps every step asynchronous and in the same order. The Redis datastore waits for Redis anyway.
 * - Every event (received, queued, scheduled, executing, done…) runs an async function and a second one for the
 *   "debug" event, listened to or not: a quarter of Bottleneck's CPU. With no listener for the event nor for
 *   "debug", it now returns what the original returns then, a promise of undefined, without running anything.
 */
export function newBottleneck(options: Bottleneck.ConstructorOptions): Bottleneck {
  const limiter = new Bottleneck(options);
  const internals = limiter as unknown as { _store?: LocalStore; Events?: BottleneckEvents };
  if (options.datastore === undefined || options.datastore === "local") {
    const store = internals._store;
    if (typeof store?.yieldLoop !== "function") throw missing("its local datastore's yieldLoop");
    store.yieldLoop = () => NOTHING;
  }
  const events = internals.Events;
  const trigger = events?.trigger;
  const listenerCount = events?.listenerCount;
  if (events === undefined || trigger === undefined || listenerCount === undefined) {
    throw missing("its Events' trigger and listenerCount");
  }
  events.trigger = (name, ...args) =>
    listenerCount.call(events, name) === 0 && listenerCount.call(events, "debug") === 0
      ? NOTHING
      : trigger.call(events, name, ...args);
  return limiter;
}

function missing(what: string): Error {
  return new Error(`this Bottleneck has no ${what}: see src/batch/bottleneck-internals.ts`);
}

interface RegisterInternals {
  _store: {
    __register__(
      index: string,
      weight: number,
      expiration: unknown,
    ): Promise<{ success: boolean; wait: number }>;
  };
}

/**
 * When each job's slot is (performance.now() clock), by job id. Bottleneck knows (`wait` from its register script) but
 * does not say: its registrations run one at a time and the job is scheduled right after, so the last `wait`
 * belongs to the next "scheduled" event.
 */
export function trackSlots(limiter: Bottleneck): (id: string) => number | undefined {
  const store = (limiter as unknown as RegisterInternals)._store;
  const register = store.__register__.bind(store);
  let lastSlotAt: number | undefined;
  store.__register__ = async (index, weight, expiration) => {
    const result = await register(index, weight, expiration);
    lastSlotAt = result.success ? performance.now() + Number(result.wait) : undefined;
    return result;
  };
  const slots = new Map<string, number>();
  limiter.on("scheduled", ({ options }) => {
    if (lastSlotAt !== undefined && typeof options.id === "string") slots.set(options.id, lastSlotAt);
    lastSlotAt = undefined;
  });
  return (id) => {
    const at = slots.get(id);
    slots.delete(id);
    return at;
  };
}
