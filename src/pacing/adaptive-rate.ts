/**
 * Adaptive pacing as pure decisions over injected time. The Light budget is shared by every app on the account,
 * so a per-second 429 we did not cause means someone else is using it: step down to what fitted beside them,
 * stay, and now and then try a level (one whole request per second) more. Every 429 pauses the whole budget, so
 * each further one doubles the wait before the next try (docs/NOTES-PERFORMANCE.md).
 */

export interface AdaptiveRateConfig {
  /** The configured rate (tier or --rps, times --share): never paced above this. */
  ceilingRps: number;
  /** Never paced below this: a stalled run helps nobody, and 429s are retried anyway. */
  floorRps: number;
  /**
   * Multiplicative decrease on a 429 caused by others when we cannot tell how many of our requests fitted (a shared
   * budget, where our starts are only part of the cluster's; or we were not sending steadily).
   */
  decreaseFactor: number;
  /** Additive increase per clean second back to the settle level, as a fraction of the ceiling. */
  increaseFraction: number;
  /** Time at the settle level after the first 429 before trying one level more. */
  probeHoldMs: number;
  /** Each further 429 doubles the hold, up to this: the other app is probably still there. */
  maxProbeHoldMs: number;
  /**
   * One level more that stays clean this long fits: it becomes the settle level, and the next try adds two levels,
   * then four... A single level over what is left can take a while to draw a 429 (the others' requests are
   * refused too, not only ours), so this first try waits longest.
   */
  probeCleanMs: number;
  /** The same for the tries after it, which add more and so show sooner whether they fit. */
  climbCleanMs: number;
  /** One decision per this long: the 429s of one crowded second are one signal, not several. */
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
    probeHoldMs: 10_000,
    maxProbeHoldMs: 60_000,
    probeCleanMs: 10_000,
    climbCleanMs: 3000,
    decreaseCooldownMs: 1000,
    cleanMs: 1000,
  };
}

export interface AdaptiveRateState {
  rps: number;
  /**
   * The last level known to fit beside the others: the pace returns to it after a 429 and stays there until the
   * next try. Infinity while no 429 has come since the pace was last at the ceiling.
   */
  settleRps: number;
  /** Levels the next try adds above the settle level: 1 after a 429, doubling with every try that fitted. */
  stepRps: number;
  /** 429s caused by others since the pace was last at the ceiling: how long the next hold is. */
  strikes: number;
  /** Until then no increase at all: set by a 429 or by Zoom saying the window has nothing left. */
  holdUntil: number;
  /** Until then no try above the settle level. */
  probeAt: number;
  /** The last 429 caused by others that we acted on: by stepping down, or by letting it pass (see nextRate). */
  lastLimitedAt: number;
  lastIncreaseAt: number;
}

export function initialRateState(config: AdaptiveRateConfig, at: number): AdaptiveRateState {
  return {
    rps: config.ceilingRps,
    settleRps: Number.POSITIVE_INFINITY,
    stepRps: 1,
    strikes: 0,
    holdUntil: at,
    probeAt: at,
    lastLimitedAt: Number.NEGATIVE_INFINITY,
    lastIncreaseAt: at,
  };
}

export type RateEvent =
  /** A QPS 429 from Zoom. */
  | {
      kind: "rate_limited";
      at: number;
      /**
       * Our own request starts in the second before the refused one started. The account's window was full with
       * these and the other apps' requests: this many fit beside the others, and one more did not. Undefined when
       * our starts are not all of the account's that we know of (a shared budget).
       */
      ownStarts?: number | undefined;
    }
  /** Any other answer from Zoom; `remaining` is X-RateLimit-Remaining when Zoom sent it. */
  | { kind: "answered"; at: number; remaining: number | undefined }
  /**
   * Time passes: the pacer says so with every answer and every attempt queued, which is whenever requests flow
   * (and while none do, there is no pace to recover).
   */
  | { kind: "tick"; at: number };

export type RateChangeReason =
  | "rate limited by another app on the account"
  | "recovering after a clean second"
  | "trying a level more";

export interface RateDecision {
  state: AdaptiveRateState;
  change?: { fromRps: number; toRps: number; reason: RateChangeReason };
}

