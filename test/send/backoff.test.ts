import { describe, expect, it } from "vitest";
import { backoffDelayMs, retryDelayMs } from "../../src/send/backoff.js";

describe("backoffDelayMs", () => {
  it.each([
    // attempt, random, expected bound reached with random just below 1
    [1, 0.999999, 500],
    [2, 0.999999, 1000],
    [3, 0.999999, 2000],
    [6, 0.999999, 16_000],
    [7, 0.999999, 30_000],
    [20, 0.999999, 30_000],
  ])("attempt %i with random %f stays under %i ms", (attempt, random, bound) => {
    const delay = backoffDelayMs(attempt, () => random);
    expect(delay).toBeLessThan(bound);
    expect(delay).toBeGreaterThanOrEqual(bound - 1);
  });

  it("is full jitter: random 0 means no wait", () => {
    expect(backoffDelayMs(5, () => 0)).toBe(0);
  });
});

describe("retryDelayMs", () => {
  it.each([
    { retryAfterMs: 2000, expected: 2000 },
    { retryAfterMs: 0, expected: 0 },
    { retryAfterMs: -5, expected: 0 },
    { retryAfterMs: 3_600_000, expected: 30_000 },
  ])("honours Retry-After $retryAfterMs ms, capped", ({ retryAfterMs, expected }) => {
    expect(retryDelayMs(1, retryAfterMs, () => 0.5)).toBe(expected);
  });

  it("falls back to jittered backoff without Retry-After", () => {
    expect(retryDelayMs(2, undefined, () => 0.5)).toBe(500);
  });
});
