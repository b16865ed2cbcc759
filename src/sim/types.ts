/** Public types of the Zoom simulator; re-exported by server.ts, which is what other code imports. */

export type SimTier = "free" | "pro" | "business";

export interface SimUser {
  id: string;
  email: string;
  status: "active" | "inactive" | "pending";
  role: "owner" | "admin" | "member" | "room";
  /** A deactivation is refused (400, code 300) while the user hosts upcoming Zoom Events. */
  upcomingEvents?: boolean;
}

/** Probabilities (0..1) per API request; see faults.ts for how one draw picks at most one of them. */
export interface SimFaults {
  serverErrorRate: number;
  dropRate: number;
  lostResponseRate: number;
}

export interface SimulatorOptions {
  /** Default "pro": Light 30/s; free 4/s + 6000/day; business 80/s. Medium: free 2, pro 20, business 60 /s. */
  tier?: SimTier;
  /** Overrides the tier's Light per-second limit (tests use small budgets for 429 storms). */
  lightRps?: number;
  mediumRps?: number;
  /** Overrides the daily Light cap (free tier default 6000; others unlimited). */
  dailyLightLimit?: number;
  /** Seed users. */
  users?: SimUser[];
  /** Additionally generate N active members: seeded 22-char ids, emails `user${n}@example.com` (n from 1). */
  generateUsers?: number;
  /** Default {accountId:"sim-account", clientId:"sim-client", clientSecret:"sim-secret"}. */
  credentials?: { accountId: string; clientId: string; clientSecret: string };
  /** Default 3600. */
  tokenLifetimeSec?: number;
  /** Delay before the token endpoint answers (default 0), so single-flight refreshes can be tested. */
  tokenLatencyMs?: number;
  /** Mean extra latency per API request, default 0. */
  latencyMs?: number;
  /** Uniform ± jitter around latencyMs, default 0. */
  latencyJitterMs?: number;
  faults?: Partial<SimFaults>;
  /** 0..1: a phantom "other app" on the same account uses this fraction of the Light per-second budget. */
  otherAppShare?: number;
  /** If set, QPS 429s carry `Retry-After: <n>`; by default they carry none (as Zoom mostly does). */
  qpsRetryAfterSec?: number;
  /** PRNG seed for faults, jitter and generated ids; default 1. */
  seed?: number;
  /** Default 127.0.0.1. */
  host?: string;
  /** Default 0 (any free port). */
  port?: number;
  /** Keep a per-request log in stats (default true; bounded to the last 200,000 entries). */
  logRequests?: boolean;
  /**
   * Epoch milliseconds "now" for rate windows, token and page-token expiry, daily resets and the log
   * (default: a monotonic clock anchored at the process's time origin). Tests inject a fake one.
   */
  clock?: () => number;
}

export type SimRoute = "token" | "get_user" | "list_users" | "put_status" | "other";

export interface SimRequestLogEntry {
  atMs: number;
  method: string;
  route: SimRoute;
  user?: string;
  /** HTTP status sent; 0 when the connection was dropped without an answer. */
  status: number;
  applied?: boolean;
  phantom?: false;
}

export interface SimStats {
  /** All API + token requests received (not counting /_sim/ control routes). */
  requests: number;
  tokenRequests: number;
  /** Peak token requests in progress at once. */
  maxConcurrentTokenRequests: number;
  /** PUT /users/{id}/status received. */
  statusPuts: number;
  /** PUTs that changed or confirmed a user's state (2xx, incl. lost responses). */
  statusChangesApplied: number;
  /** Keyed by the canonical user id (the value as sent when no such user exists). */
  putsByUser: Record<string, number>;
  getUserRequests: number;
  listUsersRequests: number;
  /** 429s of any kind sent to the tool (the phantom app's are not counted). */
  tooManyRequests: number;
  dailyLimited: number;
  /** Requests that arrived while another request for the same user was in progress. */
  concurrentSameUser: number;
  /** 401 code 124 answers. */
  tokenExpiredAnswers: number;
  /** Max tool Light requests (accepted or not) arriving in any 1000 ms window. */
  maxLightInAnySlidingSecond: number;
  log: SimRequestLogEntry[];
}

export interface Simulator {
  /** e.g. http://127.0.0.1:PORT */
  readonly url: string;
  /** `${url}/v2` */
  readonly apiUrl: string;
  /** `${url}/oauth/token` */
  readonly oauthUrl: string;
  stats(): SimStats;
  /** By id (case-sensitive) or email (case-insensitive); a copy. */
  user(idOrEmail: string): SimUser | undefined;
  allUsers(): SimUser[];
  /** Every issued token becomes invalid (next use: 401 code 124 "Invalid access token."). */
  revokeTokens(): void;
  setFaults(faults: Partial<SimFaults>): void;
  /** The token endpoint answers 503 until the clock reaches untilMs; null ends the outage. */
  setTokenOutage(untilMs: number | null): void;
  /** Resets the daily counters. */
  nextDay(): void;
  resetStats(): void;
  /** Closes the server and all keep-alive sockets promptly. */
  close(): Promise<void>;
}
