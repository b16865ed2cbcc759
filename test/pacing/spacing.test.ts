import { describe, expect, it } from "vitest";
import {
  defaultConcurrency,
  minTimeMs,
  pacedRps,
  SHARED_MARGIN_MS,
  spacingMs,
  WARM_UP_MS,
} from "../../src/pacing/spacing.js";

describe("minTimeMs", () => {
  it.each([4, 30, 80, 7.5])("keeps rps+1 evenly spaced starts wider than one second at %f/s", (rps) => {
    const spacing = minTimeMs(rps);
    // rps + 1 starts span rps gaps; that span must exceed the 1000 ms window by the jitter margin.
    expect(Math.floor(rps) * spacing).toBeGreaterThan(1000);
    expect(pacedRps(rps)).toBeLessThan(rps);
    expect(pacedRps(rps)).toBeGreaterThan(Math.floor(rps) * 0.97);
  });

  it("paces below one request a second by the average rate", () => {
    expect(minTimeMs(0.5)).toBeGreaterThan(2000);
  });

  it.each([0, -1, Number.NaN])("rejects rps %f", (rps) => {
    expect(() => minTimeMs(rps)).toThrow(RangeError);
    expect(() => minTimeMs(rps)).toThrow(`Expected \`rps\` to be a number > 0, got \`${rps}\``);
  });

  it("keeps about 90 % of the budget with the shared margin", () => {
    expect(pacedRps(80, SHARED_MARGIN_MS) / 80).toBeGreaterThan(0.9);
    expect(pacedRps(80, SHARED_MARGIN_MS) / 80).toBeLessThan(0.93);
  });
});

describe("spacingMs", () => {
  it.each([
    // Not sending yet, and the first two seconds: the warm-up margin (1100 ms per window).
    { sendingForMs: undefined, windowMs: 1100 },
    { sendingForMs: 0, windowMs: 1100 },
    { sendingForMs: WARM_UP_MS - 1, windowMs: 1100 },
    // Then the margin asked for.
    { sendingForMs: WARM_UP_MS, windowMs: 1025 },
    { sendingForMs: 60_000, windowMs: 1025 },
  ])("at $sendingForMs ms into a run, $windowMs ms per 30 requests", ({ sendingForMs, windowMs }) => {
    expect(spacingMs(30, 25, sendingForMs) * 30).toBeCloseTo(windowMs, 6);
  });

  it("never narrows a margin wider than the warm-up's", () => {
    expect(spacingMs(20, 150, 0)).toBe(minTimeMs(20, 150));
  });
});

describe("defaultConcurrency", () => {
  it.each([
    [4, 4],
    [30, 30],
    [0.5, 1],
    [7.2, 8],
  ])("at %f/s is %i", (rps, expected) => {
    expect(defaultConcurrency(rps)).toBe(expected);
  });
});
