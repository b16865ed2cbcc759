import { describe, expect, it } from "vitest";
import {
  type AdaptiveRateState,
  adaptiveRateConfig,
  initialRateState,
  nextRate,
  type RateEvent,
} from "../../src/pacing/adaptive-rate.js";

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

/** A 429 from another app; `ownStarts` is how many of ours fitted in the second before (undefined: unknown). */
const limited = (at: number, ownStarts?: number): RateEvent => ({ kind: "rate_limited", at, ownStarts });
const tick = (at: number): RateEvent => ({ kind: "tick", at });
/** A tick every second from `from` to `to` (inclusive), in ms. */
const ticks = (from: number, to: number): RateEvent[] =>
  Array.from({ length: Math.floor((to - from) / 1000) + 1 }, (_, i) => tick(from + i * 1000));
const answered = (at: number, remaining: number | undefined): RateEvent => ({
  kind: "answered",
  at,
  remaining,
});

describe("adaptive pacing", () => {
  it("floors at 10 % of the configured rate, at least 1/s, at most the rate itself", () => {
    expect(adaptiveRateConfig(50).floorRps).toBe(5);
    expect(adaptiveRateConfig(4).floorRps).toBe(1);
    expect(adaptiveRateConfig(0.5).floorRps).toBe(0.5);
  });

  it.each([
    // Right after a ramp-up the window filled while 18 of ours were in it: that many fit beside the others.
    { name: "18 of ours fitted: settle at 18", events: [limited(100, 18)], rates: [18] },
    // A window at 50/s holds 49 of ours before the next: after 12 s of that, one refused is arrival jitter.
    {
      name: "at the configured rate for a while, a full window of ours: rate kept",
      events: [limited(12_000, 49)],
      rates: [50],
    },
    {
      name: "the same after exactly the clean time of a try: rate kept",
      events: [limited(10_000, 49)],
      rates: [50],
    },
    { name: "the same in the first seconds: one level down", events: [limited(5000, 49)], rates: [49] },
    // Climbing from below the configured rate with nothing settled yet: not a level meant to stay at.
    {
      name: "below the configured rate without a settle level, even after a quiet while: one level down",
      events: [limited(12_000, 29)],
      rates: [29],
      rps: 30,
    },
    {
      name: "none of ours counted before it is no count at all: x0.85",
      events: [limited(100, 0)],
      rates: [42.5],
    },
    {
      name: "three 429s of one second count once",
      events: [limited(100, 18), limited(300, 12), limited(900, 5)],
      rates: [18, 18, 18],
    },
    // Steady at 30 and refused: 30 did not fit, 29 did.
    {
      name: "a full window of ours refused: one level down",
      events: [limited(100, 30)],
      rates: [29],
      rps: 30,
    },
    // The pace sends whole requests per window: 29.8/s is level 29, so 28 is the next one down.
    {
      name: "a fractional rate counts by its whole part",
      events: [limited(100, 40)],
      rates: [28],
      rps: 29.8,
    },
    {
      name: "without a count (shared budget, or not sending steadily): x0.85, then quickly back to one level under",
      events: [limited(0), ...ticks(1000, 5000)],
      rates: [42.5, 45, 47.5, 49, 49, 49],
    },
    {
      name: "X-RateLimit-Remaining 0 holds the rate for a second",
      events: [limited(0), tick(1000), answered(1500, 0), tick(2000), tick(2500)],
      rates: [42.5, 45, 45, 45, 47.5],
    },
    {
      name: "a 429 holds the rate for a clean second after it, however long since the last increase",
      events: [limited(5000), tick(5500), tick(6000)],
      rates: [42.5, 42.5, 45],
    },
    {
      name: "one step per clean second, however often the timer ticks",
      events: [limited(0), tick(1000), tick(1500), tick(1999), tick(2000)],
      rates: [42.5, 45, 45, 45, 47.5],
    },
    {
      name: "remaining above 0 does not hold it",
      events: [limited(0), tick(1000), answered(1500, 7), tick(2000)],
      rates: [42.5, 45, 45, 47.5],
    },
  ])("$name", ({ events, rates, rps }) => {
    expect(run(events, rps).rates).toEqual(rates);
  });

  it("stays a step under the level that did not fit, then tries it again, and keeps it while it stays clean", () => {
    const { rates } = run([limited(0, 18), ...ticks(1000, 19_000)]);
    // Held at 18 for the first 10 s, then 19 (one request more per window) from then on.
    expect(rates.slice(0, 10)).toEqual(Array(10).fill(18));
    expect(rates.slice(10)).toEqual(Array(10).fill(19));
  });

  it("a level that fitted is kept, and each next try goes twice as far, up to the configured rate", () => {
    const { rates, state } = run([limited(0, 18), ...ticks(1000, 40_000)]);
    // 19 from 10 s to 20 s, then 21, 25, 33, 49 three seconds each, then the configured rate.
    expect([...new Set(rates)]).toEqual([18, 19, 21, 25, 33, 49, 50]);
    expect(rates.indexOf(21)).toBe(20);
    expect(rates.indexOf(50)).toBe(32);
    // Back at the configured rate: the next 429 starts afresh.
    expect(state).toMatchObject({ settleRps: Number.POSITIVE_INFINITY, stepRps: 1, strikes: 0 });
  });

  it("a 429 while trying goes back to the last level that fitted, even after the try was quiet for a while", () => {
    // 19 is tried at 10 s; refused 11 s later with 18 of ours before it (what a window at 19 holds, one late).
    const { rates, state } = run([limited(0, 18), ...ticks(1000, 10_000), limited(21_000, 18)]);
    expect(rates.slice(-2)).toEqual([19, 18]);
    expect(state).toMatchObject({ settleRps: 18, strikes: 2 });
  });

  it("a 429 while trying goes back to the last level that fitted, even when more of ours fitted", () => {
    const { rates, state } = run([limited(0, 18), ...ticks(1000, 20_000), limited(21_500, 20)]);
    expect(rates.slice(-3)).toEqual([19, 21, 19]);
    expect(state).toMatchObject({ settleRps: 19, stepRps: 1, strikes: 2, probeAt: 41_500 });
  });

  it("each further 429 doubles the time before the next try, up to a minute", () => {
    let state: AdaptiveRateState = initialRateState(config, 0);
    const holdsMs: number[] = [];
    let at = 0;
    for (let i = 0; i < 6; i += 1) {
      // Refused at each try of 19 (and the first time at the configured rate).
      state = nextRate(state, limited(at, 18), config).state;
      holdsMs.push(state.probeAt - at);
      while (state.rps < 19) {
        at += 1000;
        state = nextRate(state, tick(at), config).state;
      }
      at += 500;
    }
    expect(holdsMs).toEqual([10_000, 20_000, 40_000, 60_000, 60_000, 60_000]);
    expect(state.rps).toBe(19);
  });

  it("a 429 at the settle level (the others took more) steps down again", () => {
    expect(run([limited(0, 18), limited(5000, 16)]).rates).toEqual([18, 16]);
    // Not sure how many fitted (a stall): one level under the one refused, after a quick step down and back.
    const { rates } = run([limited(0, 18), limited(5000), ...ticks(6000, 8000)]);
    expect(rates).toEqual([18, 15.3, 17, 17, 17]);
  });

  it("at a settle level quiet for a while, one 429 with our usual count before it only pauses; a second steps down", () => {
    // 18 for 12 s, then 17 of ours before a refused one (all a window at 18 holds; 16 when our timers ran late):
    // the pause is enough.
    const once = run([limited(0, 18), limited(12_000, 16), limited(12_500, 17)]);
    expect(once.rates).toEqual([18, 18, 18]);
    expect(once.state.strikes).toBe(1);
    expect(run([limited(0, 18), limited(12_000), limited(15_000, 17)]).rates).toEqual([18, 18, 17]);
    // Fewer of ours fitted: the others took more.
    expect(run([limited(0, 18), limited(12_000, 14)]).rates).toEqual([18, 14]);
    // Not quiet for long enough yet.
    expect(run([limited(0, 18), limited(8000, 17)]).rates).toEqual([18, 17]);
  });

  it("never goes below the floor nor above the configured rate", () => {
    const down = Array.from({ length: 20 }, (_, i) => limited(i * 1000));
    expect(Math.min(...run(down).rates)).toBe(config.floorRps);
    expect(run([limited(0, 1)]).rates).toEqual([config.floorRps]);
    const up = ticks(1000, 40_000);
    const { rates } = run(up, 5);
    expect(Math.max(...rates)).toBe(50);
    expect(rates.at(-1)).toBe(50);
  });

  it("says when and why the rate changed", () => {
    const state = initialRateState(config, 0);
    expect(nextRate(state, limited(10, 18), config).change).toEqual({
      fromRps: 50,
      toRps: 18,
      reason: "rate limited by another app on the account",
    });
    expect(nextRate(state, tick(2000), config).change).toBeUndefined();
    const lowered = nextRate(state, limited(10), config).state;
    expect(nextRate(lowered, tick(1500), config).change?.reason).toBe("recovering after a clean second");
    const settled = nextRate(state, limited(10, 18), config).state;
    expect(nextRate(settled, tick(5000), config).change).toBeUndefined();
    expect(nextRate(settled, tick(10_010), config).change).toEqual({
      fromRps: 18,
      toRps: 19,
      reason: "trying a level more",
    });
    // At the floor a further 429 cannot lower the rate: no change to tell.
    const atFloor = { ...state, rps: config.floorRps };
    const refused = nextRate(atFloor, limited(10), config);
    expect(refused.state.rps).toBe(config.floorRps);
    expect(refused.change).toBeUndefined();
  });
});
