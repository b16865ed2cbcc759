import { pino } from "pino";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { NOT_SENT } from "../../src/pacing/not-sent.js";
import { createPacer, type Pacer } from "../../src/pacing/pacer.js";
import { minTimeMs, spacingMs } from "../../src/pacing/spacing.js";

// Fake time throughout: Bottleneck's timers and Date.now and the pacer's clock are all vitest's, so every run of a
// test sees the same times and the counts below are exact.
beforeEach(() => {
  vi.useFakeTimers({ now: 1_000_000 });
});
afterEach(() => {
  vi.useRealTimers();
});

/** The most of `times` (ascending) that fall within any window of `windowMs`. */
function maxInWindow(times: readonly number[], windowMs = 1000): number {
  let most = 0;
  for (let right = 0, left = 0; right < times.length; right += 1) {
    while ((times[right] ?? 0) - (times[left] ?? 0) >= windowMs) left += 1;
    most = Math.max(most, right - left + 1);
  }
  return most;
}

const gaps = (times: readonly number[]): number[] => times.slice(1).map((t, i) => t - (times[i] ?? 0));

/** Schedule `count` attempts that record when they start and are written at once; resolve to their indexes. */
function scheduleMany(pacer: Pacer, count: number, starts: number[]): Promise<unknown[]> {
  return Promise.all(
    Array.from({ length: count }, (_, i) =>
      pacer.schedule(async (written) => {
        starts.push(Date.now());
        written();
        return i;
      }),
    ),
  );
}

/** A logger whose lines land in `lines`. */
function captureLogger(lines: Array<Record<string, unknown>>) {
  return pino(
    { level: "debug" },
    { write: (line: string) => lines.push(JSON.parse(line) as Record<string, unknown>) },
  );
}

