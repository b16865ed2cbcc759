import { describe, expect, it } from "vitest";
import { nextUtcMidnightIso, RateLimits, tierLimits } from "../../src/sim/rate-limits.js";

const T0 = Date.UTC(2026, 10, 30, 12, 0, 0); // 2026-11-30T12:00:00Z

describe("tierLimits", () => {
  it.each([
    { tier: "free", light: 4, lightDay: 6000, medium: 2 },
    { tier: "pro", light: 30, lightDay: undefined, medium: 20 },
    { tier: "business", light: 80, lightDay: undefined, medium: 60 },
  ] as const)("$tier", ({ tier, light, lightDay, medium }) => {
    const limits = tierLimits(tier);
    expect(limits.Light).toEqual({ perSecond: light, perDay: lightDay });
    expect(limits.Medium.perSecond).toBe(medium);
  });
});

describe("nextUtcMidnightIso", () => {
  it.each([
    { now: T0, expected: "2026-12-01T00:00:00Z" },
    { now: Date.UTC(2026, 0, 1, 0, 0, 0), expected: "2026-01-02T00:00:00Z" },
    { now: Date.UTC(2026, 11, 31, 23, 59, 59, 999), expected: "2027-01-01T00:00:00Z" },
  ])("$now → $expected", ({ now, expected }) => {
    expect(nextUtcMidnightIso(now)).toBe(expected);
  });
});

function admitMany(limits: RateLimits, label: "Light" | "Medium", count: number, atMs: number): number {
  let accepted = 0;
  for (let i = 0; i < count; i++) if (limits.admit(label, atMs).ok) accepted++;
  return accepted;
}

describe("RateLimits", () => {
  const base = { Light: { perSecond: 10, perDay: undefined }, Medium: { perSecond: 3, perDay: undefined } };

  it("keeps Light and Medium budgets apart", () => {
    const limits = new RateLimits({ limits: base, startMs: T0 });
    expect(admitMany(limits, "Light", 20, T0)).toBe(10);
    expect(admitMany(limits, "Medium", 20, T0)).toBe(3);
    expect(limits.admit("Light", T0)).toEqual({ ok: false, type: "QPS", label: "Light", limit: 10 });
    expect(admitMany(limits, "Light", 20, T0 + 1000)).toBe(10);
  });

  it("enforces the daily cap until nextDay() or the next UTC day", () => {
    const limits = new RateLimits({ limits: { ...base, Light: { perSecond: 100, perDay: 5 } }, startMs: T0 });
    expect(admitMany(limits, "Light", 3, T0)).toBe(3);
    expect(admitMany(limits, "Light", 3, T0 + 5000)).toBe(2);
    expect(limits.admit("Light", T0 + 6000)).toEqual({
      ok: false,
      type: "Daily-limit",
      label: "Light",
      limit: 5,
      retryAfter: "2026-12-01T00:00:00Z",
    });
    limits.nextDay();
    expect(admitMany(limits, "Light", 10, T0 + 7000)).toBe(5);
    expect(admitMany(limits, "Light", 10, Date.UTC(2026, 11, 1, 0, 0, 1))).toBe(5);
  });

  it.each([
    { share: 0, available: 10 },
    { share: 0.5, available: 5 },
    { share: 0.2, available: 8 },
    { share: 1, available: 0 },
  ])("a phantom app using $share of the budget leaves $available per second", ({ share, available }) => {
    const limits = new RateLimits({ limits: base, otherAppShare: share, startMs: T0 });
    expect(admitMany(limits, "Light", 20, T0 + 10)).toBe(available);
    // Steady state, long after the start and after idling for an hour.
    expect(admitMany(limits, "Light", 20, T0 + 3_600_000)).toBe(available);
  });

  it("the phantom app does not use the daily cap", () => {
    const limits = new RateLimits({
      limits: { ...base, Light: { perSecond: 10, perDay: 3 } },
      otherAppShare: 0.5,
      startMs: T0,
    });
    expect(admitMany(limits, "Light", 10, T0 + 60_000)).toBe(3);
  });
});
