/**
 * One Light budget for every runner of a Zoom account, kept in Redis through Bottleneck's clustering. Everything
 * Redis-specific lives here: the connection, the key (a hash of the account id), the Redis clock for Bottleneck's
 * scripts, and the table of live runners whose slowest rate the whole cluster paces at.
 */
import { createHash } from "node:crypto";
import { createRequire } from "node:module";
import Bottleneck from "bottleneck";
import type { Logger } from "../cli/logger.js";
import { OffboardError } from "../domain/errors.js";

export interface SharedBudget {
  /** Bottleneck's id for the account's shared limiter: a hash, never the account id itself. */
  readonly id: string;
  readonly connection: Bottleneck.IORedisConnection;
  /** Where Redis is, without credentials, for logs. */
  readonly where: string;
  /**
   * Record this runner's rate (undefined: it is leaving) and learn the rate the cluster should pace at: the
   * slowest live runner's. `minTimeMs` is Bottleneck's current shared spacing, so a caller sees whether to update it.
   */
  publishRate(
    rps: number | undefined,
  ): Promise<{ slowestRps: number | undefined; minTimeMs: number | undefined }>;
  /** How long the Redis connection has been down (ms, on this module's clock), or undefined while it is up. */
  downForMs(): number | undefined;
  /** Called when the connection is ready again after being down. */
  onReconnect(listener: () => void): void;
  /** Quit (or drop, when Redis is gone) both connections. */
  disconnect(): Promise<void>;
}

export interface SharedBudgetOptions {
  url: string;
  accountId: string;
  logger: Logger;
  now?: () => number;
  connectTimeoutMs?: number;
}

/** A runner that has not refreshed its rate for this long has crashed or hangs: its rate no longer counts. */
const RUNNER_STALE_MS = 3000;
/** Keys disappear this long after the last runner's last request, so the next run starts from its own settings. */
export const SHARED_KEY_TTL_MS = 60_000;

// Bottleneck's scripts take `now` from the caller's clock (Date.now()), so runners on machines whose clocks differ
// would each compute a different "next free slot" and send closer together than minTime. Every script reads
// Redis's own clock instead: one clock for the whole cluster. (Bottleneck ships a get_time helper for this but
// never uses it, and that helper drops the leading zeros of the microseconds.)
const CALLER_CLOCK = "local now = tonumber(ARGV[1])";
const REDIS_CLOCK =
  "if redis.replicate_commands then redis.replicate_commands() end\n" +
  "local redis_time = redis.call('time')\n" +
  "local now = tonumber(redis_time[1]) * 1000 + math.floor(tonumber(redis_time[2]) / 1000)";

interface BottleneckScripts {
  names: string[];
  payload(name: string): string;
}

// `timeout` makes the scripts PEXPIRE the keys, and PEXPIRE takes whole milliseconds only: with a fractional
// minTime (1025 ms / 50 = 20.5 ms) the TTL is fractional and every script that refreshes it fails.
const FRACTIONAL_TTL = "redis.call('pexpire', KEYS[i], ttl)";
const WHOLE_TTL = "redis.call('pexpire', KEYS[i], math.ceil(ttl))";

function redisClockScripts(): Array<{ name: string; lua: string }> {
  // Bottleneck keeps its Lua in lib/Scripts.js (pinned at 2.19.5, its last release); it has no `exports` map.
  const scripts = createRequire(import.meta.url)("bottleneck/lib/Scripts.js") as BottleneckScripts;
  return scripts.names.map((name) => {
    const lua = scripts.payload(name);
    if (!lua.includes(CALLER_CLOCK))
      throw new Error(`bottleneck script ${name} has no caller clock to replace`);
    return { name, lua: lua.replace(CALLER_CLOCK, REDIS_CLOCK).replace(FRACTIONAL_TTL, WHOLE_TTL) };
  });
}

// KEYS[1] runner -> "rps:seenAtMs"; KEYS[2] Bottleneck's settings hash. ARGV: runner, rps ('' = leaving), staleMs,
// ttlMs. Returns strings: Redis would truncate a Lua number to an integer.
const PUBLISH_RATE = `
local t = redis.call('time')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
if ARGV[2] == '' then
  redis.call('hdel', KEYS[1], ARGV[1])
else
  redis.call('hset', KEYS[1], ARGV[1], ARGV[2] .. ':' .. now)
end
local slowest = nil
local entries = redis.call('hgetall', KEYS[1])
for i = 1, #entries, 2 do
  local rps, seen = string.match(entries[i + 1], '^([^:]+):(.+)$')
  rps = tonumber(rps)
  seen = tonumber(seen)
  if rps == nil or seen == nil or now - seen > tonumber(ARGV[3]) then
    redis.call('hdel', KEYS[1], entries[i])
  elseif slowest == nil or rps < slowest then
    slowest = rps
  end
end
redis.call('pexpire', KEYS[1], ARGV[4])
local minTime = redis.call('hget', KEYS[2], 'minTime')
return { slowest and tostring(slowest) or '', minTime or '' }
`;

