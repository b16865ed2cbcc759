import { pino } from "pino";
import type { RateLimiter } from "../../src/batch/rate-limiter.js";
import { createStopControl } from "../../src/domain/stop.js";
import type { LookupDeps } from "../../src/lookup/zoom-lookups.js";
import type { ZoomClient } from "../../src/zoom/zoom-client.js";

/** A limiter that starts every job at once: look-up tests are about what is asked, not when. */
export const passThroughLimiter: RateLimiter = {
  schedule: async (fn) => fn(0, () => {}),
  pause: () => {},
  observe: () => {},
  pacing: { currentRps: 30, minRps: 30, changes: 0 },
  ready: async () => {},
  halt: () => {},
  halted: false,
  started: 0,
  close: async () => {},
};

/** Look-up dependencies around `client`: no pacing, two attempts, no backoff sleeps, a fixed clock. */
export function lookupDeps(client: ZoomClient, now = new Date("2026-11-29T12:00:00Z")): LookupDeps {
  return {
    client,
    lightLimiter: passThroughLimiter,
    mediumLimiter: passThroughLimiter,
    retry: {
      stop: createStopControl(),
      maxAttempts: 2,
      random: () => 0,
      sleep: async () => {},
      logger: pino({ level: "silent" }),
    },
    now: () => now,
  };
}