describe("createPacer, alone", () => {
  it("never starts (nor writes) more than rps in any second, and runs every attempt once", async () => {
    const rps = 30;
    const pacer = createPacer({ rps, concurrency: rps, adaptive: false });
    const starts: number[] = [];
    const writes: number[] = [];
    const done = Promise.all(
      Array.from({ length: 200 }, (_, i) =>
        pacer.schedule(async (written) => {
          starts.push(Date.now());
          // Some requests are written a little after they start (a handshake, a token look-up).
          await new Promise((resolve) => setTimeout(resolve, i % 7));
          written();
          writes.push(Date.now());
          return i;
        }),
      ),
    );
    await vi.advanceTimersByTimeAsync(10_000);
    expect(await done).toEqual(Array.from({ length: 200 }, (_, i) => i));
    expect(pacer.stats.started).toBe(200);
    expect(maxInWindow(starts)).toBe(rps);
    expect(maxInWindow([...writes].sort((a, b) => a - b))).toBeLessThanOrEqual(rps);
    await pacer.close();
  });

  it.each([5, 30, 80])(
    "spaces starts by the rate's spacing (%i/s), wider in the first two seconds",
    async (rps) => {
      // A small concurrency: Bottleneck books that many turns ahead at the spacing of the moment.
      const pacer = createPacer({ rps, concurrency: 2, adaptive: false });
      const starts: number[] = [];
      const done = scheduleMany(pacer, 4 * rps + 1, starts);
      await vi.advanceTimersByTimeAsync(6000);
      await done;
      await pacer.close();
      const warm = spacingMs(rps, 25, 0);
      const steady = minTimeMs(rps, 25);
      // Each start comes within a millisecond of its slot, either side: timers take whole milliseconds.
      for (const gap of gaps(starts.slice(0, rps))) expect(Math.abs(gap - warm)).toBeLessThan(2);
      for (const gap of gaps(starts.slice(-rps))) expect(Math.abs(gap - steady)).toBeLessThan(2);
      // A window's worth of gaps spans 1100 ms while warming up, then 1025 (give or take those milliseconds).
      expect((starts[rps] ?? 0) - (starts[0] ?? 0)).toBeGreaterThan(1097);
      const last = starts.length - 1;
      expect((starts[last] ?? 0) - (starts[last - rps] ?? 0)).toBeGreaterThan(1022);
      expect((starts[last] ?? 0) - (starts[last - rps] ?? 0)).toBeLessThan(1030);
    },
  );

  it("counts a request from when it was written: one written late holds back the one a window after it", async () => {
    const rps = 5;
    const pacer = createPacer({ rps, concurrency: 10, adaptive: false });
    const starts: number[] = [];
    let firstWrittenAt = 0;
    const done = Promise.all(
      Array.from({ length: rps + 1 }, (_, i) =>
        pacer.schedule(async (written) => {
          starts.push(Date.now());
          if (i === 0) {
            await new Promise((resolve) => setTimeout(resolve, 150));
            firstWrittenAt = Date.now();
          }
          written();
        }),
      ),
    );
    await vi.advanceTimersByTimeAsync(3000);
    await done;
    await pacer.close();
    // Paced from its start, the sixth would leave 1100 ms after the first started, 950 ms after it was written;
    // counted from the write, the guard's window (1000 ms and most of the margin) after that.
    expect((starts[rps] ?? 0) - firstWrittenAt).toBeGreaterThanOrEqual(1020);
    expect((starts[rps] ?? 0) - firstWrittenAt).toBeLessThan(1025);
    expect(pacer.stats.guardWaits).toBe(1);
  });

  it("never has more than `concurrency` attempts running", async () => {
    const pacer = createPacer({ rps: 1000, concurrency: 3 });
    let running = 0;
    let peak = 0;
    const done = Promise.all(
      Array.from({ length: 12 }, () =>
        pacer.schedule(async () => {
          running += 1;
          peak = Math.max(peak, running);
          await new Promise((resolve) => setTimeout(resolve, 15));
          running -= 1;
        }),
      ),
    );
    await vi.advanceTimersByTimeAsync(1000);
    await done;
    await pacer.close();
    expect(peak).toBe(3);
  });

  it("a pause holds every queued attempt, those whose turns were booked already too, and keeps the spacing after it", async () => {
    const pauses: number[] = [];
    const pacer = createPacer({
      rps: 10,
      concurrency: 10,
      adaptive: false,
      onPause: (ms) => pauses.push(ms),
    });
    const starts: number[] = [];
    const done = scheduleMany(pacer, 12, starts);
    await vi.advanceTimersByTimeAsync(200);
    const pausedAt = Date.now();
    pacer.pause(500);
    const before = starts.length;
    await vi.advanceTimersByTimeAsync(3000);
    expect(await done).toHaveLength(12);
    await pacer.close();
    expect(before).toBe(2);
    expect(starts.filter((at) => at > pausedAt && at < pausedAt + 500)).toEqual([]);
    expect(pacer.stats.started).toBe(12);
    expect(Math.min(...gaps(starts.slice(before)))).toBeGreaterThanOrEqual(Math.floor(spacingMs(10, 25, 0)));
    expect(pauses).toEqual([500]);
  });

  it("books no turns during a pause: nothing but the pause's own timer waits", async () => {
    const pacer = createPacer({ rps: 10, concurrency: 10, adaptive: false });
    const starts: number[] = [];
    const done = scheduleMany(pacer, 12, starts);
    await vi.advanceTimersByTimeAsync(200);
    pacer.pause(30_000);
    // The turns Bottleneck had booked come, and queue again behind the pause.
    await vi.advanceTimersByTimeAsync(2000);
    expect(vi.getTimerCount()).toBe(1);
    expect(starts).toHaveLength(2);
    await vi.advanceTimersByTimeAsync(30_000);
    expect(await done).toHaveLength(12);
    await pacer.close();
  });

  it("a pause counted from an earlier moment (the refused request's start) ends that much sooner", async () => {
    const pacer = createPacer({ rps: 1000, concurrency: 10 });
    const sentAt = Date.now();
    await vi.advanceTimersByTimeAsync(100);
    const pausedAt = Date.now();
    pacer.pause(300, sentAt);
    const next = pacer.schedule(async () => Date.now());
    await vi.advanceTimersByTimeAsync(500);
    const startedAt = (await next) as number;
    expect(startedAt - sentAt).toBeGreaterThanOrEqual(300);
    expect(startedAt - pausedAt).toBeLessThan(210);
    // One already over when asked for holds nothing.
    pacer.pause(50, Date.now() - 100);
    const free = pacer.schedule(async () => Date.now());
    await vi.advanceTimersByTimeAsync(20);
    expect(((await free) as number) - Date.now()).toBeGreaterThan(-20);
    await pacer.close();
  });

  it("halt resolves queued attempts NOT_SENT at once and lets started ones finish", async () => {
    const pacer = createPacer({ rps: 5, concurrency: 5 });
    let ran = 0;
    const first = pacer.schedule(async () => {
      ran += 1;
      await new Promise((resolve) => setTimeout(resolve, 300));
      return "done";
    });
    const queued = Array.from({ length: 5 }, () =>
      pacer.schedule(async () => {
        ran += 1;
        return "sent";
      }),
    );
    await vi.advanceTimersByTimeAsync(50);
    expect(ran).toBe(1);
    pacer.halt();
    // No time passes: they are settled by the halt itself.
    expect(await Promise.all(queued)).toEqual(Array(5).fill(NOT_SENT));
    expect(await pacer.schedule(async () => "late")).toBe(NOT_SENT);
    const closed = pacer.close();
    await vi.advanceTimersByTimeAsync(300);
    expect(await first).toBe("done");
    await closed;
    expect(ran).toBe(1);
  });

  it("halt during a pause settles everything without waiting for the pause to end", async () => {
    const pacer = createPacer({ rps: 5, concurrency: 5 });
    pacer.pause(60_000);
    const queued = Array.from({ length: 3 }, () => pacer.schedule(async () => "sent"));
    await vi.advanceTimersByTimeAsync(10);
    pacer.halt();
    expect(await Promise.all(queued)).toEqual(Array(3).fill(NOT_SENT));
    await pacer.close();
    expect(vi.getTimerCount()).toBe(0);
  });

  it("halt while the window guard holds an attempt back leaves nothing on a timer", async () => {
    const pacer = createPacer({ rps: 1, concurrency: 2, adaptive: false });
    // Started, never written: it counts as leaving any moment, so the guard holds the next one.
    const first = pacer.schedule(() => new Promise((resolve) => setTimeout(resolve, 3000)));
    const held = pacer.schedule(async () => "sent");
    await vi.advanceTimersByTimeAsync(1500);
    expect(pacer.stats).toMatchObject({ started: 1, guardWaits: 1 });
    pacer.halt();
    expect(await held).toBe(NOT_SENT);
    expect(vi.getTimerCount()).toBe(1);
    const closed = pacer.close();
    await vi.advanceTimersByTimeAsync(2000);
    await first;
    await closed;
    expect(vi.getTimerCount()).toBe(0);
  });

  it("an attempt that fails rejects its schedule; the next attempts go on", async () => {
    const pacer = createPacer({ rps: 10, concurrency: 2 });
    const failed = pacer.schedule(async () => {
      throw new Error("socket hang up");
    });
    const next = pacer.schedule(async () => "ok");
    const outcome = expect(failed).rejects.toThrow("socket hang up");
    await vi.advanceTimersByTimeAsync(500);
    await outcome;
    expect(await next).toBe("ok");
    expect(pacer.stats.started).toBe(2);
    await pacer.close();
  });
});

