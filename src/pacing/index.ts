/** Pacing for a rate-limit budget: one engine (pacer.ts), alone or shared by every runner of an account. */
export type { RateChangeReason } from "./adaptive-rate.js";
export { type Clock, systemClock } from "./clock.js";
export { NOT_SENT, type NotSent } from "./not-sent.js";
export { createPacer, type Pacer, type PacerOptions, type PacerStats, type RateSignal } from "./pacer.js";
export {
  connectSharedSlots,
  type Reservation,
  redisWhere,
  type SharedSlots,
  type SharedSlotsOptions,
  sharedBudgetId,
} from "./shared-slots.js";
export { DEFAULT_MARGIN_MS, defaultConcurrency, minTimeMs, pacedRps, SHARED_MARGIN_MS } from "./spacing.js";
