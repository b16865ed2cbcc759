import { describe, expect, it } from "vitest";
import { decideFault, type FaultKind, mergeFaults, NO_FAULTS } from "../../src/sim/faults.js";
import { createRandom, type Random } from "../../src/sim/random.js";

/** A Random that returns the given values in turn. */
function scripted(...values: number[]): Random {
  let i = 0;
  const next = (): number => values[i++ % values.length] ?? 0;
  return { next, int: (bound) => Math.floor(next() * bound) };
}

describe("decideFault", () => {
  it.each<{ u: number; rates: Partial<typeof NO_FAULTS>; kind: FaultKind }>([
    { u: 0.5, rates: {}, kind: "none" },
    { u: 0.99, rates: { serverErrorRate: 1 }, kind: "server_error" },
    { u: 0.99, rates: { dropRate: 1 }, kind: "drop" },
    { u: 0.99, rates: { lostResponseRate: 1 }, kind: "lost_response" },
    { u: 0.05, rates: { serverErrorRate: 0.1, dropRate: 0.1, lostResponseRate: 0.1 }, kind: "server_error" },
    { u: 0.15, rates: { serverErrorRate: 0.1, dropRate: 0.1, lostResponseRate: 0.1 }, kind: "drop" },
    { u: 0.25, rates: { serverErrorRate: 0.1, dropRate: 0.1, lostResponseRate: 0.1 }, kind: "lost_response" },
    { u: 0.35, rates: { serverErrorRate: 0.1, dropRate: 0.1, lostResponseRate: 0.1 }, kind: "none" },
    { u: 0.99, rates: { unappliedRate: 1 }, kind: "unapplied" },
    {
      u: 0.35,
      rates: { serverErrorRate: 0.1, dropRate: 0.1, lostResponseRate: 0.1, unappliedRate: 0.1 },
      kind: "unapplied",
    },
    {
      u: 0.25,
      rates: { serverErrorRate: 0.1, dropRate: 0.1, lostResponseRate: 0.1, unappliedRate: 0.1 },
      kind: "lost_response",
    },
    {
      u: 0.45,
      rates: { serverErrorRate: 0.1, dropRate: 0.1, lostResponseRate: 0.1, unappliedRate: 0.1 },
      kind: "none",
    },
    { u: 0, rates: { unappliedRate: 0 }, kind: "none" },
  ])("u=$u with $rates → $kind", ({ u, rates, kind }) => {
    expect(decideFault(scripted(u, 0), mergeFaults(NO_FAULTS, rates)).kind).toBe(kind);
  });

  it.each([
    { pick: 0, status: 500 },
    { pick: 0.4, status: 502 },
    { pick: 0.9, status: 503 },
  ])("picks server error $status", ({ pick, status }) => {
    const decision = decideFault(scripted(0, pick), { ...NO_FAULTS, serverErrorRate: 1 });
    expect(decision.serverError.status).toBe(status);
  });

  it("hits roughly the configured rate", () => {
    const random = createRandom(7);
    const faults = { serverErrorRate: 0.1, dropRate: 0.05, lostResponseRate: 0.02, unappliedRate: 0.03 };
    const counts: Record<FaultKind, number> = {
      none: 0,
      server_error: 0,
      drop: 0,
      lost_response: 0,
      unapplied: 0,
    };
    for (let i = 0; i < 20_000; i++) counts[decideFault(random, faults).kind]++;
    expect(counts.server_error / 20_000).toBeCloseTo(0.1, 1);
    expect(counts.drop / 20_000).toBeCloseTo(0.05, 1);
    expect(counts.lost_response).toBeGreaterThan(250);
    expect(counts.lost_response).toBeLessThan(550);
    expect(counts.unapplied).toBeGreaterThan(450);
    expect(counts.unapplied).toBeLessThan(750);
  });

  it("never decides unapplied at rate 0, even with every other rate set", () => {
    const random = createRandom(3);
    const faults = { serverErrorRate: 0.2, dropRate: 0.2, lostResponseRate: 0.2, unappliedRate: 0 };
    const kinds = new Set(Array.from({ length: 5_000 }, () => decideFault(random, faults).kind));
    expect([...kinds]).not.toContain("unapplied");
    expect(kinds).toEqual(new Set(["none", "server_error", "drop", "lost_response"]));
  });

  it.each([
    NO_FAULTS,
    { ...NO_FAULTS, unappliedRate: 1 },
    { serverErrorRate: 0.25, dropRate: 0.25, lostResponseRate: 0.25, unappliedRate: 0.25 },
  ])("draws exactly two numbers per decision with %o", (faults) => {
    let draws = 0;
    const counting: Random = {
      next: () => {
        draws++;
        return 0.5;
      },
      int: (bound) => {
        draws++;
        return Math.floor(0.5 * bound);
      },
    };
    for (let i = 0; i < 10; i++) decideFault(counting, faults);
    expect(draws).toBe(20);
  });

  it("a rate of unapplied changes does not move the other faults of a seed", () => {
    const kinds = (unappliedRate: number) => {
      const random = createRandom(5);
      const faults = { serverErrorRate: 0.2, dropRate: 0.1, lostResponseRate: 0.1, unappliedRate };
      return Array.from({ length: 200 }, () => decideFault(random, faults).kind);
    };
    const without = kinds(0);
    const withUnapplied = kinds(0.3);
    // Only decisions that were "none" can become "unapplied"; every other one stays where it was.
    const expected = without.map((kind, i) =>
      kind === "none" && withUnapplied[i] === "unapplied" ? "unapplied" : kind,
    );
    expect(withUnapplied).toEqual(expected);
    expect(withUnapplied.filter((kind) => kind === "unapplied").length).toBeGreaterThan(20);
  });
});

describe("mergeFaults", () => {
  it("keeps rates not mentioned", () => {
    expect(mergeFaults({ ...NO_FAULTS, dropRate: 0.3 }, { serverErrorRate: 0.1 })).toEqual({
      serverErrorRate: 0.1,
      dropRate: 0.3,
      lostResponseRate: 0,
      unappliedRate: 0,
    });
    expect(mergeFaults(NO_FAULTS, { unappliedRate: 0.4 })).toEqual({ ...NO_FAULTS, unappliedRate: 0.4 });
  });

  it.each([-0.1, 1.5, Number.NaN])("refuses %s", (rate) => {
    expect(() => mergeFaults(NO_FAULTS, { dropRate: rate })).toThrow(/dropRate/);
    expect(() => mergeFaults(NO_FAULTS, { unappliedRate: rate })).toThrow(/unappliedRate/);
  });
});
