/** Zoom plans and their Light rate-limit label (per account, shared by every app on it: https://developers.zoom.us/docs/api/rate-limits/). */
export type Tier = "free" | "pro" | "business" | "custom";

export const TIERS: readonly Tier[] = ["free", "pro", "business", "custom"];

/** Light requests per second by plan. `custom` has no default: the account's negotiated limit comes from --rps. */
export const LIGHT_RPS: Record<Exclude<Tier, "custom">, number> = {
  free: 4,
  pro: 30,
  business: 80,
};

/** The Free plan also caps Light requests per day. */
export const FREE_DAILY_LIGHT_LIMIT = 6000;

/**
 * Medium requests per second (GET /users, the directory listing): a budget separate from Light. For `custom`
 * plans we assume Pro's figure, which is safe for any paid account.
 */
export const MEDIUM_RPS: Record<Tier, number> = {
  free: 2,
  pro: 20,
  business: 60,
  custom: 20,
};
