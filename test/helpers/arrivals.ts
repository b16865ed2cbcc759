import { maxArrivalsInAnyWindow } from "../../src/sim/stats.js";
import type { Simulator } from "../../src/sim/types.js";

/**
 * The simulator reads arrivals in the test's own process, which shares two cores with the rest of the suite: when it
 * stalls, requests that left on time are read late and bunch together. So the window the tests hold the tool to is a
 * little shorter than Zoom's second; the exact second, with no slack, is the benchmark's (npm run bench).
 */
export const BUSY_MACHINE_WINDOW_MS = 950;

/** The most Light requests the simulator read in any window of `windowMs`. */
export function maxLightInWindow(sim: Simulator, windowMs = BUSY_MACHINE_WINDOW_MS): number {
  const times = sim
    .stats()
    .log.filter((entry) => entry.route === "put_status" || entry.route === "get_user")
    .map((entry) => entry.atMs)
    .sort((a, b) => a - b);
  return maxArrivalsInAnyWindow(times, windowMs);
}