/** Requests per window that a rate sends: the spacing follows the whole part (spacing.ts). */
const levelOf = (rps: number): number => (rps >= 1 ? Math.floor(rps) : rps);

export function nextRate(
  state: AdaptiveRateState,
  event: RateEvent,
  config: AdaptiveRateConfig,
): RateDecision {
  switch (event.kind) {
    case "rate_limited": {
      const held = { ...state, holdUntil: Math.max(state.holdUntil, event.at + config.cleanMs) };
      if (event.at - state.lastLimitedAt < config.decreaseCooldownMs) return { state: held };
      const fitted = event.ownStarts !== undefined && event.ownStarts >= 1 ? event.ownStarts : undefined;
      // At a level we meant to stay at (the settle level, or the configured rate) that has fitted for a while, one
      // 429 with about our usual count before it (a window at level n holds n - 1 of ours before the next; one
      // less when our own timers ran a little late) or no count says that a few requests reached Zoom closer
      // together than they were sent (network or machine jitter), not that the others took more: the pause is
      // enough. A second one soon after is a trend, and steps down.
      const staying = Number.isFinite(state.settleRps)
        ? state.rps === state.settleRps
        : state.rps >= config.ceilingRps;
      const quietMs = event.at - Math.max(state.lastLimitedAt, state.lastIncreaseAt);
      const usualCount = fitted === undefined || fitted >= levelOf(state.rps) - 2;
      if (staying && usualCount && quietMs >= config.probeCleanMs) {
        return { state: { ...held, lastLimitedAt: event.at } };
      }
      // Trying above the settle level: back to it, the last level that fitted. Otherwise one level down. And
      // never above what fitted this time (right after a ramp-up, or when the others took more).
      const trying = state.rps > state.settleRps;
      const settleRps = Math.max(
        config.floorRps,
        Math.min(trying ? state.settleRps : levelOf(state.rps) - 1, fitted ?? Number.POSITIVE_INFINITY),
      );
      // Without a count of what fitted, a multiplicative step down, and back up to the settle level quickly.
      const toRps =
        fitted === undefined
          ? Math.max(config.floorRps, Math.min(settleRps, state.rps * config.decreaseFactor))
          : settleRps;
      const strikes = state.strikes + 1;
      const holdMs = Math.min(config.maxProbeHoldMs, config.probeHoldMs * 2 ** (strikes - 1));
      const next: AdaptiveRateState = {
        ...held,
        rps: Math.min(state.rps, toRps),
        settleRps,
        stepRps: 1,
        strikes,
        probeAt: event.at + holdMs,
        lastLimitedAt: event.at,
      };
      if (next.rps === state.rps) return { state: next };
      return {
        state: next,
        change: { fromRps: state.rps, toRps: next.rps, reason: "rate limited by another app on the account" },
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
      const increase = (
        toRps: number,
        reason: RateChangeReason,
        changes: Partial<AdaptiveRateState> = {},
      ): RateDecision => {
        const capped = Math.min(config.ceilingRps, toRps);
        // At the configured rate again: the others are gone, and the next 429 starts afresh.
        const reset =
          capped >= config.ceilingRps ? { settleRps: Number.POSITIVE_INFINITY, stepRps: 1, strikes: 0 } : {};
        return {
          state: { ...state, ...changes, ...reset, rps: capped, lastIncreaseAt: event.at },
          change: { fromRps: state.rps, toRps: capped, reason },
        };
      };
      const step = config.ceilingRps * config.increaseFraction;
      if (!Number.isFinite(state.settleRps))
        return increase(state.rps + step, "recovering after a clean second");
      if (state.rps < state.settleRps) {
        return increase(Math.min(state.settleRps, state.rps + step), "recovering after a clean second");
      }
      if (state.rps === state.settleRps) {
        if (event.at < state.probeAt) return { state };
        return increase(state.settleRps + state.stepRps, "trying a level more");
      }
      // Trying: clean for long enough, so this level fits too. Try twice as far next.
      const cleanMs = state.stepRps === 1 ? config.probeCleanMs : config.climbCleanMs;
      if (event.at - state.lastIncreaseAt < cleanMs) return { state };
      const stepRps = state.stepRps * 2;
      return increase(state.rps + stepRps, "trying a level more", { settleRps: state.rps, stepRps });
    }
  }
}
