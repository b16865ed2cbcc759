import { randomUUID } from "node:crypto";
import { Redis } from "ioredis";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { OffboardError } from "../../src/domain/errors.js";
import type { Clock } from "../../src/pacing/clock.js";
import { NOT_SENT } from "../../src/pacing/not-sent.js";
import { createPacer, type Pacer } from "../../src/pacing/pacer.js";
import {
  connectSharedSlots,
  redisWhere,
  type SharedSlots,
  type SharedSlotsOptions,
  sharedBudgetId,
} from "../../src/pacing/shared-slots.js";
import { minTimeMs, SHARED_MARGIN_MS } from "../../src/pacing/spacing.js";
import { freePort, type RedisServer, startRedisServer } from "../helpers/redis-server.js";
import { describeWith } from "../helpers/system-tools.js";
import { until, wait } from "../helpers/wait.js";

/** The most of `times` (ascending) that fall within any window of `windowMs`. */
function maxInWindow(times: readonly number[], windowMs = 1000): number {
  let most = 0;
  for (let right = 0, left = 0; right < times.length; right += 1) {
    while ((times[right] ?? 0) - (times[left] ?? 0) >= windowMs) left += 1;
    most = Math.max(most, right - left + 1);
  }
  return most;
}

/** Polls `check` until it holds, for at most `withinMs` of real time; says what was awaited if it never does. */
async function eventually(check: () => Promise<boolean>, what: string, withinMs = 2000): Promise<void> {
  const end = Date.now() + withinMs;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`waited ${withinMs} ms, and still not: ${what}`);
    await wait(10);
  }
}

/** A clock that moves only when told to; given to the shared slots alone, so ioredis keeps its real timers. */
function manualClock(): Clock & { advance(ms: number): void; pending(): number } {
  let now = 0;
  let lastId = 0;
  const timers = new Map<number, { at: number; fn: () => void }>();
  return {
    now: () => now,
    setTimeout(fn, ms) {
      lastId += 1;
      timers.set(lastId, { at: now + ms, fn });
      return lastId;
    },
    clearTimeout(handle) {
      timers.delete(handle as number);
    },
    pending: () => timers.size,
    advance(ms) {
      const end = now + ms;
      for (;;) {
        let due: [number, { at: number; fn: () => void }] | undefined;
        for (const entry of timers) if (entry[1].at <= end && (!due || entry[1].at < due[1].at)) due = entry;
        if (due === undefined) break;
        timers.delete(due[0]);
        now = due[1].at;
        due[1].fn();
      }
      now = end;
    },
  };
}

describe("shared budget keys and logs", () => {
  it("names the budget from a hash of the account, never the account id itself", () => {
    const id = sharedBudgetId("AbC123-account");
    expect(id).toMatch(/^zoom-offboard-light-[0-9a-f]{24}$/);
    expect(id).not.toContain("AbC123");
    expect(sharedBudgetId("AbC123-account")).toBe(id);
    expect(sharedBudgetId("other-account")).not.toBe(id);
  });

  it.each([
    ["redis://127.0.0.1:6380", "127.0.0.1:6380"],
    ["redis://:s3cret@redis.internal", "redis.internal:6379"],
    ["rediss://user:pw@cache.example.com:6390/2", "cache.example.com:6390"],
  ])("logs %s as %s (no credentials)", (url, where) => {
    expect(redisWhere(url)).toBe(where);
  });

  it("Redis unreachable at start: REDIS_UNAVAILABLE, saying where, never the password", async () => {
    const port = await freePort();
    const connecting = connectSharedSlots({
      url: `redis://:hunter2-secret@127.0.0.1:${port}`,
      accountId: "acct",
      runnerId: "r1",
      connectTimeoutMs: 500,
    });
    const error = await connecting.catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(OffboardError);
    expect((error as OffboardError).code).toBe("REDIS_UNAVAILABLE");
    expect((error as OffboardError).message).toMatch(/cannot reach Redis at 127\.0\.0\.1:\d+/);
    expect((error as OffboardError).message).not.toContain("hunter2");
  });
});

