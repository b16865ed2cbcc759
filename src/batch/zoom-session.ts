import type { Dispatcher } from "undici";
import type { RunConfig } from "../cli/run-config.js";
import type { Action } from "../domain.js";
import { OffboardError } from "../errors.js";
import type { Logger } from "../log/logger.js";
import { createTokenManager, type TokenManager } from "../zoom/token-manager.js";
import { createZoomClient, type ZoomClient } from "../zoom/zoom-client.js";
import { pacedRps } from "./pacing.js";
import { createRateLimiter, type RateLimiter } from "./rate-limiter.js";
import { type RowResult, sendRow } from "./send-row.js";
import type { StopControl } from "./stop-control.js";
import type { RetryDeps } from "./with-retries.js";

/** Everything a run needs to talk to Zoom: one token, one client, one Light limiter, and their counters. */
export interface ZoomSession {
  client: ZoomClient;
  tokens: TokenManager;
  /** The Light budget: status changes and per-user look-ups both draw on it. */
  limiter: RateLimiter;
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
  dispatcher: Dispatcher;
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
  const tokens = createTokenManager({
    oauthUrl: config.oauthUrl,
    ...credentials,
    dispatcher: deps.dispatcher,
    timeoutMs: config.timeoutMs,
    unavailableBudgetMs: config.tokenWaitMs,
    logger,
  });
  try {
    await tokens.getToken();
  } catch (error) {
    if (!(error instanceof OffboardError && error.code === "AUTH_UNAVAILABLE")) throw error;
    stop.stop({ kind: "auth", message: error.message });
  }
  const client = createZoomClient({
    apiUrl: config.apiUrl,
    dispatcher: deps.dispatcher,
    tokens,
    timeoutMs: config.timeoutMs,
  });
  const limiter = createRateLimiter({ rps: config.rps, concurrency: config.concurrency, logger });
  stop.onStop(() => limiter.halt());
  if (stop.stopped) limiter.halt();
  logger.info(
    {
      tier: config.tier,
      rpsLimit: config.rps,
      pacedRps: Number(pacedRps(config.rps).toFixed(2)),
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
  const setStatus: ZoomClient["setStatus"] = (user, action) => {
    counters.statusRequests += 1;
    counters.firstRequestAt ??= deps.now();
    return client.setStatus(user, action);
  };
  return {
    client,
    tokens,
    limiter,
    counters,
    retry,
    sendStatus: (user, action) =>
      sendRow(user, action, { ...retry, limiter, setStatus, now: () => new Date(deps.now()) }),
    close: () => limiter.close(),
  };
}
