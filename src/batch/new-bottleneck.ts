import Bottleneck from "bottleneck";

interface LocalStore {
  yieldLoop?: (t?: number) => Promise<void>;
}

/**
 * A Bottleneck whose in-process datastore does not sleep between its own steps.
 *
 * Bottleneck's local datastore starts every operation (submit, register, free, settings…) with
 * `setTimeout(resolve, 0)`, to behave as asynchronously as its Redis one. Node turns that into a 1 ms timer, so each
 * job costs half a dozen event-loop sleeps and wake-ups: ~1 ms of CPU per request on a VM where a wake-up costs
 * ~0.15 ms (measured with strace: ten `epoll_pwait`s per PUT), more than the request itself. `setImmediate` keeps
 * every step asynchronous and in the same order, without sleeping. Bottleneck is pinned (2.19.5, unmaintained since
 * 2019); a test fails if the hook is gone. The Redis datastore is left alone: its steps wait for Redis anyway.
 */
export function newBottleneck(options: Bottleneck.ConstructorOptions): Bottleneck {
  const limiter = new Bottleneck(options);
  const store = (limiter as unknown as { _store?: LocalStore })._store;
  if (options.datastore === undefined || options.datastore === "local") {
    if (typeof store?.yieldLoop !== "function") {
      throw new Error(
        "this Bottleneck's local datastore has no yieldLoop: check src/batch/new-bottleneck.ts",
      );
    }
    store.yieldLoop = yieldImmediately;
  }
  return limiter;
}

function yieldImmediately(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
