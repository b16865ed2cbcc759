import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { Clock } from "../../src/pacing/clock.js";
import { createPacer } from "../../src/pacing/pacer.js";
import type { SharedSlots } from "../../src/pacing/shared-slots.js";
import { minTimeMs, SHARED_MARGIN_MS } from "../../src/pacing/spacing.js";

// The pacer's side of a shared budget, on fake time: the schedule is an in-memory stand-in for the Lua script
// (shared-slots.test.ts runs the real one on a real Redis).
beforeEach(() => {
  vi.useFakeTimers({ now: 1_000_000 });
});
afterEach(() => {
  vi.useRealTimers();
});

interface FakeSlots extends SharedSlots {
  reservations: number;
}

/** One account's schedule, as the script keeps it: the next free slot, a pause, spaced at the rate asked for. */
function fakeSlots(): FakeSlots {
  let next = 0;
  let pausedUntil = 0;
  const slots: FakeSlots = {
    where: "fake",
    reservations: 0,
    async reserve(ownRps, marginMs) {
      slots.reservations += 1;
      const now = Date.now();
      const slot = Math.max(now, next, pausedUntil);
      next = slot + minTimeMs(ownRps, marginMs);
      return { waitMs: slot - now, paceRps: ownRps };
    },
    async pause(ms) {
      pausedUntil = Math.max(pausedUntil, Date.now() + ms);
    },
    async leave() {},
    async close() {},
  };
  return slots;
}

/** Fake time, with the timer for the `lateAt`-th wait firing `lateMs` late (an event loop busy elsewhere). */
function clockWithLateTimer(lateAt: number, lateMs: number): Clock {
  let timers = 0;
  return {
    now: () => Date.now(),
    setTimeout: (fn, ms) => {
      timers += 1;
      return setTimeout(fn, timers === lateAt ? ms + lateMs : ms);
    },
    clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
  };
}

describe("createPacer, shared", () => {
  it("holds at most one booked, unused turn at a time, whatever its concurrency", async () => {
    const slots = fakeSlots();
    const pacer = createPacer({ rps: 10, concurrency: 5, shared: slots });
    const unused: number[] = [];
    const starts: number[] = [];
    const done = Promise.all(
      Array.from({ length: 8 }, () =>
        pacer.schedule(async () => {
          starts.push(Date.now());
        }),
      ),
    );
    for (let step = 0; step < 100; step += 1) {
      await vi.advanceTimersByTimeAsync(10);
      unused.push(slots.reservations - pacer.stats.started);
    }
    await done;
    await pacer.close();
    expect(Math.max(...unused)).toBe(1);
    expect(slots.reservations).toBe(8);
    const spacing = minTimeMs(10, SHARED_MARGIN_MS);
    for (const [i, start] of starts.entries())
      expect(start - (starts[0] ?? 0)).toBeGreaterThan(i * spacing - 1);
  });

  it("leaves a turn it reached late unused and books another", async () => {
    const slots = fakeSlots();
    // The second wait is the second turn's (the first turn is at once): 60 ms late, over half the margin.
    const pacer = createPacer({ rps: 10, concurrency: 2, shared: slots, clock: clockWithLateTimer(1, 60) });
    const starts: number[] = [];
    const done = Promise.all(
      Array.from({ length: 3 }, () =>
        pacer.schedule(async () => {
          starts.push(Date.now());
        }),
      ),
    );
    await vi.advanceTimersByTimeAsync(1000);
    await done;
    await pacer.close();
    expect(slots.reservations).toBe(4);
    const spacing = minTimeMs(10, SHARED_MARGIN_MS);
    // The second request goes at the turn booked after the one it missed.
    expect((starts[1] ?? 0) - (starts[0] ?? 0)).toBeGreaterThanOrEqual(Math.floor(2 * spacing));
  });

  it("its own pause holds a turn it has booked already; another runner's, its next booking", async () => {
    const slots = fakeSlots();
    const pacer = createPacer({ rps: 10, concurrency: 2, shared: slots });
    const starts: number[] = [];
    const attempt = async (): Promise<void> => {
      starts.push(Date.now());
    };
    const done = Promise.all([pacer.schedule(attempt), pacer.schedule(attempt)]);
    await vi.advanceTimersByTimeAsync(10);
    const pausedAt = Date.now();
    pacer.pause(500);
    await vi.advanceTimersByTimeAsync(1000);
    await done;
    expect((starts[1] ?? 0) - pausedAt).toBeGreaterThanOrEqual(500);
    // Another runner pauses the account: this one's next turn comes after it.
    await slots.pause(700);
    const otherPausedAt = Date.now();
    const later = pacer.schedule(attempt);
    await vi.advanceTimersByTimeAsync(1000);
    await later;
    expect((starts[2] ?? 0) - otherPausedAt).toBeGreaterThanOrEqual(700);
    await pacer.close();
  });
});
