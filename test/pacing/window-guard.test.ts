import { describe, expect, it } from "vitest";
import { WindowGuard } from "../../src/pacing/window-guard.js";

/** A request started and written at the same moment. */
function record(guard: WindowGuard, at: number): void {
  guard.sent(guard.start(at), at);
}

describe("WindowGuard", () => {
  it("lets `limit` starts through at once, then holds the next until the oldest leaves the window", () => {
    const guard = new WindowGuard(3, 1000);
    for (const t of [0, 1, 2]) {
      expect(guard.delayMs(t)).toBe(0);
      record(guard, t);
    }
    expect(guard.delayMs(2)).toBe(998);
    expect(guard.delayMs(999)).toBe(1);
    expect(guard.delayMs(1000)).toBe(0);
  });

  it.each([
    // A late event loop fires queued timers together: the guard spreads them out again.
    { limit: 30, starts: 200, burstEvery: 7 },
    { limit: 80, starts: 500, burstEvery: 13 },
  ])(
    "keeps every sliding window at or under $limit even when timers bunch",
    ({ limit, starts, burstEvery }) => {
      const guard = new WindowGuard(limit, 1025);
      const times: number[] = [];
      let now = 0;
      for (let i = 0; i < starts; i += 1) {
        // Scheduled on a 1025/limit grid, but every `burstEvery`-th start arrives with the ones before it.
        now = i % burstEvery === 0 ? now : Math.max(now, (i * 1025) / limit - 40);
        now += guard.delayMs(now);
        record(guard, now);
        times.push(now);
      }
      let maxInWindow = 0;
      for (let right = 0, left = 0; right < times.length; right += 1) {
        while ((times[right] ?? 0) - (times[left] ?? 0) >= 1000) left += 1;
        maxInWindow = Math.max(maxInWindow, right - left + 1);
      }
      expect(maxInWindow).toBeLessThanOrEqual(limit);
    },
  );

  it("can be lowered below its limit and raised back up to it, never beyond", () => {
    const guard = new WindowGuard(5, 1000);
    for (const t of [0, 10, 20]) record(guard, t);
    guard.setLimit(3.7);
    expect(guard.limit).toBe(3);
    // The third most recent start (at 0) has to leave the window first.
    expect(guard.delayMs(30)).toBe(970);
    guard.setLimit(5);
    expect(guard.delayMs(30)).toBe(0);
    record(guard, 30);
    record(guard, 40);
    // Five in the window: the oldest of them (at 0) decides.
    expect(guard.delayMs(50)).toBe(950);
    guard.setLimit(99);
    expect(guard.limit).toBe(5);
    guard.setLimit(0.2);
    expect(guard.limit).toBe(1);
    expect(guard.delayMs(50)).toBe(990);
  });

  it("refuses a limit below one", () => {
    expect(() => new WindowGuard(0, 1000)).toThrow(RangeError);
    expect(() => new WindowGuard(0.5, 1000)).toThrow("Expected `limit` to be >= 1, got `0.5`");
  });

  it("holds back more started, unwritten requests than it keeps room for", () => {
    const guard = new WindowGuard(1, 1000);
    // Three at once, where the guard keeps two windows' worth (2) of written ones.
    for (let i = 0; i < 3; i += 1) guard.start(0);
    expect(guard.delayMs(0)).toBe(1000);
  });

  it("waits for the right request after its record of them wrapped around, and when they were written out of order", () => {
    const wrapped = new WindowGuard(2, 1000);
    // Five written into room for four: the fifth takes the first one's place.
    for (const t of [0, 10, 20, 30, 40]) record(wrapped, t);
    expect(wrapped.delayMs(45)).toBe(985);
    const crossed = new WindowGuard(2, 1000);
    const first = crossed.start(0);
    const second = crossed.start(5);
    crossed.sent(second, 300);
    crossed.sent(first, 100);
    // In the window: leaving at 1300 and 1100; the earlier one to leave decides.
    expect(crossed.delayMs(400)).toBe(700);
  });

  it("gives the same waits whatever the clock's origin, negative ones too", () => {
    const waits = (origin: number): number[] => {
      const guard = new WindowGuard(3, 1000);
      const out: number[] = [];
      for (const t of [0, 1, 2, 400, 700, 1200, 1300, 2500, 2600, 2601, 2602, 2603]) {
        out.push(guard.delayMs(origin + t));
        record(guard, origin + t);
      }
      return out;
    };
    const fromZero = waits(0);
    expect(Math.max(...fromZero), `waits ${fromZero.join(", ")}`).toBeGreaterThan(0);
    expect(waits(-50_000)).toEqual(fromZero);
    expect(waits(1_000_000)).toEqual(fromZero);
  });

  it("counts a request from when it was written, not from when it started", () => {
    const guard = new WindowGuard(1, 1000);
    const slot = guard.start(0);
    guard.sent(slot, 30);
    expect(guard.delayMs(500)).toBe(530);
  });

  it("counts a started request not yet written as leaving right now", () => {
    const guard = new WindowGuard(2, 1000);
    record(guard, 0);
    guard.start(400);
    // Two in the window: the earlier written one (leaves at 1000) and the unsent one (could leave any moment).
    expect(guard.delayMs(500)).toBe(500);
    const guard1 = new WindowGuard(1, 1000);
    guard1.start(0);
    expect(guard1.delayMs(700)).toBe(1000);
  });

  it("counts a request that ended without being written from its start", () => {
    const guard = new WindowGuard(1, 1000);
    const slot = guard.start(100);
    guard.settled(slot);
    expect(guard.delayMs(600)).toBe(500);
    // Written and then settled: the write time stands.
    const other = new WindowGuard(1, 1000);
    const written = other.start(100);
    other.sent(written, 300);
    other.settled(written);
    expect(other.delayMs(600)).toBe(700);
  });
});