// Real time here: the slots come from Redis's clock (TIME in the script), which no fake timer reaches. Rates are low
// enough that a late timer is far inside the margin; the waits are bounded polls, and bounds are never exact.
describeWith("redis-server", "a budget shared through Redis", () => {
  let server: RedisServer;
  let admin: Redis;
  const opened: Array<{ close(): Promise<void> }> = [];

  // One server per test: the test clean-up kills child processes still running when a test ends.
  beforeEach(async () => {
    server = await startRedisServer();
    admin = new Redis(server.url);
  });
  afterEach(async () => {
    await Promise.all(opened.splice(0).map((one) => one.close()));
    admin.disconnect();
    await server.stop();
  });

  const connect = async (
    options: Partial<SharedSlotsOptions> & { accountId: string },
  ): Promise<SharedSlots> => {
    const slots = await connectSharedSlots({ url: server.url, runnerId: randomUUID(), ...options });
    opened.push(slots);
    return slots;
  };
  const pacerOn = (slots: SharedSlots, rps: number, clockOffsetMs = 0): Pacer => {
    const pacer = createPacer({
      rps,
      concurrency: 5,
      shared: slots,
      clock: {
        now: () => Date.now() + clockOffsetMs,
        setTimeout: (fn, ms) => setTimeout(fn, ms),
        clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
      },
    });
    opened.push(pacer);
    return pacer;
  };
  const startsOf = (pacer: Pacer, count: number, starts: number[]): Promise<unknown[]> =>
    Promise.all(
      Array.from({ length: count }, () =>
        pacer.schedule(async (written) => {
          starts.push(performance.now());
          written();
        }),
      ),
    );

  it("three runners never go over the budget together, whatever their machines' clocks say", async () => {
    const accountId = randomUUID();
    const rps = 30;
    // Each runner's own clock is hours apart from the others': the turns are booked on Redis's.
    const pacers = await Promise.all(
      [0, 3_600_000, -7_200_000].map(async (offset) => pacerOn(await connect({ accountId }), rps, offset)),
    );
    // Just over a budget's worth in all (33 > 30), so that one window could hold too many: about 1.2 s on Redis's clock.
    const each = 11;
    const starts: number[] = [];
    await Promise.all(pacers.map((pacer) => startsOf(pacer, each, starts)));
    starts.sort((a, b) => a - b);
    expect(starts).toHaveLength(3 * each);
    for (const pacer of pacers) expect(pacer.stats.started).toBe(each);
    expect(maxInWindow(starts)).toBeLessThanOrEqual(rps);
    // One schedule for the three: as spread out as one runner at the budget's rate would be.
    expect((starts.at(-1) ?? 0) - (starts[0] ?? 0)).toBeGreaterThan(
      (3 * each - 1) * minTimeMs(rps, SHARED_MARGIN_MS) - 20,
    );
  });

  it("spaces turns as minTimeMs does, at the slowest live runner's rate, and from Redis's clock", async () => {
    for (const rps of [0.5, 7.5, 30, 80]) {
      const slots = await connect({ accountId: randomUUID() });
      const before = Date.now();
      const first = await slots.reserve(rps, SHARED_MARGIN_MS);
      const second = await slots.reserve(rps, SHARED_MARGIN_MS);
      // The second turn is one spacing after the first, less the time that passed between the two bookings.
      const between = Date.now() - before;
      expect(first.waitMs).toBe(0);
      expect(second.paceRps).toBe(rps);
      expect(second.waitMs).toBeLessThanOrEqual(minTimeMs(rps, SHARED_MARGIN_MS) + 1);
      expect(second.waitMs).toBeGreaterThanOrEqual(minTimeMs(rps, SHARED_MARGIN_MS) - between - 1);
    }
    const accountId = randomUUID();
    const slow = await connect({ accountId });
    const fast = await connect({ accountId });
    const before = Date.now();
    expect((await fast.reserve(30, SHARED_MARGIN_MS)).paceRps).toBe(30);
    expect((await slow.reserve(10, SHARED_MARGIN_MS)).paceRps).toBe(10);
    const booked = await fast.reserve(30, SHARED_MARGIN_MS);
    const between = Date.now() - before;
    expect(booked.paceRps).toBe(10);
    // Its turn comes one spacing at 10/s after the slow runner's (less the time the three bookings took).
    expect(booked.waitMs).toBeGreaterThanOrEqual(
      minTimeMs(30, SHARED_MARGIN_MS) + minTimeMs(10, SHARED_MARGIN_MS) - between - 1,
    );
  });

  it("a runner that leaves stops counting at once; one that stops booking, after it goes stale", async () => {
    const accountId = randomUUID();
    const fast = await connect({ accountId });
    const leaving = await connect({ accountId });
    await leaving.reserve(10, SHARED_MARGIN_MS);
    expect((await fast.reserve(30, SHARED_MARGIN_MS)).paceRps).toBe(10);
    await leaving.leave();
    expect((await fast.reserve(30, SHARED_MARGIN_MS)).paceRps).toBe(30);

    const other = randomUUID();
    const staleMs = 200;
    const steady = await connect({ accountId: other, runnerStaleMs: staleMs });
    const crashed = await connect({ accountId: other, runnerStaleMs: staleMs });
    const bookedAt = Date.now();
    await crashed.reserve(10, SHARED_MARGIN_MS);
    expect((await steady.reserve(30, SHARED_MARGIN_MS)).paceRps).toBe(10);
    // Staleness is judged on Redis's clock (TIME), which cannot be faked: book until it stops counting, bounded.
    await eventually(
      async () => (await steady.reserve(30, SHARED_MARGIN_MS)).paceRps === 30,
      "the crashed runner stops counting",
    );
    // Not before it went stale (Redis and Node read the same wall clock; a few ms for rounding).
    expect(Date.now() - bookedAt).toBeGreaterThanOrEqual(staleMs - 5);
  });

  it("a pacer that closes leaves, and the others go back to their own rate", async () => {
    const accountId = randomUUID();
    const slow = pacerOn(await connect({ accountId }), 10);
    const fast = pacerOn(await connect({ accountId }), 30);
    await slow.schedule(async () => undefined);
    await fast.schedule(async () => undefined);
    expect(fast.stats.currentRps).toBe(10);
    await slow.close();
    await fast.schedule(async () => undefined);
    expect(fast.stats).toMatchObject({ currentRps: 30, minRps: 10 });
  });

  it("a pause by one runner holds every runner", async () => {
    const accountId = randomUUID();
    const pausing = pacerOn(await connect({ accountId }), 30);
    const other = pacerOn(await connect({ accountId }), 30);
    await pausing.schedule(async () => undefined);
    await other.schedule(async () => undefined);
    const pausedAt = performance.now();
    // Long enough to tell from the spacing (about 36 ms at 30/s); it runs on Redis's clock, so it is really waited.
    const pauseMs = 200;
    pausing.pause(pauseMs);
    // The pause reaches Redis before the other runner books its next turn.
    const schedule = `{${sharedBudgetId(accountId)}}:schedule`;
    await eventually(async () => (await admin.hget(schedule, "pausedUntil")) !== null, "the pause in Redis");
    const starts: number[] = [];
    await Promise.all([startsOf(other, 3, starts), startsOf(pausing, 3, starts)]);
    // A lower bound only (a timer may fire a millisecond early; Redis and Node each read the clock).
    expect(Math.min(...starts) - pausedAt).toBeGreaterThanOrEqual(pauseMs - 5);
  });

  it("keys are named from the account's hash, and expire a minute after the last turn", async () => {
    const accountId = `account-${randomUUID()}`;
    const slots = await connect({ accountId });
    await slots.reserve(30, SHARED_MARGIN_MS);
    await slots.pause(1000);
    const keys = await admin.keys(`*${sharedBudgetId(accountId)}*`);
    expect(keys).toHaveLength(2);
    expect(await admin.keys(`*${accountId}*`)).toEqual([]);
    for (const key of keys) {
      const ttl = await admin.pttl(key);
      expect(ttl).toBeGreaterThan(59_000);
      expect(ttl).toBeLessThanOrEqual(61_100);
    }
    const brief = `account-${randomUUID()}`;
    await (await connect({ accountId: brief, keyTtlMs: 50 })).reserve(30, SHARED_MARGIN_MS);
    // Redis expires keys on its own clock, which cannot be faked: wait (bounded) until they are gone.
    await eventually(
      async () => (await admin.keys(`*${sharedBudgetId(brief)}*`)).length === 0,
      "the brief budget's keys expire",
    );
  });

  it("Redis gone mid-run: waiting attempts fail with REDIS_UNAVAILABLE once the outage budget is spent", async () => {
    const doomed = await startRedisServer();
    // The outage budget runs on the injected clock: moved by hand, it needs no real wait.
    const clock = manualClock();
    const slots = await connectSharedSlots({
      url: doomed.url,
      accountId: randomUUID(),
      runnerId: "r1",
      outageBudgetMs: 300,
      clock,
    });
    const pacer = createPacer({ rps: 20, concurrency: 2, shared: slots });
    opened.push(pacer);
    expect(await pacer.schedule(async () => "sent")).toBe("sent");
    await doomed.stop();
    const errors: unknown[] = [];
    const waiting = Array.from({ length: 4 }, () =>
      pacer.schedule(async () => "sent").catch((error: unknown) => errors.push(error)),
    );
    // The connection's close (real I/O) starts the outage budget's timer.
    await until(() => clock.pending() > 0, "the outage noticed");
    clock.advance(299);
    // A moment of real time for Bottleneck's and ioredis's own timers, which would fail the attempts if it were over.
    await wait(50);
    expect(errors).toEqual([]);
    clock.advance(1);
    await Promise.all(waiting);
    expect(errors).toHaveLength(4);
    for (const error of errors) {
      expect(error).toBeInstanceOf(OffboardError);
      expect((error as OffboardError).code).toBe("REDIS_UNAVAILABLE");
      expect((error as OffboardError).message).toMatch(/lost Redis at 127\.0\.0\.1:\d+/);
    }
    // From then on, at once.
    await expect(pacer.schedule(async () => "sent")).rejects.toMatchObject({ code: "REDIS_UNAVAILABLE" });
    expect(pacer.stats.started).toBe(1);
  });

  it("halt settles the attempts waiting for a shared turn", async () => {
    const accountId = randomUUID();
    const pacer = pacerOn(await connect({ accountId }), 2);
    const first = pacer.schedule(async () => "sent");
    const queued = Array.from({ length: 3 }, () => pacer.schedule(async () => "sent"));
    expect(await first).toBe("sent");
    pacer.halt();
    expect(await Promise.all(queued)).toEqual(Array(3).fill(NOT_SENT));
    expect(pacer.stats.started).toBe(1);
  });
});
