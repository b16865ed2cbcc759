import { describe, expect, it } from "vitest";
import { SlidingWindow } from "../../src/sim/sliding-window.js";

describe("SlidingWindow", () => {
  it.each([
    // arrivals, limit, expected accepted flags
    { name: "under the limit", times: [0, 100, 200], limit: 3, accepted: [true, true, true] },
    {
      name: "fourth in the same second",
      times: [0, 100, 200, 300],
      limit: 3,
      accepted: [true, true, true, false],
    },
    {
      name: "exactly 1000 ms later is a new window",
      times: [0, 0, 1000, 1000],
      limit: 2,
      accepted: [true, true, true, true],
    },
    {
      name: "999 ms later is still the same window",
      times: [0, 0, 999],
      limit: 2,
      accepted: [true, true, false],
    },
    {
      name: "rejections use no budget",
      times: [0, 1, 2, 3, 1000],
      limit: 1,
      accepted: [true, false, false, false, true],
    },
    {
      name: "all at one instant",
      times: [5, 5, 5, 5, 5],
      limit: 2,
      accepted: [true, true, false, false, false],
    },
    {
      name: "evenly spaced at the limit",
      times: [0, 250, 500, 750, 1000, 1250],
      limit: 4,
      accepted: [true, true, true, true, true, true],
    },
  ])("$name", ({ times, limit, accepted }) => {
    const window = new SlidingWindow(1000, 1);
    expect(times.map((t) => window.tryAdd(t, limit))).toEqual(accepted);
  });

  it.each([
    { times: [0, 10, 20], at: 20, count: 3 },
    { times: [0, 10, 20], at: 1000, count: 2 },
    { times: [0, 10, 20], at: 1010, count: 1 },
    { times: [0, 10, 20], at: 5000, count: 0 },
  ])("count at $at after $times is $count", ({ times, at, count }) => {
    const window = new SlidingWindow(1000, 1);
    for (const t of times) window.add(t);
    expect(window.count(at)).toBe(count);
  });

  it("grows past its initial capacity and keeps order through wrap-around", () => {
    const window = new SlidingWindow(1000, 2);
    for (let t = 0; t < 5000; t += 10) window.add(t); // 100 per second, ring wraps many times
    expect(window.count(4990)).toBe(100);
    expect(window.count(5500)).toBe(49);
  });

  it("refuses a non-positive window", () => {
    expect(() => new SlidingWindow(0)).toThrow(/windowMs/);
  });
});
