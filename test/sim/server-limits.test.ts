import { afterAll, afterEach, describe, expect, it } from "vitest";
import { type Simulator, startSimulator } from "../../src/sim/server.js";
import { agent, call, fakeClock, getToken, getUser, members, putStatus } from "./helpers.js";

let sim: Simulator | undefined;
afterEach(async () => {
  await sim?.close();
  sim = undefined;
});
afterAll(() => agent.close());

describe("Light per-second limit (sliding window)", () => {
  it("answers 429 QPS beyond lightRps in one second, applies nothing for it, and recovers", async () => {
    const clock = fakeClock();
    sim = await startSimulator({ users: members(6), lightRps: 3, clock: clock.now });
    const token = await getToken(sim);
    const answers = await Promise.all(
      members(5).map((u) => putStatus(sim as Simulator, token, u.id, "deactivate")),
    );
    expect(answers.filter((a) => a.status === 204)).toHaveLength(3);
    const limited = answers.filter((a) => a.status === 429);
    expect(limited).toHaveLength(2);
    for (const answer of limited) {
      expect(answer.json).toEqual({
        code: 429,
        message: "You have reached the maximum per-second rate limit for this API. Try again later.",
      });
      expect(answer.headers).toMatchObject({
        "x-ratelimit-category": "Light",
        "x-ratelimit-type": "QPS",
        "x-ratelimit-limit": "3",
        "x-ratelimit-remaining": "0",
      });
      expect(answer.headers["retry-after"]).toBeUndefined();
    }
    expect(sim.allUsers().filter((u) => u.status === "inactive")).toHaveLength(3);
    // GET of a user is Light too and shares the window.
    expect((await getUser(sim, token, "u5")).status).toBe(429);
    clock.advance(999);
    expect((await getUser(sim, token, "u5")).status).toBe(429);
    clock.advance(1);
    expect((await putStatus(sim, token, "u5", "deactivate")).status).toBe(204);
    expect(sim.stats()).toMatchObject({
      statusPuts: 6,
      statusChangesApplied: 4,
      tooManyRequests: 4,
      dailyLimited: 0,
      maxLightInAnySlidingSecond: 7, // all arrived at the same instant of the fake clock, 429s included
    });
  });

  it("adds Retry-After to QPS 429s only when qpsRetryAfterSec is set", async () => {
    const clock = fakeClock();
    sim = await startSimulator({ users: members(1), lightRps: 1, qpsRetryAfterSec: 2, clock: clock.now });
    const token = await getToken(sim);
    expect((await getUser(sim, token, "u0")).status).toBe(200);
    const answer = await getUser(sim, token, "u0");
    expect(answer.status).toBe(429);
    expect(answer.headers["retry-after"]).toBe("2");
  });

  it("counts Medium (list) separately from Light", async () => {
    const clock = fakeClock();
    sim = await startSimulator({ users: members(2), lightRps: 1, mediumRps: 2, clock: clock.now });
    const token = await getToken(sim);
    const list = () =>
      call(`${(sim as Simulator).apiUrl}/users`, { headers: { authorization: `Bearer ${token}` } });
    expect((await getUser(sim, token, "u0")).status).toBe(200);
    expect((await list()).status).toBe(200);
    expect((await list()).status).toBe(200);
    const limited = await list();
    expect(limited.status).toBe(429);
    expect(limited.headers).toMatchObject({ "x-ratelimit-category": "Medium", "x-ratelimit-limit": "2" });
    expect(sim.stats()).toMatchObject({
      listUsersRequests: 3,
      getUserRequests: 1,
      maxLightInAnySlidingSecond: 1,
    });
  });

  it("with the real clock, a burst over the limit is cut to the limit", async () => {
    sim = await startSimulator({ users: members(40), lightRps: 10 });
    const token = await getToken(sim);
    const answers = await Promise.all(members(40).map((u) => getUser(sim as Simulator, token, u.id)));
    const ok = answers.filter((a) => a.status === 200).length;
    // A slow machine may spread the burst over a window edge, but never lets more than twice through.
    expect(ok).toBeGreaterThanOrEqual(10);
    expect(ok).toBeLessThanOrEqual(20);
    expect(sim.stats().tooManyRequests).toBe(40 - ok);
  });

  it("otherAppShare takes its part of the Light budget", async () => {
    const clock = fakeClock();
    sim = await startSimulator({ users: members(10), lightRps: 10, otherAppShare: 0.5, clock: clock.now });
    const token = await getToken(sim);
    const statuses = async () =>
      (await Promise.all(members(10).map((u) => getUser(sim as Simulator, token, u.id)))).map(
        (a) => a.status,
      );
    expect((await statuses()).filter((s) => s === 200)).toHaveLength(5);
    clock.advance(1000);
    expect((await statuses()).filter((s) => s === 200)).toHaveLength(5);
    // The phantom's requests are not the tool's: not in the tool's counts.
    expect(sim.stats()).toMatchObject({
      getUserRequests: 20,
      tooManyRequests: 10,
      maxLightInAnySlidingSecond: 10,
    });
  });
});

