import { SlidingWindow } from "./sliding-window.js";
import type { SimTier } from "./types.js";

/** The two Zoom rate-limit labels this tool touches: status PUT and user GET are Light, the user list is Medium. */
export type RateLabel = "Light" | "Medium";

export interface LabelLimits {
  perSecond: number;
  /** Requests per UTC day; undefined = no daily cap (paid tiers). */
  perDay: number | undefined;
}

/** From Zoom's rate-limit table (https://developers.zoom.us/docs/api/rate-limits/). Daily caps exist only on the free tier. */
const TIER_LIMITS: Record<SimTier, Record<RateLabel, LabelLimits>> = {
  free: { Light: { perSecond: 4, perDay: 6000 }, Medium: { perSecond: 2, perDay: 2000 } },
  pro: { Light: { perSecond: 30, perDay: undefined }, Medium: { perSecond: 20, perDay: undefined } },
  business: { Light: { perSecond: 80, perDay: undefined }, Medium: { perSecond: 60, perDay: undefined } },
};

export function tierLimits(tier: SimTier): Record<RateLabel, LabelLimits> {
  const limits = TIER_LIMITS[tier];
  if (limits === undefined) throw new RangeError(`Unknown tier \`${String(tier)}\``);
  return { Light: { ...limits.Light }, Medium: { ...limits.Medium } };
}

export type RateDecision =
  | { ok: true }
  | { ok: false; type: "QPS" | "Daily-limit"; label: RateLabel; limit: number; retryAfter?: string };

export interface RateLimitsOptions {
  limits: Record<RateLabel, LabelLimits>;
  /** 0..1 of the Light per-second budget used by a phantom "other app" on the same account. */
  otherAppShare?: number;
  /** Epoch ms at which the phantom app is considered to have been running for a while already. */
  startMs: number;
}

/** Next 00:00 UTC after nowMs as Zoom writes it in a daily-limit Retry-After: `2026-12-01T00:00:00Z`. */
export function nextUtcMidnightIso(nowMs: number): string {
  const midnight = (Math.floor(nowMs / 86_400_000) + 1) * 86_400_000;
  return new Date(midnight).toISOString().replace(/\.\d{3}Z$/, "Z");
}

interface LabelState {
  limits: LabelLimits;
  window: SlidingWindow;
  usedToday: number;
}

/**
 * Per-account rate limits: one sliding one-second window and one daily counter per label. Only accepted
 * requests use budget: a 429 was not served, and counting it would turn any overshoot into a lockout that lasts
 * as long as the client keeps trying (Zoom documents no such behaviour).
 */
export class RateLimits {
  private readonly labels: Record<RateLabel, LabelState>;
  private dayNumber: number;
  private readonly phantomIntervalMs: number;
  private nextPhantomMs: number;

  constructor(options: RateLimitsOptions) {
    const make = (limits: LabelLimits): LabelState => ({
      limits,
      window: new SlidingWindow(1000, Math.max(8, limits.perSecond)),
      usedToday: 0,
    });
    this.labels = { Light: make(options.limits.Light), Medium: make(options.limits.Medium) };
    this.dayNumber = Math.floor(options.startMs / 86_400_000);
    const share = options.otherAppShare ?? 0;
    const phantomRps = share * options.limits.Light.perSecond;
    this.phantomIntervalMs = phantomRps > 0 ? 1000 / phantomRps : Number.POSITIVE_INFINITY;
    // The other app is already running when we start, so the first window is as full as any later one.
    this.nextPhantomMs = options.startMs - 1000 + this.phantomIntervalMs;
  }

  /** Decides one arrival of `label` at nowMs and, when accepted, charges it to the window and the day. */
  admit(label: RateLabel, nowMs: number): RateDecision {
    this.rollDay(nowMs);
    const state = this.labels[label];
    if (label === "Light") this.replayPhantoms(nowMs);
    const { perDay, perSecond } = state.limits;
    if (perDay !== undefined && state.usedToday >= perDay) {
      return { ok: false, type: "Daily-limit", label, limit: perDay, retryAfter: nextUtcMidnightIso(nowMs) };
    }
    if (!state.window.tryAdd(nowMs, perSecond)) return { ok: false, type: "QPS", label, limit: perSecond };
    state.usedToday++;
    return { ok: true };
  }

  /** Starts a new day for the daily caps (the simulator's `nextDay()`); the windows are left alone. */
  nextDay(): void {
    this.labels.Light.usedToday = 0;
    this.labels.Medium.usedToday = 0;
  }

  limit(label: RateLabel): LabelLimits {
    return { ...this.labels[label].limits };
  }

  private rollDay(nowMs: number): void {
    const day = Math.floor(nowMs / 86_400_000);
    if (day !== this.dayNumber) {
      this.dayNumber = day;
      this.nextDay();
    }
  }

  /**
   * The phantom app's requests arrive evenly spaced; they are inserted lazily, up to nowMs, before each Light
   * decision. They compete for the same window (and are turned away like ours when it is full) but not for the
   * daily cap, which would otherwise drain in an hour of idling on the free tier.
   */
  private replayPhantoms(nowMs: number): void {
    if (this.nextPhantomMs > nowMs) return;
    const light = this.labels.Light;
    const windowStart = nowMs - light.window.windowMs;
    if (this.nextPhantomMs <= windowStart) {
      // Skip arrivals that would already have left the window (after idling) in one step.
      const skipped = Math.floor((windowStart - this.nextPhantomMs) / this.phantomIntervalMs) + 1;
      this.nextPhantomMs += skipped * this.phantomIntervalMs;
    }
    while (this.nextPhantomMs <= nowMs) {
      light.window.tryAdd(this.nextPhantomMs, light.limits.perSecond);
      this.nextPhantomMs += this.phantomIntervalMs;
    }
  }
}
