import { Command, Option } from "commander";
import { OffboardError } from "../../domain/errors.js";
import { DEFAULT_CREDENTIALS } from "../../sim/default-credentials.js";
import type { SimTier, Simulator, SimulatorOptions } from "../../sim/server.js";

/** The flags as commander hands them over: every value still a string. */
export interface SimulateFlags {
  port?: string;
  host?: string;
  tier?: string;
  lightRps?: string;
  dailyLimit?: string;
  users?: string;
  generate?: string;
  latency?: string;
  jitter?: string;
  errorRate?: string;
  dropRate?: string;
  lostRate?: string;
  unappliedRate?: string;
  unappliedUsers?: string;
  otherApp?: string;
  tokenLifetime?: string;
  seed?: string;
  scopes?: string;
}

const TIERS: readonly SimTier[] = ["free", "pro", "business"];

function usage(flag: string, expected: string, value: string): never {
  throw new OffboardError("USAGE", `Expected \`${flag}\` to be ${expected}, got \`${value}\``);
}

/** Parses one numeric flag; undefined stays undefined so that the simulator's defaults apply. */
function numberFlag(
  flag: string,
  value: string | undefined,
  rule: { min: number; max?: number; integer?: boolean; minExclusive?: boolean },
): number | undefined {
  if (value === undefined) return undefined;
  const number = Number(value);
  const max = rule.max ?? Number.POSITIVE_INFINITY;
  const kind = rule.integer === true ? "an integer" : "a number";
  const range =
    max !== Number.POSITIVE_INFINITY
      ? `from ${rule.min} to ${max}`
      : `${rule.minExclusive === true ? ">" : ">="} ${rule.min}`;
  const tooSmall = rule.minExclusive === true ? number <= rule.min : number < rule.min;
  if (
    value.trim() === "" ||
    !Number.isFinite(number) ||
    tooSmall ||
    number > max ||
    (rule.integer === true && !Number.isInteger(number))
  ) {
    usage(flag, `${kind} ${range}`, value);
  }
  return number;
}

/**
 * Turns the flags (and the environment, for credentials) into simulator options, without starting anything.
 * `--users` is not read here (file I/O); the action loads it. Credentials come from ZOOM_ACCOUNT_ID /
 * ZOOM_CLIENT_ID / ZOOM_CLIENT_SECRET when set, so the tool can run unchanged against the simulator.
 */
export function parseSimulateOptions(
  flags: SimulateFlags,
  env: Readonly<Record<string, string | undefined>> = {},
): SimulatorOptions {
  const tier = flags.tier ?? "pro";
  if (!(TIERS as readonly string[]).includes(tier)) usage("--tier", TIERS.join(" | "), tier);
  const rate = (flag: string, value: string | undefined) => numberFlag(flag, value, { min: 0, max: 1 });
  const options: SimulatorOptions = {
    tier: tier as SimTier,
    host: flags.host ?? "127.0.0.1",
    port: numberFlag("--port", flags.port, { min: 0, max: 65535, integer: true }) ?? 0,
    lightRps: numberFlag("--light-rps", flags.lightRps, { min: 1 }),
    dailyLightLimit: numberFlag("--daily-limit", flags.dailyLimit, { min: 0, integer: true }),
    generateUsers: numberFlag("--generate", flags.generate, { min: 0, integer: true }),
    latencyMs: numberFlag("--latency", flags.latency, { min: 0 }),
    latencyJitterMs: numberFlag("--jitter", flags.jitter, { min: 0 }),
    faults: definedOnly({
      serverErrorRate: rate("--error-rate", flags.errorRate),
      dropRate: rate("--drop-rate", flags.dropRate),
      lostResponseRate: rate("--lost-rate", flags.lostRate),
      unappliedRate: rate("--unapplied-rate", flags.unappliedRate),
    }),
    unappliedUsers: listFlag(flags.unappliedUsers),
    otherAppShare: rate("--other-app", flags.otherApp),
    tokenLifetimeSec: numberFlag("--token-lifetime", flags.tokenLifetime, { min: 0, minExclusive: true }),
    seed: numberFlag("--seed", flags.seed, { min: Number.MIN_SAFE_INTEGER, integer: true }),
    scopes: scopesFlag(flags.scopes),
  };
  const { ZOOM_ACCOUNT_ID, ZOOM_CLIENT_ID, ZOOM_CLIENT_SECRET } = env;
  if (ZOOM_ACCOUNT_ID || ZOOM_CLIENT_ID || ZOOM_CLIENT_SECRET) {
    options.credentials = {
      accountId: ZOOM_ACCOUNT_ID || DEFAULT_CREDENTIALS.accountId,
      clientId: ZOOM_CLIENT_ID || DEFAULT_CREDENTIALS.clientId,
      clientSecret: ZOOM_CLIENT_SECRET || DEFAULT_CREDENTIALS.clientSecret,
    };
  }
  return definedOnly(options);
}

