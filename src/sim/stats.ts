import { API_ROUTES } from "./refusals.js";
import type { SimRemoval, SimRequestLogEntry, SimRoute, SimStats, SimTypeChange } from "./types.js";

/**
 * The most arrivals inside any window of `windowMs` (half-open: times t and t + windowMs are never together),
 * by two pointers over times sorted ascending. This is the number a rate limiter is judged by: if it is above the
 * limit, some one-second window saw too many requests no matter where Zoom puts its window edges.
 */
export function maxArrivalsInAnyWindow(sortedTimesMs: ArrayLike<number>, windowMs = 1000): number {
  let best = 0;
  let left = 0;
  for (let right = 0; right < sortedTimesMs.length; right++) {
    const end = sortedTimesMs[right] ?? 0;
    while ((sortedTimesMs[left] ?? 0) <= end - windowMs) left++;
    best = Math.max(best, right - left + 1);
  }
  return best;
}

/** Bound on the request log so that a long benchmark cannot exhaust memory. */
export const MAX_LOG_ENTRIES = 200_000;

type Counters = Omit<
  SimStats,
  | "putsByUser"
  | "log"
  | "maxLightInAnySlidingSecond"
  | "requestsByRoute"
  | "signOutsByUser"
  | "typeChanges"
  | "removals"
>;

const ROUTES: readonly SimRoute[] = ["token", ...API_ROUTES, "other"];

function zeroCounters(): Counters {
  return {
    requests: 0,
    tokenRequests: 0,
    maxConcurrentTokenRequests: 0,
    statusPuts: 0,
    statusChangesApplied: 0,
    getUserRequests: 0,
    listUsersRequests: 0,
    tooManyRequests: 0,
    dailyLimited: 0,
    concurrentSameUser: 0,
    tokenExpiredAnswers: 0,
    missingScopeAnswers: 0,
    forcedRefusals: 0,
    unapplied: 0,
    signOuts: 0,
  };
}

function zeroRoutes(): Record<SimRoute, number> {
  return Object.fromEntries(ROUTES.map((route) => [route, 0])) as Record<SimRoute, number>;
}

/** Mutable counters behind `Simulator.stats()`; the server bumps fields directly. */
export class StatsRecorder {
  counters: Counters = zeroCounters();
  private putsByUser = new Map<string, number>();
  private requestsByRoute = zeroRoutes();
  private signOutsByUser = new Map<string, number>();
  private typeChanges: SimTypeChange[] = [];
  private removals: SimRemoval[] = [];
  private log: SimRequestLogEntry[] = [];
  // Tool Light arrival times, appended in clock order (so already sorted): 8 bytes per request.
  private lightArrivals = new Float64Array(1024);
  private lightArrivalCount = 0;

  constructor(private readonly logRequests: boolean) {}

  countPut(userKey: string): void {
    this.counters.statusPuts++;
    this.putsByUser.set(userKey, (this.putsByUser.get(userKey) ?? 0) + 1);
  }

  countRequest(route: SimRoute): void {
    this.requestsByRoute[route]++;
  }

  countSignOut(userKey: string): void {
    this.counters.signOuts++;
    this.signOutsByUser.set(userKey, (this.signOutsByUser.get(userKey) ?? 0) + 1);
  }

  recordTypeChange(change: SimTypeChange): void {
    this.typeChanges.push(change);
  }

  recordRemoval(removal: SimRemoval): void {
    this.removals.push(removal);
  }

  recordLightArrival(atMs: number): void {
    if (this.lightArrivalCount === this.lightArrivals.length) {
      const bigger = new Float64Array(this.lightArrivals.length * 2);
      bigger.set(this.lightArrivals);
      this.lightArrivals = bigger;
    }
    this.lightArrivals[this.lightArrivalCount++] = atMs;
  }

  recordLog(entry: SimRequestLogEntry): void {
    if (!this.logRequests) return;
    this.log.push(entry);
    // Trim in bulk so that bounding the log costs O(1) amortised instead of a shift() per request.
    if (this.log.length >= MAX_LOG_ENTRIES * 2) this.log = this.log.slice(-MAX_LOG_ENTRIES);
  }

  snapshot(): SimStats {
    return {
      ...this.counters,
      putsByUser: Object.fromEntries(this.putsByUser),
      maxLightInAnySlidingSecond: maxArrivalsInAnyWindow(
        this.lightArrivals.subarray(0, this.lightArrivalCount),
        1000,
      ),
      requestsByRoute: { ...this.requestsByRoute },
      signOutsByUser: Object.fromEntries(this.signOutsByUser),
      typeChanges: this.typeChanges.map((change) => ({ ...change })),
      removals: this.removals.map((removal) => structuredClone(removal)),
      log: this.log.slice(-MAX_LOG_ENTRIES),
    };
  }

  reset(): void {
    this.counters = zeroCounters();
    this.putsByUser.clear();
    this.requestsByRoute = zeroRoutes();
    this.signOutsByUser.clear();
    this.typeChanges = [];
    this.removals = [];
    this.log = [];
    this.lightArrivalCount = 0;
  }
}
