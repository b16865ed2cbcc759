import { describe, expect, it } from "vitest";
import { createRandom, deriveSeed, randomZoomId } from "../../src/sim/random.js";

describe("createRandom (mulberry32)", () => {
  it.each([1, 2, 42, 0, -7])("seed %i gives the same sequence twice, within [0, 1)", (seed) => {
    const a = createRandom(seed);
    const b = createRandom(seed);
    const first = Array.from({ length: 50 }, () => a.next());
    expect(Array.from({ length: 50 }, () => b.next())).toEqual(first);
    expect(first.filter((value) => !(value >= 0 && value < 1))).toEqual([]);
  });

  it("different seeds give different sequences", () => {
    expect(createRandom(1).next()).not.toBe(createRandom(2).next());
  });

  it("is roughly uniform", () => {
    const random = createRandom(123);
    const buckets = [0, 0, 0, 0];
    for (let i = 0; i < 40_000; i++) {
      const b = random.int(4);
      buckets[b] = (buckets[b] ?? 0) + 1;
    }
    for (const count of buckets) expect(count).toBeGreaterThan(9_400);
  });

  it.each([
    { seed: 1, purposeA: 1, purposeB: 2 },
    { seed: 99, purposeA: 2, purposeB: 3 },
  ])("derived streams differ ($seed: $purposeA vs $purposeB)", ({ seed, purposeA, purposeB }) => {
    expect(deriveSeed(seed, purposeA)).not.toBe(deriveSeed(seed, purposeB));
  });

  it("makes 22-character Zoom-looking ids", () => {
    const random = createRandom(5);
    const ids = Array.from({ length: 100 }, () => randomZoomId(random));
    for (const id of ids) expect(id).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(new Set(ids).size).toBe(100);
  });
});
