/** Public types of the Zoom simulator; re-exported by server.ts, which is what other code imports. */

export type SimTier = "free" | "pro" | "business";

/** Zoom's user types: 1 Basic, 2 Licensed, 4 Unassigned without Meetings Basic. */
export type SimUserType = 1 | 2 | 4;

/** What a removal can transfer, one `transfer_<kind>` query flag each (the names are Zoom's, singular). */
export type SimDataKind =
  | "meetings"
  | "webinars"
  | "recordings"
  | "whiteboards"
  | "clipfiles"
  | "notes"
  | "docs"
  | "visitors";

export type SimUserData = Record<SimDataKind, number>;

export interface SimUser {
  id: string;
  email: string;
  status: "active" | "inactive" | "pending";
  role: "owner" | "admin" | "member" | "room";
  /** A deactivation, a downgrade to Basic and a removal without a transfer target are refused (code 300). */
  upcomingEvents?: boolean;
  /** Default 1 for deactivated users (deactivation removes licences), else 2. Always set on users read back. */
  type?: SimUserType;
  /** Counts of the user's data, 0 when left out; always complete on users read back. */
  data?: Partial<SimUserData>;
  /** Disassociating is refused (400, code 1107): the user's email domain is managed by the account. */
  managedDomain?: boolean;
  /** Any removal is refused (400, code 1000): call-queue manager or auto-receptionist operator. */
  callQueueManager?: boolean;
  /** Removals and type changes are refused (400, code 1120): the pending user's invitation expired. */
  invitationExpired?: boolean;
  /** Any removal is refused with Zoom's "Unable to delete this deactivated user" (400, code 200). */
  deleteRefused?: boolean;
}

/** A user as the simulator holds and hands it out: type and every data count always set. */
export type SimUserRecord = SimUser & { type: SimUserType; data: SimUserData };

/** Probabilities (0..1) per API request; see faults.ts for how one draw picks at most one of them. */
export interface SimFaults {
  serverErrorRate: number;
  dropRate: number;
  lostResponseRate: number;
  /** Changes answered as if made (same status and body) but not made; other requests are never affected. */
  unappliedRate: number;
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
  /**
   * Users (by id, or email in any case) whose changes are always answered as if made but never made, whatever
   * the rates: a deterministic `unapplied` fault for tests of a read-back after the run.
   */
  unappliedUsers?: string[];
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
   * Scopes granted to the app, echoed in the token answer; a route whose scopes are all missing answers 400
   * code 4711. Default: the classic scopes that cover all six operations, `user:write:admin user:read:admin`.
   */
  scopes?: string[];
  /**
   * Epoch milliseconds "now" for rate windows, token and page-token expiry, daily resets and the log
   * (default: a monotonic clock anchored at the process's time origin). Tests inject a fake one.
   */
  clock?: () => number;
}

/** The API operations the simulator serves. */
export type SimApiRoute =
  | "get_user"
  | "list_users"
  | "put_status"
  | "sign_out"
  | "update_user"
  | "delete_user";

export type SimRoute = "token" | SimApiRoute | "other";

/**
 * A run-wide refusal of one route, as when an app loses a scope or the account loses API access mid-run.
 * `code` 4711 alone answers the route's missing-scope error; `status` alone (say 403) a Zoom-like body whose
 * code is the status. `afterRequests` lets that many more requests of the route through first.
 */
export interface SimRefusal {
  status?: number;
  code?: number;
  message?: string;
  afterRequests?: number;
}

export interface SimTypeChange {
  /** Canonical user id. */
  user: string;
  from: SimUserType;
  to: SimUserType;
}

/** One removed user: what went to the transfer target and what was lost with the user (non-zero counts only). */
export interface SimRemoval {
  user: string;
  email: string;
  action: "delete" | "disassociate";
  /** The transfer target's canonical id, when `transfer_email` was given. */
  transferTo?: string;
  moved: Partial<SimUserData>;
  lost: Partial<SimUserData>;
}

export interface SimRequestLogEntry {
  atMs: number;
  method: string;
  route: SimRoute;
  user?: string;
  /** HTTP status sent; 0 when the connection was dropped without an answer. */
  status: number;
  /** On the four routes that change something: whether this request changed (or confirmed) it. */
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
  /** Requests received per route, whatever the answer. */
  requestsByRoute: Record<SimRoute, number>;
  /** 400 code 4711 answers because the token lacks every scope of the route. */
  missingScopeAnswers: number;
  /** Answers forced by `setRefusal`. */
  forcedRefusals: number;
  /**
   * Changes answered as made but left unmade (the `unapplied` fault, drawn or for an `unappliedUsers` user).
   * They are not counted as applied anywhere else: not in statusChangesApplied, signOuts, typeChanges, removals.
   */
  unapplied: number;
  /** Successful sign-outs (DELETE /users/{userId}/token), in total and per canonical user id. */
  signOuts: number;
  signOutsByUser: Record<string, number>;
  /** User types changed by PATCH /users/{userId}, in order (deactivation's loss of licences is not listed). */
  typeChanges: SimTypeChange[];
  /** Users removed by DELETE /users/{userId}, in order. */
  removals: SimRemoval[];
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
  user(idOrEmail: string): SimUserRecord | undefined;
  allUsers(): SimUserRecord[];
  /** Every issued token becomes invalid (next use: 401 code 124 "Invalid access token."). */
  revokeTokens(): void;
  setFaults(faults: Partial<SimFaults>): void;
  /** Replaces the set of users whose changes are accepted but not made; an empty list clears it. */
  setUnappliedUsers(idsOrEmails: readonly string[]): void;
  /** Gives a user another role, as an admin would in Zoom's web portal; throws for a user it does not have. */
  setRole(idOrEmail: string, role: SimUserRecord["role"]): void;
  /** The token endpoint answers 503 until the clock reaches untilMs; null ends the outage. */
  setTokenOutage(untilMs: number | null): void;
  /** Makes `route` refuse every request (after `afterRequests` more) until called again with null. */
  setRefusal(route: SimApiRoute, refusal: SimRefusal | null): void;
  /** Resets the daily counters. */
  nextDay(): void;
  resetStats(): void;
  /** Closes the server and all keep-alive sockets promptly. */
  close(): Promise<void>;
}
