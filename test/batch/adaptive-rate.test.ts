import { describe, expect, it } from "vitest";
import {
  type AdaptiveRateState,
  adaptiveRateConfig,
  initialRateState,
  nextRate,
  type RateEvent,
} from "../../src/batch/adaptive-rate.js";

const config = adaptiveRateConfig(50);

/** Runs events in order from a state at `rps` (times in ms from 0) and lists the rates after each. */
function run(events: RateEvent[], rps = 50): { rates: number[]; state: AdaptiveRateState } {
  let state: AdaptiveRateState = { ...initialRateState(config, 0), rps };
  const rates: number[] = [];
  for (const event of events) {
    state = nextRate(state, event, config).state;
    rates.push(Number(state.rps.toFixed(3)));
  }
  return { rates, state };
}

const limited = (at: number, ownWindowFull = false): RateEvent => ({
  kind: "rate_limited",
  at,
  ownWindowFull,
});
const tick = (at: number): RateEvent => ({ kind: "tick", at });
const answered = (at: number, remaining: number | undefined): RateEvent => ({
  kind: "answered",
  at,
  remaining,
});

describe("adaptive pacing (AIMD)", () => {
  it("floors at 10 % of the configured rate, at least 1/s, at most the rate itself", () => {
    expect(adaptiveRateConfig(50).floorRps).toBe(5);
    expect(adaptiveRateConfig(4).floorRps).toBe(1);
    expect(adaptiveRateConfig(0.5).floorRps).toBe(0.5);
  });

  it.each([
    { name: "a 429 from another app: x0.85", events: [limited(100)], rates: [42.5] },
    { name: "a 429 we caused ourselves: rate kept", events: [limited(100, true)], rates: [50] },
    {
      name: "three 429s of one second count once",
      events: [limited(100), limited(300), limited(900)],
      rates: [42.5, 42.5, 42.5],
    },
    { name: "429s a second apart: twice", events: [limited(100), limited(1100)], rates: [42.5, 36.125] },
    {
      name: "no increase within a second of a 429",
      events: [limited(100), tick(600), tick(1050)],
      rates: [42.5, 42.5, 42.5],
    },
    {
      name: "then +5 % of the configured rate per clean second, up to 90 % of where the 429 came",
      events: [limited(100, false), limited(1100), tick(2100), tick(3100), tick(4100)],
      rates: [42.5, 36.125, 38.625, 39.125, 39.625],
    },
    {
      name: "and +1 % per clean second beyond, probing for spare budget",
      events: [limited(0), tick(1000), tick(2000), tick(3000)],
      rates: [42.5, 45, 45.5, 46],
    },
    {
      name: "X-RateLimit-Remaining 0 holds the rate for a second",
      events: [limited(0), limited(1000), tick(2000), answered(2500, 0), tick(3000), tick(3500)],
      rates: [42.5, 36.125, 38.625, 38.625, 38.625, 39.125],
    },
    {
      name: "remaining above 0 does not hold it",
      events: [limited(0), limited(1000), tick(2000), answered(2500, 7), tick(3000)],
      rates: [42.5, 36.125, 38.625, 38.625, 39.125],
    },
  ])("$name", ({ events, rates }) => {
    expect(run(events).rates).toEqual(rates);
  });

  it("never goes below the floor nor above the configured rate", () => {
    const down = Array.from({ length: 20 }, (_, i) => limited(i * 1000));
    expect(Math.min(...run(down).rates)).toBe(config.floorRps);
    const up = Array.from({ length: 40 }, (_, i) => tick(i * 1000 + 1000));
    const { rates } = run(up, 5);
    expect(Math.max(...rates)).toBe(50);
    expect(rates.at(-1)).toBe(50);
  });

  it("says when and why the rate changed", () => {
    const state = initialRateState(config, 0);
    expect(nextRate(state, limited(10), config).change).toEqual({
      fromRps: 50,
      toRps: 42.5,
      reason: "rate limited by another app on the account",
    });
    expect(nextRate(state, tick(2000), config).change).toBeUndefined();
    const lowered = nextRate(state, limited(10), config).state;
    expect(nextRate(lowered, tick(1500), config).change?.reason).toBe("recovering after a clean second");
  });

  it.each([
    // Right after a ramp-up the window filled while we had sent only 18: about that many fit beside the others.
    { ownStarts: 18, toRps: 17.1 },
    // In steady state our own count is our rate, and the fixed factor decides.
    { ownStarts: 50, toRps: 42.5 },
    { ownStarts: 0, toRps: 42.5 },
    // Never below the floor.
    { ownStarts: 2, toRps: 5 },
  ])("a 429 after $ownStarts own starts in the last second → $toRps/s", ({ ownStarts, toRps }) => {
    const state = initialRateState(config, 0);
    const event: RateEvent = { kind: "rate_limited", at: 10, ownWindowFull: false, ownStarts };
    expect(Number(nextRate(state, event, config).state.rps.toFixed(3))).toBe(toRps);
  });
});
