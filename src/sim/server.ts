import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { performance } from "node:perf_hooks";
import { classify } from "./api-routes.js";
import { DEFAULT_CREDENTIALS } from "./default-credentials.js";
import { decideFault, mergeFaults, NO_FAULTS } from "./faults.js";
import { BodyTooLargeError, delay, readBody, type SimReply, sendReply, zoomError } from "./http.js";
import { createOperations } from "./operations.js";
import { validateOptions } from "./options.js";
import { createRandom, deriveSeed } from "./random.js";
import { type RateLabel, RateLimits, tierLimits } from "./rate-limits.js";
import { RefusalBook } from "./refusals.js";
import { handleControl } from "./routes/control.js";
import { issueToken, TOKEN_OUTAGE } from "./routes/oauth.js";
import { PageTokens } from "./routes/users.js";
import { DEFAULT_SCOPES, hasScopeFor, missingScopeReply } from "./scopes.js";
import { StatsRecorder } from "./stats.js";
import { bearerToken, TokenStore } from "./tokens.js";
import type { SimFaults, SimRoute, SimStats, SimTier, Simulator, SimulatorOptions } from "./types.js";
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

const QPS_MESSAGE = "You have reached the maximum per-second rate limit for this API. Try again later.";
const DAILY_MESSAGE =
  "You have reached the maximum daily rate limit for this API. " +
  "Refer to the response header for details on when you can make another request.";

/** Starts a Zoom stand-in on loopback (SPEC §8); see SimulatorOptions for every knob. */
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
  const qpsRetryAfter = options.qpsRetryAfterSec === undefined ? undefined : String(options.qpsRetryAfterSec);
  const scopes = [...(options.scopes ?? DEFAULT_SCOPES)];
  const grantedScopes = new Set(scopes);

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
  // Separate streams: turning faults on must not change the latency sequence, and vice versa.
  const faultRandom = createRandom(deriveSeed(seed, 2));
  const latencyRandom = createRandom(deriveSeed(seed, 3));
  let faults = mergeFaults(NO_FAULTS, options.faults);
  let tokenOutageUntilMs: number | null = null;
  let tokenRequestsInFlight = 0;
  let responseCounter = 0;
  /** Canonical ids of users with a request being processed (Zoom: "Too many concurrent requests"). */
  const usersInProgress = new Set<string>();
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

  const rateLimited = (label: RateLabel, atMs: number): SimReply | undefined => {
    const decision = rateLimits.admit(label, atMs);
    if (decision.ok) return undefined;
    stats.counters.tooManyRequests++;
    const headers: Record<string, string> = {
      "x-ratelimit-category": decision.label,
      "x-ratelimit-type": decision.type,
      "x-ratelimit-limit": String(decision.limit),
      "x-ratelimit-remaining": "0",
    };
    if (decision.type === "Daily-limit") {
      stats.counters.dailyLimited++;
      if (decision.retryAfter !== undefined) headers["retry-after"] = decision.retryAfter;
      return zoomError(429, 429, DAILY_MESSAGE, headers);
    }
    if (qpsRetryAfter !== undefined) headers["retry-after"] = qpsRetryAfter;
    return zoomError(429, 429, QPS_MESSAGE, headers);
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

  /**
   * Decides, at arrival and in arrival order (Zoom counts arrivals), whether a /v2 request is served: token,
   * scopes and forced refusals, then rate limits, then one request per user at a time. Returns the refusal, or
   * undefined to serve it. Refusals before the rate limits use no budget, like every unserved request here.
   */
  const refusal = (
    req: IncomingMessage,
    route: SimRoute,
    label: RateLabel | undefined,
    userKey: string | undefined,
    atMs: number,
  ): SimReply | undefined => {
    const tokenState = tokens.check(bearerToken(req.headers.authorization), atMs);
    if (tokenState !== "valid") {
      stats.counters.tokenExpiredAnswers++;
      const message = tokenState === "expired" ? "Access token is expired." : "Invalid access token.";
      return zoomError(401, 124, message);
    }
    if (route !== "token" && route !== "other") {
      if (!hasScopeFor(route, grantedScopes)) {
        stats.counters.missingScopeAnswers++;
        return missingScopeReply(route);
      }
      const forced = refusals.check(route);
      if (forced !== undefined) {
        stats.counters.forcedRefusals++;
        return forced;
      }
    }
    const limited = label === undefined ? undefined : rateLimited(label, atMs);
    if (limited !== undefined) return limited;
    if (userKey !== undefined && usersInProgress.has(userKey)) {
      stats.counters.concurrentSameUser++;
      stats.counters.tooManyRequests++;
      // Zoom's own example of this answer is for a removal; other operations get the short form.
      const message =
        route === "delete_user"
          ? "Too many concurrent requests. A request to disassociate this user has already been made."
          : "Too many concurrent requests.";
      return zoomError(429, 429, message);
    }
    return undefined;
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
    let early = refusal(req, route.route, route.label, userKey, atMs);
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
    await readBody(req);
    send(res, { status: 404, body: { code: 404, message: `Not found: ${path}` } });
    stats.recordLog({ atMs, method: req.method ?? "", route: "other", status: 404 });
  };

  const server = createServer({ noDelay: true }, (req, res) => {
    handle(req, res).catch((error: unknown) => {
      // A bug in the simulator must show up as a 500 in the test that hit it, not as a hung request.
      if (!res.headersSent && !res.destroyed) {
        sendReply(res, { status: 500, body: { code: 500, message: `Simulator error: ${String(error)}` } });
      } else {
        res.destroy();
      }
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, options.host ?? "127.0.0.1", () => {
      server.off("error", reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const host = address.family === "IPv6" ? `[${address.address}]` : address.address;
  baseUrl = `http://${host}:${address.port}`;

  let closing: Promise<void> | undefined;
  return {
    url: baseUrl,
    apiUrl: `${baseUrl}/v2`,
    oauthUrl: `${baseUrl}/oauth/token`,
    ...controls,
    close: () => {
      closing ??= new Promise<void>((resolve) => {
        server.close(() => resolve());
        // Keep-alive sockets would otherwise hold close() open for the keep-alive timeout.
        server.closeAllConnections();
      });
      return closing;
    },
  };
}
