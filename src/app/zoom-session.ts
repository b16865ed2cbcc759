import type { Logger } from "pino";
import { OffboardError } from "../domain/errors.js";
import type { StopControl } from "../domain/stop.js";
import { MEDIUM_RPS } from "../domain/tiers.js";
import {
  type Clock,
  connectSharedSlots,
  createPacer,
  type Pacer,
  pacedRps,
  SHARED_MARGIN_MS,
  type SharedSlots,
} from "../pacing/index.js";
import type { TimelineRecorder } from "../report/timeline.js";
import type { RequestObserver, Sender } from "../send/sender.js";
import { createDispatcher } from "../zoom/dispatcher.js";
import type { OperationInfo } from "../zoom/operation.js";
import { createTokenManager } from "../zoom/token-manager.js";
import { createZoomClient } from "../zoom/zoom-client.js";
import type { RunOptions } from "./run-options.js";
import { checkScopes } from "./scopes.js";

/** A run's line to Zoom: one token, one client, a pacer per rate-limit budget, and the run's request counters. */
export interface ZoomSession {
  sender: Sender;
  /** The Light budget: changes and per-user look-ups draw on it. */
  light: Pacer;
  readonly counters: SessionCounters;
  close(): Promise<void>;
}

export interface SessionCounters {
  /** Requests that change something, retries included. */
  changeRequests: number;
  /** Look-up requests (per-user GETs and directory pages). */
  lookupRequests: number;
  /** Per-second 429s absorbed. */
  rateLimited: number;
  /** When the first change was written (epoch ms). */
  firstChangeAt: number | undefined;
}

export interface SessionDeps {
  logger: Logger;
  stop: StopControl;
  /** Epoch milliseconds. */
  now: () => number;
  random: () => number;
  sleep: (ms: number, signal: AbortSignal) => Promise<void>;
  /** The pacers' clock and timers (the system's unless a test fakes time). */
  clock?: Clock;
  /** Names this runner among the account's others when the budget is shared. */
  runnerId: string;
  /** Told of every request and answer too (the run's timeline). */
  observer?: RequestObserver;
  /** Where the run's pace, answers, pauses, rate changes and token refreshes are recorded, for its report. */
  timeline?: TimelineRecorder;
}

/**
 * Connect to the shared budget (when there is one) and get a token: refused credentials, or a Redis that cannot be
 * reached, throw before anything else is sent; a token endpoint that stays unavailable stops the run instead, so
 * that every row is reported not_attempted and can be resumed.
 */
export async function openZoomSession(
  options: RunOptions,
  deps: SessionDeps,
  needed: readonly OperationInfo[] = [],
): Promise<ZoomSession> {
  const { logger, stop } = deps;
  const credentials = options.credentials;
  if (credentials === undefined) {
    throw new OffboardError("CONFIG_INVALID", "no Zoom credentials for a run that talks to Zoom");
  }
  const shared =
    options.redisUrl === undefined
      ? undefined
      : await connectSharedSlots({
          url: options.redisUrl,
          accountId: credentials.accountId,
          runnerId: deps.runnerId,
          clock: deps.clock,
          logger,
        });
  const rps = options.rps * options.share;
  const { timeline } = deps;
  const light = createPacer({
    rps,
    concurrency: options.concurrency,
    shared,
    clock: deps.clock,
    logger,
    onPause: (ms) => timeline?.event(deps.now(), { type: "pause", duration_ms: Math.round(ms) }),
    onPaceChange: (fromRps, toRps) =>
      timeline?.event(deps.now(), { type: "rate_change", from_rps: fromRps, to_rps: toRps }),
  });
  // Three at a time: the directory's three status lists are read side by side.
  const medium = createPacer({
    rps: MEDIUM_RPS[options.tier],
    concurrency: 3,
    adaptive: false,
    clock: deps.clock,
  });
  // One pool for the API and the token endpoint; a few spare sockets for the look-ups beside the changes.
  const dispatcher = createDispatcher({ connections: options.concurrency + 4 });
  const close = async (): Promise<void> => {
    await Promise.all([light.close(), medium.close()]);
    await dispatcher.close();
  };
  const tokens = createTokenManager({
    oauthUrl: options.oauthUrl,
    ...credentials,
    dispatcher,
    timeoutMs: options.timeoutMs,
    unavailableBudgetMs: options.tokenWaitMs,
    logger,
    onRefresh: () => timeline?.event(deps.now(), { type: "token_refresh" }),
  });
  try {
    await tokens.getToken();
    checkScopes(tokens.grantedScopes, needed);
  } catch (error) {
    if (!(error instanceof OffboardError && error.code === "AUTH_UNAVAILABLE")) {
      await close();
      throw error;
    }
    stop.stop({ kind: "auth", message: error.message });
  }
  const haltAll = (): void => {
    light.halt();
    medium.halt();
  };
  stop.onStop(haltAll);
  if (stop.stopped) haltAll();
  logPacing(options, shared, logger);

  const counters: SessionCounters = {
    changeRequests: 0,
    lookupRequests: 0,
    rateLimited: 0,
    firstChangeAt: undefined,
  };
  const reads = (operation: OperationInfo): boolean => operation.undo.kind === "read_only";
  const observer: RequestObserver = {
    sent(operation, atMs) {
      if (reads(operation)) counters.lookupRequests += 1;
      else {
        counters.changeRequests += 1;
        counters.firstChangeAt ??= atMs;
      }
      timeline?.requestSent(atMs, reads(operation) ? "lookup" : "change");
      deps.observer?.sent(operation, atMs);
    },
    answered(operation, atMs, latencyMs, status) {
      timeline?.answered(atMs, latencyMs, status);
      deps.observer?.answered(operation, atMs, latencyMs, status);
    },
    rateLimited(operation) {
      counters.rateLimited += 1;
      deps.observer?.rateLimited(operation);
    },
  };
  const client = createZoomClient({
    apiUrl: options.apiUrl,
    dispatcher,
    tokens,
    timeoutMs: options.timeoutMs,
  });
  const sender: Sender = {
    client,
    pacers: { Light: light, Medium: medium },
    stop,
    maxAttempts: options.maxAttempts,
    random: deps.random,
    now: deps.now,
    sleep: deps.sleep,
    logger,
    observer,
  };
  return { sender, light, counters, close };
}

function logPacing(options: RunOptions, shared: SharedSlots | undefined, logger: Logger): void {
  const rps = options.rps * options.share;
  logger.info(
    {
      tier: options.tier,
      rpsLimit: options.rps,
      share: options.share,
      pacedRps: Number(pacedRps(rps, shared === undefined ? undefined : SHARED_MARGIN_MS).toFixed(2)),
      sharedThroughRedis: shared !== undefined,
      concurrency: options.concurrency,
    },
    "pacing Light requests",
  );
}
