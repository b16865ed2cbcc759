import { describe, expect, it } from "vitest";
import { defaultConcurrency, minTimeMs, pacedRps } from "../../src/batch/pacing.js";

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