describe("daily Light limit", () => {
  it("free tier: 429 Daily-limit with an ISO Retry-After, until nextDay()", async () => {
    const clock = fakeClock(Date.UTC(2026, 10, 30, 12, 0, 0));
    sim = await startSimulator({ users: members(3), tier: "free", dailyLightLimit: 2, clock: clock.now });
    const token = await getToken(sim);
    expect((await putStatus(sim, token, "u0", "deactivate")).status).toBe(204);
    clock.advance(1000);
    expect((await putStatus(sim, token, "u1", "deactivate")).status).toBe(204);
    clock.advance(1000);
    const answer = await putStatus(sim, token, "u2", "deactivate");
    expect(answer.status).toBe(429);
    expect(answer.json).toEqual({
      code: 429,
      message:
        "You have reached the maximum daily rate limit for this API. " +
        "Refer to the response header for details on when you can make another request.",
    });
    expect(answer.headers).toMatchObject({
      "x-ratelimit-category": "Light",
      "x-ratelimit-type": "Daily-limit",
      "x-ratelimit-limit": "2",
      "x-ratelimit-remaining": "0",
      "retry-after": "2026-12-01T00:00:00Z",
    });
    expect(sim.user("u2")?.status).toBe("active");
    expect(sim.stats()).toMatchObject({ dailyLimited: 1, tooManyRequests: 1 });
    sim.nextDay();
    expect((await putStatus(sim, token, "u2", "deactivate")).status).toBe(204);
  });

  it("free tier defaults: 4/s", async () => {
    const clock = fakeClock();
    sim = await startSimulator({ users: members(6), tier: "free", clock: clock.now });
    const token = await getToken(sim);
    const answers = await Promise.all(members(6).map((u) => getUser(sim as Simulator, token, u.id)));
    expect(answers.filter((a) => a.status === 200)).toHaveLength(4);
  });
});

describe("same user twice at once", () => {
  it("answers 429 Too many concurrent requests to the second (by id or email)", async () => {
    sim = await startSimulator({ users: members(2), latencyMs: 80 });
    const token = await getToken(sim);
    const [first, second, other] = await Promise.all([
      putStatus(sim, token, "u0", "deactivate"),
      putStatus(sim, token, "M0@example.com", "deactivate"),
      putStatus(sim, token, "u1", "deactivate"),
    ]);
    expect(first?.status).toBe(204);
    expect(other?.status).toBe(204);
    expect(second?.status).toBe(429);
    expect(second?.json).toEqual({ code: 429, message: "Too many concurrent requests." });
    expect(sim.stats()).toMatchObject({
      concurrentSameUser: 1,
      tooManyRequests: 1,
      putsByUser: { u0: 2, u1: 1 },
    });
    // Once the first has been answered, the user is free again.
    expect((await putStatus(sim, token, "m0@example.com", "activate")).status).toBe(204);
  });
});

describe("latency", () => {
  it("delays answers by latencyMs ± jitter", async () => {
    sim = await startSimulator({ users: members(1), latencyMs: 60, latencyJitterMs: 20 });
    const token = await getToken(sim);
    for (let i = 0; i < 3; i++) {
      const started = performance.now();
      await getUser(sim, token, "u0");
      const elapsed = performance.now() - started;
      expect(elapsed).toBeGreaterThanOrEqual(38);
      expect(elapsed).toBeLessThan(500);
    }
  });
});
