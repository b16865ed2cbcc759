/**
 * One budget for every runner of a Zoom account, on one machine or many: a schedule in Redis that each runner books
 * its turns from (shared-slots-lua.ts). Everything Redis-specific lives here: the connection, the keys (named from a
 * hash of the account id), and how long Redis may stay away before the run stops.
 */
import { createHash } from "node:crypto";
import type { Redis as RedisClient, Result } from "ioredis";
import type { Logger } from "pino";
import { OffboardError } from "../domain/errors.js";
import { type Clock, createSleeper, systemClock } from "./clock.js";
import { SHARED_SLOTS_LUA } from "./shared-slots-lua.js";

declare module "ioredis" {
  interface RedisCommander<Context> {
    /** shared-slots-lua.ts, defined on the client with `defineCommand`. */
    zoomOffboardSlots(runners: string, schedule: string, ...args: string[]): Result<string[], Context>;
  }
}

export interface Reservation {
  /** From now until this runner's turn. */
  waitMs: number;
  /** The rate the turn was spaced at: the slowest live runner's. */
  paceRps: number;
}

export interface SharedSlots {
  /** Where Redis is, without credentials, for logs. */
  readonly where: string;
  /**
   * Book this runner's next turn, one request's worth, and record it as live at `ownRps`: the turn comes one spacing
   * (at the slowest live runner's rate, with `marginMs`) after the last one booked, and not before a pause ends.
   */
  reserve(ownRps: number, marginMs: number): Promise<Reservation>;
  /** Hold every runner's next turn until `ms` from now. */
  pause(ms: number): Promise<void>;
  /** Stop counting as live, so that the others go back to their own rate at once. */
  leave(): Promise<void>;
  /** Leave (while Redis is there) and disconnect. */
  close(): Promise<void>;
}

export interface SharedSlotsOptions {
  url: string;
  accountId: string;
  /** Unique among the runners of the account (the caller's process id and a random suffix, say). */
  runnerId: string;
  clock?: Clock;
  logger?: Logger;
  connectTimeoutMs?: number;
  /** How long Redis may be away mid-run, counted from when it went, before reservations fail (default 10 s). */
  outageBudgetMs?: number;
  /** A runner that has booked no turn for this long has crashed or hangs: its rate stops counting (default 3 s). */
  runnerStaleMs?: number;
  /** Keys disappear this long after the last turn booked, so a later run starts afresh (default a minute). */
  keyTtlMs?: number;
}

/** A command that failed while connected is tried again after this long, within the outage budget. */
const RETRY_MS = 250;

/** The budget's name in Redis: a hash of the account, never the account id itself. */
export function sharedBudgetId(accountId: string): string {
  const digest = createHash("sha256").update(`zoom-offboard\n${accountId}`).digest("hex").slice(0, 24);
  return `zoom-offboard-light-${digest}`;
}

