import type { IncomingMessage, ServerResponse } from "node:http";
import { performance } from "node:perf_hooks";
import { createAdmission } from "./admission.js";
import { classify } from "./api-routes.js";
import { DEFAULT_CREDENTIALS } from "./default-credentials.js";
import { decideFault, mergeFaults, NO_FAULTS } from "./faults.js";
import { BodyTooLargeError, delay, readBody, type SimReply, sendReply, zoomError } from "./http.js";
import { listen } from "./listen.js";
import { createOperations } from "./operations.js";
import { validateOptions } from "./options.js";
import { createRandom, deriveSeed } from "./random.js";
import { RateLimits, tierLimits } from "./rate-limits.js";
import { RefusalBook } from "./refusals.js";
import { handleControl } from "./routes/control.js";
import { issueToken, TOKEN_OUTAGE } from "./routes/oauth.js";
import { PageTokens } from "./routes/users.js";
import { DEFAULT_SCOPES } from "./scopes.js";
import { StatsRecorder } from "./stats.js";
import { TokenStore } from "./tokens.js";
import type { SimFaults, SimRoute, SimStats, SimTier, Simulator, SimulatorOptions } from "./types.js";
import { createUnapplied } from "./unapplied.js";
import { copyUser, generateSimUsers, UserStore } from "./users.js";

export type {
  SimApiRoute,
  SimDataKind,
  SimFaults,
  SimRefusal,
  SimRemoval,
  SimRequestLogEntry,
  SimRoute,
  SimStats,
  SimTier,
  SimTypeChange,
  SimUser,
  SimUserData,
  SimUserRecord,
  SimUserType,
  Simulator,
  SimulatorOptions,
} from "./types.js";

export { DEFAULT_CREDENTIALS };

/** Epoch milliseconds that never go backwards (the sliding windows need sorted arrivals). */
const monotonicEpochMs = (): number => performance.timeOrigin + performance.now();

/** The routes that change something, whose log entries say whether this request did. */
const CHANGING_ROUTES = new Set<SimRoute>(["put_status", "sign_out", "update_user", "delete_user"]);

