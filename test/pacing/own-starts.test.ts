import { describe, expect, it } from "vitest";
import { startsBefore } from "../../src/pacing/own-starts.js";

/** Starts every `spacingMs` from `from` up to (not including) `to`. */
const grid = (from: number, to: number, spacingMs: number): number[] =>
  Array.from({ length: Math.ceil((to - from) / spacingMs) }, (_, i) => from + i * spacingMs);

describe("startsBefore", () => {
  it.each([
    {
      name: "steady at 20/s: the 19 before the refused 20th",
      starts: grid(0, 3000, 50),
      at: 3000,
      count: 19,
      steady: true,
    },
    // Right after the first start: only what went out since, and that is still a measure of what fitted.
    { name: "sending for 0.6 s at 30/s", starts: grid(0, 600, 1000 / 30), at: 600, count: 18, steady: true },
    {
      name: "the refused request itself and later ones are not counted",
      starts: [...grid(0, 3000, 50), 3000, 3010],
      at: 3000,
      count: 19,
      steady: true,
    },
    {
      name: "a gap (a pause, a stall) in the second before: not steady",
      starts: [...grid(0, 2300, 50), ...grid(2600, 3000, 50)],
      at: 3000,
      count: 13,
      steady: false,
    },
    {
      name: "a gap before the refused start: not steady",
      starts: grid(0, 2700, 50),
      at: 3000,
      count: 13,
      steady: false,
    },
    { name: "nothing sent", starts: [], at: 3000, count: 0, steady: true },
    {
      name: "gaps of exactly the longest allowed: steady",
      starts: grid(0, 3000, 125),
      at: 3000,
      count: 7,
      steady: true,
    },
  ])("$name", ({ starts, at, count, steady }) => {
    expect(startsBefore(starts, at, 1000, 125)).toEqual({ count, steady });
  });
});
