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
 * benchmark (CPU per row) on a 2-core VM. Both are private parts of Bottleneck 2.19.5 (pinned; unmaintained since
 * 2019); test/batch/new-bottleneck.test.ts fails if either is gone, rather than the run silently paying again.
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
  return new Error(`this Bottleneck has no ${what}: see src/batch/new-bottleneck.ts`);
}