/** `host:port` of a Redis URL, without user or password. */
export function redisWhere(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.hostname}:${parsed.port || "6379"}`;
  } catch {
    return "redis";
  }
}

/**
 * Connect with a short timeout and no retry: Redis unreachable at start is a configuration problem, and the run
 * stops before anything is sent. Once connected, ioredis reconnects for ever and commands wait for it; they fail
 * with REDIS_UNAVAILABLE once Redis has been away longer than the outage budget.
 */
export async function connectSharedSlots(options: SharedSlotsOptions): Promise<SharedSlots> {
  const clock = options.clock ?? systemClock;
  const { logger } = options;
  const where = redisWhere(options.url);
  const outageBudgetMs = options.outageBudgetMs ?? 10_000;
  let connected = false;
  // Loaded here, not at the top: ioredis costs start-up time, and only runs with a shared budget need it.
  const { Redis } = await import("ioredis");
  const client: RedisClient = new Redis(options.url, {
    lazyConnect: true,
    connectTimeout: options.connectTimeoutMs ?? 2000,
    // null: commands wait while ioredis reconnects; the outage budget below bounds that wait.
    maxRetriesPerRequest: null,
    retryStrategy: (times) => (connected ? Math.min(100 * times, 1000) : null),
  });
  client.defineCommand("zoomOffboardSlots", { numberOfKeys: 2, lua: SHARED_SLOTS_LUA });
  client.on("error", (error: Error & { code?: string }) => {
    logger?.debug({ redis: where, code: error.code, err: error.message }, "redis connection error");
  });
  try {
    await client.connect();
  } catch (error) {
    client.disconnect();
    const code = (error as { code?: unknown }).code;
    const reason = typeof code === "string" ? code : error instanceof Error ? error.message : String(error);
    throw new OffboardError(
      "REDIS_UNAVAILABLE",
      `cannot reach Redis at ${where} for the shared rate limit (${reason}); ` +
        "start it (redis-server) or leave out --redis / ZOOM_OFFBOARD_REDIS_URL to pace this run alone",
      { cause: error },
    );
  }
  connected = true;

  // Away: the connection is down, or commands fail while it is up. Either way the budget runs from the start.
  let awaySince: number | undefined;
  let outageTimer: unknown;
  let lost: OffboardError | undefined;
  let loseAll: (error: OffboardError) => void = () => {};
  const whenLost = new Promise<never>((_, reject) => {
    loseAll = reject;
  });
  whenLost.catch(() => undefined);
  const checkOutage = (): void => {
    outageTimer = undefined;
    if (awaySince === undefined) return;
    const leftMs = awaySince + outageBudgetMs - clock.now();
    if (leftMs > 0) {
      outageTimer = clock.setTimeout(checkOutage, leftMs);
      return;
    }
    lost = new OffboardError(
      "REDIS_UNAVAILABLE",
      `lost Redis at ${where} (the shared rate limit) for over ${Math.round(outageBudgetMs / 1000)} s`,
    );
    loseAll(lost);
  };
  const away = (): void => {
    if (awaySince !== undefined || lost !== undefined) return;
    awaySince = clock.now();
    outageTimer = clock.setTimeout(checkOutage, outageBudgetMs);
  };
  const back = (): void => {
    if (awaySince === undefined) return;
    logger?.info({ redis: where, downMs: clock.now() - awaySince }, "redis connection back");
    awaySince = undefined;
    if (outageTimer !== undefined) clock.clearTimeout(outageTimer);
    outageTimer = undefined;
  };
  client.on("close", () => {
    if (connected) away();
  });
  client.on("ready", back);
  const retries = createSleeper(clock);

  const id = sharedBudgetId(options.accountId);
  // The braces keep both keys in one slot of a Redis Cluster, as a script that touches two keys needs.
  const keys = [`{${id}}:runners`, `{${id}}:schedule`] as const;
  const limits = [String(options.runnerStaleMs ?? 3000), String(options.keyTtlMs ?? 60_000)];
  const slots = async (op: string, value = "", marginMs = ""): Promise<string[]> => {
    for (;;) {
      if (lost) throw lost;
      try {
        const command = client.zoomOffboardSlots(...keys, op, options.runnerId, value, marginMs, ...limits);
        const reply = await Promise.race([command, whenLost]);
        back();
        return reply;
      } catch (error) {
        if (error === lost) throw error;
        logger?.debug(
          { redis: where, err: error instanceof Error ? error.message : String(error) },
          "redis erred",
        );
        away();
        await Promise.race([retries.sleep(RETRY_MS), whenLost]);
      }
    }
  };

  return {
    where,
    async reserve(ownRps, marginMs) {
      const [waitMs, paceRps] = await slots("reserve", String(ownRps), String(marginMs));
      return { waitMs: Number(waitMs), paceRps: Number(paceRps) };
    },
    async pause(ms) {
      await slots("pause", String(Math.ceil(ms)));
    },
    async leave() {
      await slots("leave");
    },
    async close() {
      const reachable = client.status === "ready" && lost === undefined;
      if (reachable) await slots("leave").catch(() => undefined);
      connected = false;
      retries.wakeAll();
      if (outageTimer !== undefined) clock.clearTimeout(outageTimer);
      // Quitting waits for Redis to answer; when it is gone, drop the socket (queued commands fail).
      if (reachable) await client.quit().catch(() => undefined);
      else client.disconnect();
    },
  };
}
