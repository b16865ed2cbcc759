import type { RunOptions as RunConfig } from "../app/run-options.js";
import type { Logger } from "../cli/logger.js";
import type { Action } from "../domain/actions.js";
import { OffboardError } from "../domain/errors.js";
import type { StopControl } from "../domain/stop.js";
import { MEDIUM_RPS } from "../domain/tiers.js";
import { createDispatcher } from "../zoom/dispatcher.js";
import { createTokenManager, type TokenManager } from "../zoom/token-manager.js";
import { createZoomClient, type ZoomClient } from "../zoom/zoom-client.js";
import { pacedRps } from "./pacing.js";
import { createRateLimiter, type RateLimiter } from "./rate-limiter.js";
import { type RowResult, sendRow } from "./send-row.js";
import { connectSharedBudget } from "./shared-budget.js";
import type { RetryDeps } from "./with-retries.js";

/** Everything a run needs to talk to Zoom: one token, one client, one Light limiter, and their counters. */
export interface ZoomSession {
  client: ZoomClient;
  tokens: TokenManager;
  /** The Light budget: status changes and per-user look-ups both draw on it. */
  limiter: RateLimiter;
  /** The Medium budget: directory pages (GET /users), a budget of its own. */
  mediumLimiter: RateLimiter;
  /** Retry settings and counters shared by every request of the run (look-ups take their limiter from here). */
  retry: Omit<RetryDeps, "limiter">;
  /** Send one row's status change through the limiter with retries; never throws for a row's failure. */
  sendStatus(user: string, action: Action): Promise<RowResult>;
  readonly counters: SessionCounters;
  close(): Promise<void>;
}

export interface SessionCounters {
  /** Status-change requests sent, retries included. */
  statusRequests: number;
  /** 429s absorbed (retried) across the run. */
  rateLimited: number;
  firstRequestAt: number | undefined;
}

export interface SessionDeps {
  logger: Logger;
  stop: StopControl;
  now: () => number;
  random: () => number;
  sleep: (ms: number, signal: AbortSignal) => Promise<void>;
}

/**
 * Get a token (refused credentials throw AUTH_FAILED before anything else is sent; an unreachable token
 * endpoint stops the run so that every row is reported not_attempted and can be resumed) and set up pacing.
 */
export async function openZoomSession(config: RunConfig, deps: SessionDeps): Promise<ZoomSession> {
  const { logger, stop } = deps;
  const credentials = config.credentials;
  if (credentials === undefined) {
    throw new OffboardError("CONFIG_INVALID", "no Zoom credentials for a run that talks to Zoom");
  }
  // Redis first: when it is unreachable, nothing at all is sent (the token request included): exit 2.
  const limiter = await openLimiter(config, logger);
  // One pool for the API and the token endpoint; a few spare sockets for the look-ups beside the changes.
  const dispatcher = createDispatcher({ connections: config.concurrency + 4 });
  // Three at a time: the directory's three status lists are read side by side.
  const mediumLimiter = createRateLimiter({ rps: MEDIUM_RPS[config.tier], concurrency: 3, logger });
  const closeAll = async (): Promise<void> => {
    await limiter.close();
    await mediumLimiter.close();
    await dispatcher.close();
  };
  const tokens = createTokenManager({
    oauthUrl: config.oauthUrl,
    ...credentials,
    dispatcher,
    timeoutMs: config.timeoutMs,
    unavailableBudgetMs: config.tokenWaitMs,
    logger,
  });
  try {
    await tokens.getToken();
  } catch (error) {
    if (!(error instanceof OffboardError && error.code === "AUTH_UNAVAILABLE")) {
      await closeAll();
      throw error;
    }
    stop.stop({ kind: "auth", message: error.message });
  }
  const client = createZoomClient({
    apiUrl: config.apiUrl,
    dispatcher,
    tokens,
    timeoutMs: config.timeoutMs,
  });
  const haltAll = (): void => {
    limiter.halt();
    mediumLimiter.halt();
  };
  stop.onStop(haltAll);
  if (stop.stopped) haltAll();
  logger.info(
    {
      tier: config.tier,
      rpsLimit: config.rps,
      share: config.share,
      pacedRps: Number(pacedRps(config.rps * config.share).toFixed(2)),
      sharedThroughRedis: config.redisUrl !== undefined,
      concurrency: config.concurrency,
    },
    "pacing Light requests",
  );

  const counters: SessionCounters = { statusRequests: 0, rateLimited: 0, firstRequestAt: undefined };
  const retry: Omit<RetryDeps, "limiter"> = {
    stop,
    maxAttempts: config.maxAttempts,
    random: deps.random,
    sleep: deps.sleep,
    logger,
    onRateLimited: () => {
      counters.rateLimited += 1;
    },
  };
  const setStatus: ZoomClient["setStatus"] = (user, action, onWire) => {
    counters.statusRequests += 1;
    counters.firstRequestAt ??= deps.now();
    return client.setStatus(user, action, onWire);
  };
  return {
    client,
    tokens,
    limiter,
    mediumLimiter,
    counters,
    retry,
    sendStatus: (user, action) =>
      sendRow(user, action, { ...retry, limiter, setStatus, now: () => new Date(deps.now()) }),
    close: closeAll,
  };
}

/**
 * Runners in other processes (other machines) start their requests with more jitter than one process does: an
 * event loop busy starting up, a farther Redis, a different path to Zoom. Each is late by its own amount, so the
 * margin that keeps a sliding second under the budget is wider: 90 ms costs 8 % of the budget instead of 2.4 %.
 */
const SHARED_MARGIN_MS = 90;

/** The Light limiter: this process alone, or (with --redis) shared by every runner of the account. */
async function openLimiter(config: RunConfig, logger: Logger): Promise<RateLimiter> {
  const rps = config.rps * config.share;
  const accountId = config.credentials?.accountId;
  if (config.redisUrl === undefined || accountId === undefined) {
    return createRateLimiter({ rps, concurrency: config.concurrency, logger });
  }
  const shared = await connectSharedBudget({ url: config.redisUrl, accountId, logger });
  const limiter = createRateLimiter({
    rps,
    concurrency: config.concurrency,
    logger,
    shared,
    marginMs: SHARED_MARGIN_MS,
  });
  try {
    await limiter.ready();
  } catch (error) {
    await limiter.close();
    throw error;
  }
  return limiter;
}