/** `--scopes "a b"`: space-separated, as in the token answer; an empty value grants none (for 4711 tests). */
function scopesFlag(value: string | undefined): string[] | undefined {
  if (value === undefined) return undefined;
  const scopes = value.split(/\s+/).filter((scope) => scope !== "");
  const bad = scopes.find((scope) => !/^[A-Za-z0-9_:.-]+$/.test(scope));
  if (bad !== undefined) usage("--scopes", "space-separated scopes like `user:read:admin`", bad);
  return scopes;
}

/** `--unapplied-users "a@x.com,u1"`: comma-separated ids or emails, blanks around them ignored. */
function listFlag(value: string | undefined): string[] | undefined {
  if (value === undefined) return undefined;
  return value
    .split(",")
    .map((entry) => entry.trim())
    .filter((entry) => entry !== "");
}

/** Leaves unset values out, so the simulator's own defaults apply and the options print cleanly. */
function definedOnly<T extends object>(object: T): T {
  return Object.fromEntries(Object.entries(object).filter(([, value]) => value !== undefined)) as T;
}

export interface SimulateIo {
  stdout: { write(text: string): unknown };
  stderr: { write(text: string): unknown };
  /** Resolves when the simulator should stop (SIGINT/SIGTERM in the CLI, a promise in tests). */
  until: Promise<unknown>;
}

/** Starts the simulator, announces it (one JSON line on stdout, a hint on stderr), serves until `io.until`. */
export async function runSimulate(options: SimulatorOptions, io: SimulateIo): Promise<Simulator> {
  // Loaded on use: every `run` parses this command's definition, and the simulator is a fifth of the start-up.
  const { startSimulator } = await import("../../sim/server.js");
  const simulator = await startSimulator(options);
  try {
    const { url, apiUrl, oauthUrl } = simulator;
    io.stdout.write(`${JSON.stringify({ url, apiUrl, oauthUrl })}\n`);
    const users = simulator.allUsers().length;
    const credentials =
      options.credentials === undefined ? "the simulator's defaults" : "ZOOM_* from the environment";
    io.stderr.write(
      `Zoom simulator (tier ${options.tier ?? "pro"}, ${users} users) listening on ${url}\n` +
        `  point the tool at it: ZOOM_API_URL=${apiUrl} ZOOM_OAUTH_URL=${oauthUrl} (credentials: ${credentials})\n` +
        `  stats: curl ${url}/_sim/stats   stop: Ctrl-C\n`,
    );
    await io.until;
  } finally {
    await simulator.close();
  }
  return simulator;
}

/** Resolves on the first SIGINT or SIGTERM; `dispose` stops listening (also when the signal never came). */
function waitForSignal(): { signal: Promise<NodeJS.Signals>; dispose: () => void } {
  let onSignal: (signal: NodeJS.Signals) => void = () => {};
  const signal = new Promise<NodeJS.Signals>((resolve) => {
    onSignal = resolve;
  });
  process.on("SIGINT", onSignal);
  process.on("SIGTERM", onSignal);
  return {
    signal,
    dispose: () => {
      process.off("SIGINT", onSignal);
      process.off("SIGTERM", onSignal);
    },
  };
}

