import { afterEach, describe, expect, it, vi } from "vitest";
import { newBottleneck } from "../../src/batch/bottleneck-internals.js";

afterEach(() => {
  vi.restoreAllMocks();
});

describe("newBottleneck", () => {
  it("runs local jobs without a timer per datastore step (one per job, for its start)", async () => {
    const timers = vi.spyOn(globalThis, "setTimeout");
    const limiter = newBottleneck({ maxConcurrent: 2, minTime: 0 });
    const jobs = 20;
    const done = await Promise.all(Array.from({ length: jobs }, (_, n) => limiter.schedule(async () => n)));
    expect(done).toEqual(Array.from({ length: jobs }, (_, n) => n));
    // Stock Bottleneck sets a 1 ms timer before each of submit, register and free as well: 4+ per job.
    expect(timers.mock.calls.length).toBeLessThanOrEqual(jobs + 2);
    await limiter.stop({ dropWaitingJobs: false });
  });

  it("still spaces starts by minTime and keeps maxConcurrent", async () => {
    const limiter = newBottleneck({ maxConcurrent: 1, minTime: 50 });
    const starts: number[] = [];
    let running = 0;
    let most = 0;
    await Promise.all(
      Array.from({ length: 5 }, () =>
        limiter.schedule(async () => {
          starts.push(performance.now());
          running += 1;
          most = Math.max(most, running);
          await new Promise((resolve) => setImmediate(resolve));
          running -= 1;
        }),
      ),
    );
    expect(most).toBe(1);
    // One late timer can bring two starts close (the window guard's job); over the run the spacing holds (without
    // it the five would start within a few milliseconds).
    expect((starts.at(-1) ?? 0) - (starts[0] ?? 0)).toBeGreaterThanOrEqual(4 * 50 - 30);
    await limiter.stop({ dropWaitingJobs: false });
  });

  it("still tells listeners about events, debug ones included", async () => {
    const limiter = newBottleneck({ maxConcurrent: 1, minTime: 0 });
    const done: unknown[] = [];
    limiter.on("done", (info) => done.push(info.options.id));
    await limiter.schedule({ id: "a" }, async () => 1);
    expect(done).toEqual(["a"]);
    const debug: string[] = [];
    limiter.on("debug", (message) => debug.push(message));
    await limiter.schedule({ id: "b" }, async () => 2);
    expect(debug).toContain("Event triggered: executing");
    expect(done).toEqual(["a", "b"]);
    await limiter.stop({ dropWaitingJobs: false });
  });

  it("relies on parts that a stock Bottleneck has (an upgrade that moves them fails here)", async () => {
    const { default: Bottleneck } = await import("bottleneck");
    const limiter = new Bottleneck();
    const internals = limiter as unknown as {
      _store: { yieldLoop?: unknown; __register__?: unknown };
      Events: { trigger?: unknown; listenerCount?: unknown };
    };
    expect(typeof internals._store.yieldLoop).toBe("function");
    // trackSlots wraps the datastore's register step (the Redis one in a run; the same name in both).
    expect(typeof internals._store.__register__).toBe("function");
    expect(typeof internals.Events.trigger).toBe("function");
    expect(typeof internals.Events.listenerCount).toBe("function");
  });
});
