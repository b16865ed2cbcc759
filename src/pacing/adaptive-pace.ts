import type { Logger } from "pino";
import {
  adaptiveRateConfig,
  initialRateState,
  nextRate,
  type RateChangeReason,
  type RateEvent,
} from "./adaptive-rate.js";
import { startsBefore } from "./own-starts.js";

/** This runner's own rate under adaptive pacing (adaptive-rate.ts), fed with what Zoom says and when we start. */
export interface AdaptivePace {
  readonly rps: number;
  /** A request of ours started at `at`. */
  started(at: number): void;
  /** Time passes (with every answer and every attempt queued): the pace may climb back. */
  tick(at: number): void;
  answered(at: number, remaining: number | undefined): void;
  /**
   * Zoom refused a request that started at `sentAt` (undefined: unknown) for the per-second limit. `spacingMs` is the
   * pace's spacing; `ownStartsCount`: our starts are all of the account's that we know of (alone, not shared).
   */
  rateLimited(at: number, sentAt: number | undefined, spacingMs: number, ownStartsCount: boolean): void;
}

export interface AdaptivePaceOptions {
  rps: number;
  /** Off: the rate stays `rps` whatever Zoom says. */
  enabled: boolean;
  at: number;
  logger: Logger | undefined;
  onChange(fromRps: number, toRps: number, reason: RateChangeReason): void;
}

/** Our starts are kept this long: enough to look at the second before a refused request after its round trip. */
const STARTS_KEPT_MS = 3000;
/** A gap between our starts of more than this many spacings means we were not sending steadily (own-starts.ts). */
const STEADY_GAP_SPACINGS = 2.5;

export function createAdaptivePace(options: AdaptivePaceOptions): AdaptivePace {
  const config = adaptiveRateConfig(options.rps);
  let state = initialRateState(config, options.at);
  const recentStarts: number[] = [];

  const decide = (event: RateEvent): void => {
    if (!options.enabled) return;
    const decision = nextRate(state, event, config);
    state = decision.state;
    if (decision.change === undefined) return;
    const { fromRps, toRps, reason } = decision.change;
    options.logger?.info(
      { fromRps: Number(fromRps.toFixed(2)), toRps: Number(toRps.toFixed(2)), reason },
      "Light pace changed",
    );
    options.onChange(fromRps, toRps, reason);
  };

  return {
    get rps() {
      return state.rps;
    },
    started(at) {
      recentStarts.push(at);
      while ((recentStarts[0] ?? at) <= at - STARTS_KEPT_MS) recentStarts.shift();
    },
    tick(at) {
      decide({ kind: "tick", at });
    },
    answered(at, remaining) {
      decide({ kind: "answered", at, remaining });
      decide({ kind: "tick", at });
    },
    rateLimited(at, sentAt, spacingMs, ownStartsCount) {
      // What the account's window held when Zoom refused: our starts in the second before the refused one.
      const before = startsBefore(recentStarts, sentAt ?? at, 1000, STEADY_GAP_SPACINGS * spacingMs);
      const known = ownStartsCount && sentAt !== undefined && before.steady;
      decide({ kind: "rate_limited", at, ownStarts: known ? before.count : undefined });
    },
  };
}
