import { describe, expect, it } from "vitest";
import { MAX_LOG_ENTRIES, maxArrivalsInAnyWindow, StatsRecorder } from "../../src/sim/stats.js";

describe("maxArrivalsInAnyWindow", () => {
  it.each([
    { name: "nothing", times: [], max: 0 },
    { name: "one", times: [42], max: 1 },
    { name: "same instant", times: [7, 7, 7], max: 3 },
    { name: "t and t+1000 are never together (half-open)", times: [0, 1000, 2000], max: 1 },
    { name: "t and t+999 are together", times: [0, 999], max: 2 },
    { name: "burst straddling a second boundary", times: [900, 950, 999, 1000, 1050, 1899], max: 6 },
    { name: "evenly 4/s", times: [0, 250, 500, 750, 1000, 1250, 1500], max: 4 },
    { name: "denser cluster later", times: [0, 500, 2000, 2001, 2002, 2999], max: 4 },
  ])("$name → $max", ({ times, max }) => {
    expect(maxArrivalsInAnyWindow(times, 1000)).toBe(max);
  });

  it.each([
    { windowMs: 100, times: [0, 50, 99, 100, 150], max: 3 },
    { windowMs: 10, times: [0, 5, 10, 15], max: 2 },
  ])("window $windowMs ms → $max", ({ windowMs, times, max }) => {
    expect(maxArrivalsInAnyWindow(times, windowMs)).toBe(max);
  });
});

describe("StatsRecorder", () => {
  it("counts puts per user and light arrivals, and resets", () => {
    const stats = new StatsRecorder(true);
    stats.countPut("a");
    stats.countPut("a");
    stats.countPut("b");
    for (const t of [0, 100, 200, 1500]) stats.recordLightArrival(t);
    const snapshot = stats.snapshot();
    expect(snapshot.statusPuts).toBe(3);
    expect(snapshot.putsByUser).toEqual({ a: 2, b: 1 });
    expect(snapshot.maxLightInAnySlidingSecond).toBe(3);
    stats.reset();
    expect(stats.snapshot()).toMatchObject({
      statusPuts: 0,
      putsByUser: {},
      maxLightInAnySlidingSecond: 0,
      log: [],
    });
  });

  it("counts routes, sign-outs, type changes and removals, and resets them", () => {
    const stats = new StatsRecorder(false);
    stats.countRequest("sign_out");
    stats.countRequest("sign_out");
    stats.countRequest("delete_user");
    stats.countSignOut("a");
    stats.countSignOut("a");
    stats.recordTypeChange({ user: "a", from: 2, to: 1 });
    const removal = {
      user: "a",
      email: "a@x.com",
      action: "delete" as const,
      moved: {},
      lost: { meetings: 2 },
    };
    stats.recordRemoval(removal);
    const snapshot = stats.snapshot();
    expect(snapshot).toMatchObject({
      requestsByRoute: { sign_out: 2, delete_user: 1, put_status: 0, token: 0, other: 0 },
      signOuts: 2,
      signOutsByUser: { a: 2 },
      typeChanges: [{ user: "a", from: 2, to: 1 }],
      removals: [removal],
    });
    // A snapshot is a copy: a test changing it cannot change the next one.
    const [first] = snapshot.removals;
    expect(first?.lost).toEqual({ meetings: 2 });
    if (first !== undefined) first.lost.meetings = 0;
    expect(stats.snapshot().removals[0]?.lost).toEqual({ meetings: 2 });
    stats.reset();
    expect(stats.snapshot()).toMatchObject({
      requestsByRoute: { sign_out: 0, delete_user: 0 },
      signOuts: 0,
      signOutsByUser: {},
      typeChanges: [],
      removals: [],
    });
  });

  it("keeps the light arrivals beyond the initial buffer", () => {
    const stats = new StatsRecorder(false);
    for (let i = 0; i < 5000; i++) stats.recordLightArrival(i * 0.1); // 5000 within 500 ms
    expect(stats.snapshot().maxLightInAnySlidingSecond).toBe(5000);
  });

  it("bounds the log to the last MAX_LOG_ENTRIES entries", () => {
    const stats = new StatsRecorder(true);
    const total = MAX_LOG_ENTRIES + 10;
    for (let i = 0; i < total; i++)
      stats.recordLog({ atMs: i, method: "GET", route: "get_user", status: 200 });
    const { log } = stats.snapshot();
    expect(log).toHaveLength(MAX_LOG_ENTRIES);
    expect(log[0]?.atMs).toBe(10);
    expect(log.at(-1)?.atMs).toBe(total - 1);
  });

  it("keeps no log when logging is off", () => {
    const stats = new StatsRecorder(false);
    stats.recordLog({ atMs: 1, method: "GET", route: "other", status: 404 });
    expect(stats.snapshot().log).toEqual([]);
  });
});
