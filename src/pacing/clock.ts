/** Time, injected: the pacer runs on this, so tests drive it with fake timers. */
export interface Clock {
  /** Milliseconds on one steady scale (Date.now by default). */
  now(): number;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

/** The real clock; the globals are looked up at each call, so `vi.useFakeTimers()` fakes this too. */
export const systemClock: Clock = {
  now: () => Date.now(),
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
};

/** Sleeps on a clock that can all be cut short at once: a halted pacer leaves nothing waiting on a timer. */
export interface Sleeper {
  sleep(ms: number): Promise<void>;
  wakeAll(): void;
}

export function createSleeper(clock: Clock): Sleeper {
  const pending = new Map<unknown, () => void>();
  return {
    sleep(ms) {
      return new Promise((resolve) => {
        const handle = clock.setTimeout(() => {
          pending.delete(handle);
          resolve();
        }, ms);
        pending.set(handle, resolve);
      });
    },
    wakeAll() {
      for (const [handle, wake] of pending) {
        clock.clearTimeout(handle);
        wake();
      }
      pending.clear();
    },
  };
}
