/**
 * Adaptive pacing (AIMD), as pure decisions over injected time. Zoom's Light budget belongs to the account and
 * every app on it draws from it: a QPS 429 that we did not cause (our own pacing keeps under our budget) means
 * someone else is using the account right now. Then we slow down multiplicatively, and speed up again additively,
 * a little per clean second, up to the configured rate — the way TCP shares a link with strangers.
 */

export interface AdaptiveRateConfig {
  /** The configured rate (tier or --rps, times --share): never paced above this. */
  ceilingRps: number;
  /** Never paced below this: a stalled run helps nobody, and 429s are retried anyway. */
  floorRps: number;
  /** Multiplicative decrease on a 429 caused by others. */
  decreaseFactor: number;
  /** Additive increase per clean second, as a fraction of the ceiling. */
  increaseFraction: number;
  /**
   * Near the rate where the last 429 came (above this share of it) the increase is `probeFraction` instead:
   * the other app is probably still there, and every 429 costs everyone a paused second.
   */
  nearLimitShare: number;
  probeFraction: number;
  /** One decrease per this long: the 429s of one crowded second are one signal, not several. */
  decreaseCooldownMs: number;
  /** A second is clean when no 429 (and no "0 remaining") was seen in it. */
  cleanMs: number;
}

export function adaptiveRateConfig(ceilingRps: number): AdaptiveRateConfig {
  return {
    ceilingRps,
    // 10 % of the configured rate, but at least 1/s (or the ceiling itself when that is lower).
    floorRps: Math.min(ceilingRps, Math.max(1, ceilingRps * 0.1)),
    decreaseFactor: 0.85,
    increaseFraction: 0.05,
    nearLimitShare: 0.9,
    probeFraction: 0.01,
    decreaseCooldownMs: 1000,
    cleanMs: 1000,
  };
}

export interface AdaptiveRateState {
  rps: number;
  /** The rate at which the last 429 caused by others came: the account's spare budget, as last seen. */
  limitRps: number;
  /** Until then no increase: set by a 429 or by Zoom saying the window has nothing left. */
  holdUntil: number;
  lastDecreaseAt: number;
  lastIncreaseAt: number;
}

export function initialRateState(config: AdaptiveRateConfig, at: number): AdaptiveRateState {
  return {
    rps: config.ceilingRps,
    limitRps: Number.POSITIVE_INFINITY,
    holdUntil: at,
    lastDecreaseAt: Number.NEGATIVE_INFINITY,
    lastIncreaseAt: at,
  };
}

export type RateEvent =
  /**
   * A QPS 429 from Zoom. `ownWindowFull`: we ourselves started a full budget's worth in the last second (a late
   * burst, not a stranger), so only the pause applies and the rate stays.
   */
  | {
      kind: "rate_limited";
      at: number;
      ownWindowFull: boolean;
      /**
       * Our own request starts in the last second. When the account's window filled up while we sent only these,
       * about this many fit beside the other apps: a better estimate than a fixed factor right after a ramp-up.
       */
      ownStarts?: number | undefined;
    }
  /** Any other answer from Zoom; `remaining` is X-RateLimit-Remaining when Zoom sent it. */
  | { kind: "answered"; at: number; remaining: number | undefined }
  /** Time passes (a timer, a few times a second). */
  | { kind: "tick"; at: number };

export type RateChangeReason =
  | "rate limited by another app on the account"
  | "recovering after a clean second";

export interface RateDecision {
  state: AdaptiveRateState;
  change?: { fromRps: number; toRps: number; reason: RateChangeReason };
}

export function nextRate(
  state: AdaptiveRateState,
  event: RateEvent,
  config: AdaptiveRateConfig,
): RateDecision {
  switch (event.kind) {
    case "rate_limited": {
      const held = { ...state, holdUntil: Math.max(state.holdUntil, event.at + config.cleanMs) };
      if (event.ownWindowFull || event.at - state.lastDecreaseAt < config.decreaseCooldownMs) {
        return { state: held };
      }
      const measured =
        event.ownStarts === undefined || event.ownStarts < 1
          ? Number.POSITIVE_INFINITY
          : event.ownStarts * 0.95;
      const toRps = Math.max(config.floorRps, Math.min(state.rps * config.decreaseFactor, measured));
      if (toRps >= state.rps) return { state: held };
      return {
        state: {
          ...held,
          rps: toRps,
          limitRps: Math.min(state.rps, measured / 0.95),
          lastDecreaseAt: event.at,
        },
        change: { fromRps: state.rps, toRps, reason: "rate limited by another app on the account" },
      };
    }
    case "answered":
      // Nothing left in the window after our request: the account is at its limit, so do not push harder.
      if (event.remaining === 0) {
        return { state: { ...state, holdUntil: Math.max(state.holdUntil, event.at + config.cleanMs) } };
      }
      return { state };
    case "tick": {
      if (state.rps >= config.ceilingRps || event.at < state.holdUntil) return { state };
      if (event.at - state.lastIncreaseAt < config.cleanMs) return { state };
      // Back quickly to just under where the others pushed us off, then probe beyond it slowly: the spare
      // budget may have grown (the other app finished), or not.
      const step =
        state.rps < state.limitRps * config.nearLimitShare ? config.increaseFraction : config.probeFraction;
      const toRps = Math.min(config.ceilingRps, state.rps + config.ceilingRps * step);
      return {
        state: { ...state, rps: toRps, lastIncreaseAt: event.at },
        change: { fromRps: state.rps, toRps, reason: "recovering after a clean second" },
      };
    }
  }
}
