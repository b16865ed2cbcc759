import { setTimeout as sleep } from "node:timers/promises";
import { describe, expect, it } from "vitest";
import { NOT_SENT } from "../../src/batch/not-sent.js";
import { minTimeMs } from "../../src/batch/pacing.js";
import { createRateLimiter } from "../../src/batch/rate-limiter.js";

// Real timers at a high rate keep these fast; assertions are on counts and lower bounds, never exact times.
describe("createRateLimiter", () => {
  it("keeps every sliding second at or under rps, and runs every job once", async () => {
    const rps = 100;
    const limiter = createRateLimiter({ rps, concurrency: 50 });
    const starts: number[] = [];
    const jobs = 130; // a little over one second of budget, so that full windows exist
    const results = await Promise.all(
      Array.from({ length: jobs }, (_, i) =>
        limiter.schedule(async () => {
          starts.push(performance.now());
          return i;
        }),
      ),
    );
    await limiter.close();
    expect(results).toEqual(Array.from({ length: jobs }, (_, i) => i));
    expect(limiter.started).toBe(jobs);
    let maxInWindow = 0;
    let left = 0;
    for (let right = 0; right < starts.length; right += 1) {
      while ((starts[right] ?? 0) - (starts[left] ?? 0) >= 1000) left += 1;
      maxInWindow = Math.max(maxInWindow, right - left + 1);
    }
    expect(maxInWindow).toBeLessThanOrEqual(rps);
    // ...and it is not pacing far below the limit either.
    expect(maxInWindow).toBeGreaterThanOrEqual(rps * 0.9);
    expect((starts.at(-1) ?? 0) - (starts[0] ?? 0)).toBeGreaterThanOrEqual((jobs - 1) * minTimeMs(rps) - 30);
  });

  it("counts a request from when it was written: one written late holds back the one a window after it", async () => {
    const rps = 5;
    const limiter = createRateLimiter({ rps, concurrency: 10, adaptive: false });
    const starts: number[] = [];
    let firstWrittenAt = 0;
    await Promise.all(
      Array.from({ length: rps + 1 }, (_, i) =>
        limiter.schedule(async (_startedAt, onWire) => {
          starts.push(performance.now());
          if (i === 0) {
            // A handshake, a token refresh or a garbage collection between the start and the write.
            await sleep(150);
            firstWrittenAt = performance.now();
          }
          onWire();
        }),
      ),
    );
    await limiter.close();
    // Paced from its start, the sixth would go 1.1 s after the first started (the warm-up spacing), 0.95 s after
    // it was written; counted from the write, the guard's window (1020 ms) after that.
    expect((starts[rps] ?? 0) - firstWrittenAt).toBeGreaterThanOrEqual(1018);
  });

  it("keeps a wider margin between requests a window apart in the first seconds", async () => {
    const rps = 5;
    const limiter = createRateLimiter({ rps, concurrency: 10, adaptive: false });
    const starts: number[] = [];
    await Promise.all(
      Array.from({ length: rps + 1 }, () =>
        limiter.schedule(async (_startedAt, onWire) => {
          starts.push(performance.now());
          onWire();
        }),
      ),
    );
    await limiter.close();
    // Spaced for 1100 ms per five; the steady spacing: 1025. Halfway between, for timers firing late on a busy
    // machine (a late first start shortens the span).
    expect((starts[rps] ?? 0) - (starts[0] ?? 0)).toBeGreaterThanOrEqual(1063);
  });

  it("goes back to the steady spacing after the first two seconds", async () => {
    const rps = 20;
    // Bottleneck books up to `concurrency` jobs ahead at the spacing of the moment: a few, so the change shows soon.
    const limiter = createRateLimiter({ rps, concurrency: 4, adaptive: false });
    const starts = (await Promise.all(
      Array.from({ length: 3.5 * rps }, () => limiter.schedule(async (startedAt) => startedAt)),
    )) as number[];
    await limiter.close();
    const sorted = [...starts].sort((a, b) => a - b);
    const span = (from: number) => (sorted[from + rps] ?? 0) - (sorted[from] ?? 0);
    // The first window is spaced for 1100 ms; the last for 1025 (a little more when timers fire late).
    // Halfway between the two, for timers firing late on a busy machine.
    expect(span(0)).toBeGreaterThanOrEqual(1063);
    expect(span(sorted.length - 1 - rps)).toBeLessThan(1063);
  });

  it("never has more than `concurrency` jobs running", async () => {
    const limiter = createRateLimiter({ rps: 1000, concurrency: 3 });
    let running = 0;
    let peak = 0;
    await Promise.all(
      Array.from({ length: 12 }, () =>
        limiter.schedule(async () => {
          running += 1;
          peak = Math.max(peak, running);
          await new Promise((resolve) => setTimeout(resolve, 15));
          running -= 1;
        }),
      ),
    );
    await limiter.close();
    expect(peak).toBe(3);
  });

  it("pause holds every queued job, not just the caller's", async () => {
    const limiter = createRateLimiter({ rps: 1000, concurrency: 10 });
    await limiter.schedule(async () => undefined);
    const pausedAt = performance.now();
    limiter.pause(150, "test");
    const starts = await Promise.all(
      Array.from({ length: 3 }, () => limiter.schedule(async () => performance.now())),
    );
    await limiter.close();
    for (const start of starts) expect(start).not.toBe(NOT_SENT);
    for (const start of starts) expect((start as number) - pausedAt).toBeGreaterThanOrEqual(140);
  });

  it("a pause counted from an earlier moment (the refused request's start) ends that much sooner", async () => {
    const limiter = createRateLimiter({ rps: 1000, concurrency: 10 });
    const sentAt = await limiter.schedule(async (startedAt) => startedAt);
    await new Promise((resolve) => setTimeout(resolve, 100));
    const pausedAt = performance.now();
    limiter.pause(300, "test", sentAt as number);
    const start = await limiter.schedule(async () => performance.now());
    await limiter.close();
    expect((start as number) - (sentAt as number)).toBeGreaterThanOrEqual(290);
    // ~200 ms after the call, not 300: the 100 ms before it counted.
    expect((start as number) - pausedAt).toBeLessThan(280);
  });

  it("on a 429 from another app, paces at what fitted in the second before the refused request", async () => {
    const limiter = createRateLimiter({ rps: 30, concurrency: 30 });
    const starts = await Promise.all(
      Array.from({ length: 12 }, () => limiter.schedule(async (startedAt) => startedAt)),
    );
    const refusedAt = Math.max(...(starts as number[]));
    limiter.observe({ kind: "rate_limited", sentAt: refusedAt });
    // 11 of ours went out in the second before the refused 12th: that many fit beside the others.
    expect(limiter.pacing.currentRps).toBe(11);
    // And no window gets more than that from now on, however many of ours were in it before the 429.
    const later = await Promise.all(
      Array.from({ length: 4 }, () => limiter.schedule(async () => performance.now())),
    );
    await limiter.close();
    const all = [...(starts as number[]), ...(later as number[])].sort((a, b) => a - b);
    for (const start of later as number[]) {
      // The guard's window keeps 20 of the 25 ms margin (the spacing keeps all of it).
      expect(all.filter((other) => other > start - 1020 && other <= start).length).toBeLessThanOrEqual(11);
    }
  });

  it("halt resolves queued jobs to NOT_SENT without running them, and lets started ones finish", async () => {
    const limiter = createRateLimiter({ rps: 5, concurrency: 5 });
    let ran = 0;
    let firstStarted: () => void = () => {};
    const started = new Promise<void>((resolve) => {
      firstStarted = resolve;
    });
    const first = limiter.schedule(async () => {
      ran += 1;
      firstStarted();
      await new Promise((resolve) => setTimeout(resolve, 30));
      return "done";
    });
    const queued = Array.from({ length: 5 }, () =>
      limiter.schedule(async () => {
        ran += 1;
        return "sent";
      }),
    );
    await started;
    limiter.halt();
    expect(await Promise.all(queued)).toEqual(Array(5).fill(NOT_SENT));
    expect(await first).toBe("done");
    expect(await limiter.schedule(async () => "late")).toBe(NOT_SENT);
    await limiter.close();
    expect(ran).toBe(1);
  });
});