/** Starts a Zoom stand-in on loopback; see SimulatorOptions for every knob. */
export async function startSimulator(options: SimulatorOptions = {}): Promise<Simulator> {
  validateOptions(options);
  const clock = options.clock ?? monotonicEpochMs;
  const seed = options.seed ?? 1;
  const tier: SimTier = options.tier ?? "pro";
  const limits = tierLimits(tier);
  if (options.lightRps !== undefined) limits.Light.perSecond = options.lightRps;
  if (options.mediumRps !== undefined) limits.Medium.perSecond = options.mediumRps;
  if (options.dailyLightLimit !== undefined) limits.Light.perDay = options.dailyLightLimit;
  const credentials = options.credentials ?? DEFAULT_CREDENTIALS;
  const tokenLifetimeSec = options.tokenLifetimeSec ?? 3600;
  const tokenLatencyMs = options.tokenLatencyMs ?? 0;
  const latencyMs = options.latencyMs ?? 0;
  const jitterMs = options.latencyJitterMs ?? 0;
  const scopes = [...(options.scopes ?? DEFAULT_SCOPES)];

  const store = new UserStore([
    ...(options.users ?? []),
    ...generateSimUsers(options.generateUsers ?? 0, seed),
  ]);
  const tokens = new TokenStore(tokenLifetimeSec * 1000);
  const pages = new PageTokens();
  const rateLimits = new RateLimits({ limits, otherAppShare: options.otherAppShare ?? 0, startMs: clock() });
  const stats = new StatsRecorder(options.logRequests ?? true);
  const refusals = new RefusalBook();
  const serve = createOperations({ store, pages, stats, clock });
  const unapplied = createUnapplied({ store, pages, stats, clock }, options.unappliedUsers);
  /** Canonical ids of users with a request being processed (Zoom: "Too many concurrent requests"). */
  const usersInProgress = new Set<string>();
  const refusal = createAdmission({
    tokens,
    grantedScopes: new Set(scopes),
    refusals,
    rateLimits,
    stats,
    usersInProgress,
    qpsRetryAfterSec: options.qpsRetryAfterSec,
  });
  // Separate streams: turning faults on must not change the latency sequence, and vice versa.
  const faultRandom = createRandom(deriveSeed(seed, 2));
  const latencyRandom = createRandom(deriveSeed(seed, 3));
  let faults = mergeFaults(NO_FAULTS, options.faults);
  let tokenOutageUntilMs: number | null = null;
  let tokenRequestsInFlight = 0;
  let responseCounter = 0;
  let baseUrl = "";

  const drawLatencyMs = (): number => {
    const u = latencyRandom.next(); // drawn for every API request so the sequence depends on arrivals only
    return Math.max(0, latencyMs + (u * 2 - 1) * jitterMs);
  };

  const send = (res: ServerResponse, reply: SimReply): void => {
    if (!res.destroyed && !res.headersSent) sendReply(res, reply);
  };

  /** Hangs up without an answer: the client sees a reset or a closed socket. */
  const hangUp = (req: IncomingMessage): void => {
    req.socket.destroy();
  };

  const tokenReply = (req: IncomingMessage, body: Buffer, nowMs: number): SimReply => {
    if (req.method !== "POST") return { status: 405, body: { reason: "Use POST", error: "invalid_request" } };
    if (tokenOutageUntilMs !== null && nowMs < tokenOutageUntilMs) return TOKEN_OUTAGE;
    const request = { authorization: req.headers.authorization, body };
    return issueToken(request, credentials, tokens, tokenLifetimeSec, baseUrl, nowMs, scopes);
  };

  const handleToken = async (req: IncomingMessage, res: ServerResponse, atMs: number): Promise<void> => {
    stats.counters.tokenRequests++;
    stats.countRequest("token");
    tokenRequestsInFlight++;
    const peak = Math.max(stats.counters.maxConcurrentTokenRequests, tokenRequestsInFlight);
    stats.counters.maxConcurrentTokenRequests = peak;
    try {
      const body = await readBody(req);
      if (tokenLatencyMs > 0) await delay(tokenLatencyMs);
      const reply = tokenReply(req, body, clock());
      send(res, reply);
      stats.recordLog({ atMs, method: req.method ?? "", route: "token", status: reply.status });
    } finally {
      tokenRequestsInFlight--;
    }
  };

  const handleApi = async (
    req: IncomingMessage,
    res: ServerResponse,
    path: string,
    query: string,
    atMs: number,
  ): Promise<void> => {
    const method = req.method ?? "";
    const route = classify(method, path);
    const user = route.userValue === undefined ? undefined : store.find(route.userValue);
    const userKey = route.userValue === undefined ? undefined : (user?.id ?? route.userValue);
    stats.countRequest(route.route);
    if (route.route === "put_status" && userKey !== undefined) stats.countPut(userKey);
    else if (route.route === "get_user") stats.counters.getUserRequests++;
    else if (route.route === "list_users") stats.counters.listUsersRequests++;
    if (route.label === "Light") stats.recordLightArrival(atMs);

    const bodyPromise = readBody(req);
    const latency = drawLatencyMs();
    let early = refusal(req.headers.authorization, route.route, route.label, userKey, atMs);
    const ownsUser = early === undefined && userKey !== undefined;
    if (ownsUser) usersInProgress.add(userKey);
    // Faults are drawn only for requests that passed the limits: a 429 is never turned into a 5xx.
    const decision = early === undefined ? decideFault(faultRandom, faults) : undefined;
    const fault = decision?.kind ?? "none";

    let status = 0; // stays 0 when the connection is dropped unanswered
    let applied = false;
    try {
      let body: Buffer = Buffer.alloc(0);
      try {
        body = await bodyPromise;
      } catch (error) {
        if (!(error instanceof BodyTooLargeError)) throw error;
        early ??= zoomError(413, 413, "Request body too large.");
      }
      if (latency > 0) await delay(latency);
      if (fault === "drop") return hangUp(req);

      let reply: SimReply;
      if (early !== undefined) reply = early;
      else if (decision?.kind === "server_error") {
        const { status: code, message } = decision.serverError;
        reply = zoomError(code, code, message);
      } else if (CHANGING_ROUTES.has(route.route) && unapplied.strikes(user, fault)) {
        reply = await unapplied.serve(req, { ...route, user, query, body });
      } else ({ reply, applied } = await serve(req, { ...route, user, query, body }));
      // A lost response: the change (if any) is made; only the answer is lost on the way back.
      if (fault === "lost_response") return hangUp(req);
      status = reply.status;
      send(res, reply);
    } finally {
      if (ownsUser) usersInProgress.delete(userKey);
      stats.recordLog({
        atMs,
        method,
        route: route.route,
        ...(userKey === undefined ? {} : { user: userKey }),
        status,
        ...(CHANGING_ROUTES.has(route.route) ? { applied } : {}),
      });
    }
  };

  const controls: Omit<Simulator, "url" | "apiUrl" | "oauthUrl" | "close"> = {
    stats: (): SimStats => stats.snapshot(),
    user: (idOrEmail) => {
      const user = store.find(idOrEmail);
      return user === undefined ? undefined : copyUser(user);
    },
    allUsers: () => store.all(),
    revokeTokens: () => tokens.revokeAll(),
    setFaults: (update: Partial<SimFaults>) => {
      faults = mergeFaults(faults, update);
    },
    setUnappliedUsers: (idsOrEmails) => unapplied.setUsers(idsOrEmails),
    setRole: (idOrEmail, role) => store.setRole(idOrEmail, role),
    setTokenOutage: (untilMs) => {
      tokenOutageUntilMs = untilMs;
    },
    setRefusal: (route, refusal) => refusals.set(route, refusal),
    nextDay: () => rateLimits.nextDay(),
    resetStats: () => stats.reset(),
  };

  const handleControlRoute = async (
    req: IncomingMessage,
    res: ServerResponse,
    path: string,
    query: string,
  ): Promise<void> => {
    const body = await readBody(req);
    send(res, handleControl(req.method ?? "", path, query, body, controls));
  };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const atMs = clock();
    res.setHeader("x-zm-trackingid", `v=2.0;clid=us06;rid=SIM${seed}_${++responseCounter}`);
    const url = req.url ?? "/";
    const queryStart = url.indexOf("?");
    const path = queryStart < 0 ? url : url.slice(0, queryStart);
    const query = queryStart < 0 ? "" : url.slice(queryStart + 1);
    if (path.startsWith("/_sim/")) return handleControlRoute(req, res, path, query);
    stats.counters.requests++;
    if (path === "/oauth/token") return handleToken(req, res, atMs);
    if (path.startsWith("/v2/")) return handleApi(req, res, path, query, atMs);
    stats.countRequest("other");
    await readBody(req);
    send(res, { status: 404, body: { code: 404, message: `Not found: ${path}` } });
    stats.recordLog({ atMs, method: req.method ?? "", route: "other", status: 404 });
  };

  const listening = await listen(handle, options.host ?? "127.0.0.1", options.port ?? 0);
  baseUrl = listening.url;
  return {
    url: baseUrl,
    apiUrl: `${baseUrl}/v2`,
    oauthUrl: `${baseUrl}/oauth/token`,
    ...controls,
    close: listening.close,
  };
}