describe("createPacer, adaptive", () => {
  it("on a 429 from another app, paces at what fitted in the second before the refused request", async () => {
    const lines: Array<Record<string, unknown>> = [];
    const changes: unknown[] = [];
    const pacer = createPacer({
      rps: 30,
      concurrency: 30,
      logger: captureLogger(lines),
      onPaceChange: (...change) => changes.push(change),
    });
    const starts: number[] = [];
    const first = scheduleMany(pacer, 12, starts);
    await vi.advanceTimersByTimeAsync(1000);
    await first;
    const refusedAt = Math.max(...starts);
    pacer.observe({ kind: "rate_limited", sentAt: refusedAt });
    // 11 of ours went out in the second before the refused 12th: that many fit beside the others.
    expect(pacer.stats).toMatchObject({ currentRps: 11, minRps: 11, changes: 1 });
    expect(changes).toEqual([[30, 11, "rate limited by another app on the account"]]);
    expect(lines.find((line) => line.msg === "Light pace changed")).toMatchObject({
      fromRps: 30,
      toRps: 11,
      reason: "rate limited by another app on the account",
    });
    // And no window gets more than that from now on, however many of ours were in it before the 429.
    const later: number[] = [];
    const second = scheduleMany(pacer, 60, later);
    await vi.advanceTimersByTimeAsync(10_000);
    await second;
    await pacer.close();
    const all = [...starts, ...later];
    for (const start of later) {
      expect(all.filter((other) => other > start - 1020 && other <= start).length).toBeLessThanOrEqual(11);
    }
    // Turns booked once the warm-up is over come at 11 a window again.
    expect(maxInWindow(later.slice(-20))).toBe(11);
  });

  it.each(["answers", "attempts queued"])(
    "recovers while requests flow (time told by %s), and does nothing while none do",
    async (source) => {
      const changes: Array<[number, number, string]> = [];
      const pacer = createPacer({
        rps: 30,
        concurrency: 30,
        onPaceChange: (from, to, reason) => changes.push([from, to, reason]),
      });
      // Refused without knowing when it was sent: no count of what fitted, so 85 % of the pace.
      pacer.observe({ kind: "rate_limited" });
      expect(pacer.stats.currentRps).toBe(25.5);
      await vi.advanceTimersByTimeAsync(20_000);
      expect(pacer.stats.currentRps).toBe(25.5);
      // Requests flow again: back to the configured rate, a step a second, the last level after 10 s.
      const done: Promise<unknown>[] = [];
      for (let tenth = 0; tenth < 150; tenth += 1) {
        if (source === "answers") pacer.observe({ kind: "answered", remaining: 100 });
        else done.push(pacer.schedule(async () => undefined));
        await vi.advanceTimersByTimeAsync(100);
      }
      await Promise.all(done);
      await pacer.close();
      expect(changes.map(([, to]) => to)).toEqual([25.5, 27, 28.5, 29, 30]);
      expect(changes.at(-1)?.[2]).toBe("trying a level more");
      expect(pacer.stats).toMatchObject({ currentRps: 30, minRps: 25.5, changes: 5 });
    },
  );

  it("with adaptive pacing off (a Medium budget), 429s change nothing", async () => {
    const pacer = createPacer({ rps: 20, concurrency: 3, adaptive: false });
    pacer.observe({ kind: "rate_limited" });
    pacer.observe({ kind: "rate_limited", sentAt: Date.now() });
    expect(pacer.stats).toMatchObject({ currentRps: 20, minRps: 20, changes: 0 });
    await pacer.close();
  });
});