/** Bottleneck's limiter id for an account: the budget is the account's, whichever file or machine runs. */
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
 * Connect to Redis (a short timeout, no retry: unreachable at start is a configuration problem, exit 2 before
 * anything is sent). Once connected, a lost connection is retried for ever by ioredis and commands wait for it;
 * the limiter decides how long that may take before it stops the run.
 */
export async function connectSharedBudget(options: SharedBudgetOptions): Promise<SharedBudget> {
  const now = options.now ?? Date.now;
  const { logger } = options;
  const where = redisWhere(options.url);
  const runner = `${process.pid}-${Math.random().toString(36).slice(2, 10)}`;
  let connected = false;
  let downSince: number | undefined;
  const reconnectListeners: Array<() => void> = [];

  // Loaded here, not at the top: ioredis costs ~0.15 s of start-up, and only runs with --redis need it.
  const { Redis } = await import("ioredis");
  const client = new Redis(options.url, {
    lazyConnect: true,
    connectTimeout: options.connectTimeoutMs ?? 2000,
    // null: commands wait while ioredis reconnects instead of failing after 20 tries; the limiter bounds the wait.
    maxRetriesPerRequest: null,
    retryStrategy: (times) => (connected ? Math.min(100 * times, 1000) : null),
  });
  client.on("error", (error: Error & { code?: string }) => {
    logger.debug({ redis: where, code: error.code, err: error.message }, "redis connection error");
  });
  client.on("close", () => {
    if (connected) downSince ??= now();
  });
  client.on("ready", () => {
    if (downSince === undefined) return;
    logger.info({ redis: where, downMs: now() - downSince }, "redis connection back");
    downSince = undefined;
    for (const listener of reconnectListeners) listener();
  });
  try {
    await client.connect();
  } catch (error) {
    client.disconnect();
    const code = (error as { code?: unknown }).code;
    throw new OffboardError(
      "REDIS_UNAVAILABLE",
      `cannot reach Redis at ${where} for the shared rate limit (${typeof code === "string" ? code : error instanceof Error ? error.message : String(error)}); ` +
        "start it (redis-server) or leave out --redis / ZOOM_OFFBOARD_REDIS_URL to pace this run alone",
      { cause: error },
    );
  }
  connected = true;
  // Bottleneck subscribes on a duplicate of this client, which must connect by itself.
  client.options.lazyConnect = false;
  // `Redis` given, Bottleneck does not load ioredis itself (with an eval'd `require`, which a bundle lacks).
  const connection = new Bottleneck.IORedisConnection({ client, Redis });
  // Bottleneck defines its scripts on the client once both connections are ready; point its names at ours.
  const internals = connection as unknown as { _loadScripts(): void };
  internals._loadScripts = () => {
    for (const { name, lua } of redisClockScripts()) client.defineCommand(name, { lua });
  };
  connection.on("error", (error) =>
    logger.debug({ redis: where, err: error.message }, "redis limiter error"),
  );
  // (The typings call `ready` a method; in 2.19.5 it is a promise. The limiter's `ready()` awaits it anyway.)

  const id = sharedBudgetId(options.accountId);
  const runnersKey = `${id}_zo_runners`;
  const settingsKey = `b_${id}_settings`;
  return {
    id,
    connection,
    where,
    async publishRate(rps) {
      const reply = (await client.eval(
        PUBLISH_RATE,
        2,
        runnersKey,
        settingsKey,
        runner,
        rps === undefined ? "" : String(rps),
        String(RUNNER_STALE_MS),
        String(SHARED_KEY_TTL_MS),
      )) as [string, string];
      const slowest = Number.parseFloat(reply[0]);
      const minTime = Number.parseFloat(reply[1]);
      return {
        slowestRps: Number.isFinite(slowest) ? slowest : undefined,
        minTimeMs: Number.isFinite(minTime) ? minTime : undefined,
      };
    },
    downForMs() {
      return downSince === undefined ? undefined : now() - downSince;
    },
    onReconnect(listener) {
      reconnectListeners.push(listener);
    },
    async disconnect() {
      connected = false;
      if (downSince === undefined && client.status === "ready") {
        await Promise.resolve()
          .then(() => connection.disconnect(true))
          .catch(() => undefined);
      } else {
        // Quitting waits for Redis to answer; when it is gone, drop the sockets (queued commands fail).
        await Promise.resolve()
          .then(() => connection.disconnect(false))
          .catch(() => undefined);
      }
    },
  };
}