export function simulateCommand(): Command {
  return new Command("simulate")
    .description("serve a local Zoom API stand-in on loopback (for rehearsals, demos and tests)")
    .option("--port <n>", "port to listen on; 0 = any free port (the URL is printed)", "0")
    .option("--host <addr>", "address to listen on", "127.0.0.1")
    .addOption(new Option("--tier <tier>", "plan whose limits to enforce").choices(TIERS).default("pro"))
    .option("--light-rps <n>", "Light requests per second (default: the tier's: free 4, pro 30, business 80)")
    .option("--daily-limit <n>", "Light requests per UTC day (default: free 6000, others unlimited)")
    .option(
      "--users <csv>",
      "seed the directory from a CSV: id,email,status,role[,type][,meetings,webinars,recordings,...][,flags]",
    )
    .option("--generate <n>", "also generate N active members user1@example.com ...")
    .option("--latency <ms>", "mean extra latency per API request")
    .option("--jitter <ms>", "uniform +/- jitter on the latency")
    .option("--error-rate <0..1>", "share of API requests answered 500/502/503")
    .option("--drop-rate <0..1>", "share of API requests whose connection is dropped unanswered")
    .option("--lost-rate <0..1>", "share of API requests applied but then dropped unanswered")
    .option(
      "--unapplied-rate <0..1>",
      "share of changes answered as made (same status and body) but left unmade; look-ups are unaffected",
    )
    .option("--unapplied-users <list>", "comma-separated ids or emails whose changes are never made")
    .option("--other-app <0..1>", "share of the Light budget used by another app on the account")
    .option("--token-lifetime <s>", "access token lifetime in seconds (default 3600)")
    .option("--seed <n>", "seed for faults, jitter and generated ids (default 1)")
    .option(
      "--scopes <list>",
      'scopes granted to the app, space-separated (default "user:write:admin user:read:admin")',
    )
    .addHelpText(
      "after",
      `
Prints one JSON line {"url","apiUrl","oauthUrl"} on stdout once listening, then serves until SIGINT/SIGTERM.
Credentials: ZOOM_ACCOUNT_ID / ZOOM_CLIENT_ID / ZOOM_CLIENT_SECRET when set, else sim-account / sim-client / sim-secret.
Operations: GET /users, GET|PATCH|DELETE /users/{userId}, PUT /users/{userId}/status,
DELETE /users/{userId}/token. A route whose scopes the app lacks answers 400 code 4711.
--users columns besides id,email,status,role (all optional): type (1 Basic, 2 Licensed, 4 Unassigned),
meetings, webinars, recordings, whiteboards, clipfiles, notes, docs, visitors (counts), and true/false flags
upcoming_events, managed_domain, call_queue_manager, invitation_expired, delete_refused.
Control routes: GET /_sim/stats, GET /_sim/users/{idOrEmail}, POST /_sim/revoke-tokens, /_sim/next-day,
/_sim/reset-stats, /_sim/faults (JSON rates, and "unappliedUsers": [ids or emails] to replace that list),
/_sim/token-outage ({"untilMs": n|null}),
/_sim/refuse: make one route refuse every request until cleared, e.g.
  {"route":"put_status","status":403}                     403, as when the account loses API access
  {"route":"delete_user","code":4711}                     400 code 4711, as when the app loses a scope
  {"route":"put_status","status":403,"afterRequests":5}   the same after 5 more requests get through
  {"route":"put_status","off":true}                       clear it
  routes: get_user list_users put_status sign_out update_user delete_user; "message" overrides the text.`,
    )
    .action(async (flags: SimulateFlags) => {
      const options = parseSimulateOptions(flags, process.env);
      if (flags.users !== undefined) {
        try {
          const { loadSimUsers } = await import("../../sim/users.js");
          options.users = await loadSimUsers(flags.users);
        } catch (error) {
          throw new OffboardError("CONFIG_INVALID", `--users: ${(error as Error).message}`, { cause: error });
        }
      }
      const { signal, dispose } = waitForSignal();
      try {
        await runSimulate(options, { stdout: process.stdout, stderr: process.stderr, until: signal });
      } catch (error) {
        // EADDRINUSE, EACCES, EADDRNOTAVAIL: a configuration problem, not a crash.
        const code = (error as NodeJS.ErrnoException).code;
        if (code === undefined || (!code.startsWith("EADDR") && code !== "EACCES")) throw error;
        const where = `${options.host}:${options.port}`;
        throw new OffboardError("CONFIG_INVALID", `cannot listen on ${where}: ${code}`, { cause: error });
      } finally {
        dispose();
      }
    });
}
