/**
 * Run async tasks with at most `max` open at once, making the producer wait for a slot (backpressure) instead
 * of queueing: a reader that awaits `run()` never holds more than `max` rows in memory.
 */
export interface Bounded {
  /** Resolves once the task has started (after waiting for a slot); the task's result is not awaited. */
  run(task: () => Promise<void>): Promise<void>;
  /** Resolves when every started task has finished. */
  drain(): Promise<void>;
  readonly open: number;
}

export function createBounded(max: number): Bounded {
  let open = 0;
  // Whoever waits for a slot or for the end: the reader, and now and then a row that waited for an earlier one.
  const waiting: Array<() => void> = [];
  const slotFreed = (): Promise<void> => new Promise<void>((resolve) => waiting.push(resolve));
  return {
    async run(task) {
      while (open >= max) await slotFreed();
      open += 1;
      void task().finally(() => {
        open -= 1;
        for (const wake of waiting.splice(0)) wake();
      });
    },
    async drain() {
      while (open > 0) await slotFreed();
    },
    get open() {
      return open;
    },
  };
}
