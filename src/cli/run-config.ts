import type { Credentials, RunOptions } from "../app/run-options.js";
import { ACTIONS } from "../domain/actions.js";
import { isTimeZone, machineTimeZone, parseMoment } from "../domain/calendar.js";
import { OffboardError } from "../domain/errors.js";
import { LIGHT_RPS, TIERS } from "../domain/tiers.js";
import { LOOKUP_CHOICES } from "../lookup/choose-strategy.js";
import {
  DEFAULT_DEACTIVATION_LIMIT,
  DEFAULT_DELETION_LIMIT,
  parseDeactivationLimit,
} from "../lookup/guard.js";
import { defaultConcurrency } from "../pacing/spacing.js";
import {
  fraction,
  httpsUrl,
  oneOf,
  positiveInteger,
  positiveNumber,
  redisUrl,
  wholeNumber,
} from "./parse-values.js";
import { transferItems, transferTarget } from "./transfer-options.js";

/** A run's options as the pipeline takes them, plus what only the command line cares about. */
export interface RunConfig extends RunOptions {
  simulate: boolean;
  simUsersPath: string | undefined;
  json: boolean;
  logLevel: string;
  /** --yes: no question asked. Without a terminal a real run needs it. */
  yes: boolean;
  /** `--plan-required-over n`: a file that would change more users writes a plan for approval instead. */
  planRequiredOver: number | undefined;
}

/** Raw values as commander hands them over (strings, booleans, undefined). */
export interface RunFlags {
  dryRun?: boolean;
  asOf?: string;
  timezone?: string;
  action?: string;
  report?: string;
  tier?: string;
  rps?: string;
  concurrency?: string;
  maxAttempts?: string;
  timeout?: string;
  apiUrl?: string;
  oauthUrl?: string;
  simulate?: boolean;
  simUsers?: string;
  json?: boolean;
  logLevel?: string;
  lookup?: string;
  maxDeactivations?: string;
  protect?: string;
  yes?: boolean;
  resume?: string;
  force?: boolean;
  tokenWait?: string;
  transferTo?: string;
  /** `--transfer <list>`, or false for `--no-transfer`. */
  transfer?: string | false;
  maxDeletions?: string;
  share?: string;
  redis?: string;
  verify?: boolean;
  planRequiredOver?: string;
}

const LOG_LEVELS = ["fatal", "error", "warn", "info", "debug", "trace", "silent"] as const;

/**
 * Resolve flags and environment into a RunConfig, or throw a USAGE / CONFIG_INVALID error. Pure: the CLI passes
 * `process.env` in, tests pass a plain object.
 */
export function resolveRunConfig(
  inputPath: string,
  flags: RunFlags,
  env: Readonly<Record<string, string | undefined>>,
  terminal: { interactive: boolean } = { interactive: false },
): RunConfig {
  const tier = oneOf("--tier", flags.tier ?? env.ZOOM_TIER ?? "pro", TIERS);
  const requestedRps = flags.rps === undefined ? undefined : positiveNumber("--rps", flags.rps);
  let tierRps: number;
  if (tier === "custom") {
    if (requestedRps === undefined) {
      throw new OffboardError(
        "USAGE",
        "`--tier custom` needs `--rps <n>`: the Light limit Zoom agreed for the account",
      );
    }
    tierRps = requestedRps;
  } else {
    tierRps = LIGHT_RPS[tier];
  }
  if (requestedRps !== undefined && requestedRps > tierRps) {
    throw new OffboardError(
      "USAGE",
      `\`--rps ${requestedRps}\` is above the ${tier} plan's Light limit of ${tierRps}/s; ` +
        "an account with a negotiated higher limit says so with `--tier custom --rps N`",
    );
  }
  const rps = requestedRps ?? tierRps;

  const simulate = flags.simulate === true;
  const dryRun = flags.dryRun === true;
  const credentials = simulate ? undefined : readCredentials(env);
  if (!simulate && !dryRun && credentials === undefined) {
    throw new OffboardError(
      "CONFIG_INVALID",
      "set ZOOM_ACCOUNT_ID, ZOOM_CLIENT_ID and ZOOM_CLIENT_SECRET (a Server-to-Server OAuth app) to change anything; " +
        "use --dry-run to check the file offline, or --simulate to rehearse against the local simulator",
    );
  }
  const yes = flags.yes === true;
  if (!dryRun && !yes && !terminal.interactive) {
    // A scheduler must state its intent: nobody is there to read the plan and confirm it.
    throw new OffboardError(
      "USAGE",
      "no terminal to confirm on: a real run without a terminal needs --yes (preview first with --dry-run)",
    );
  }
  if (flags.force === true && flags.resume === undefined) {
    throw new OffboardError("USAGE", "`--force` only makes sense with `--resume <report.csv>`");
  }
  if (flags.simUsers !== undefined && !simulate) {
    throw new OffboardError("USAGE", "`--sim-users` only makes sense with `--simulate`");
  }

  const timeZone = flags.timezone?.trim() ?? machineTimeZone();
  if (!isTimeZone(timeZone)) {
    throw new OffboardError(
      "USAGE",
      `\`--timezone ${flags.timezone}\` is not a time zone this system knows: give an IANA name such as Europe/Berlin or UTC`,
    );
  }
  return {
    inputPath,
    dryRun,
    asOf: flags.asOf === undefined ? undefined : asOfMoment(flags.asOf, timeZone),
    timeZone,
    defaultAction: flags.action === undefined ? undefined : oneOf("--action", flags.action, ACTIONS),
    reportPath: flags.report,
    tier,
    tierRps,
    rps,
    share: flags.share === undefined ? 1 : fraction("--share", flags.share),
    redisUrl: redisOption(flags.redis ?? env.ZOOM_OFFBOARD_REDIS_URL),
    concurrency:
      flags.concurrency === undefined
        ? defaultConcurrency(rps)
        : positiveInteger("--concurrency", flags.concurrency),
    maxAttempts: flags.maxAttempts === undefined ? 5 : positiveInteger("--max-attempts", flags.maxAttempts),
    timeoutMs: flags.timeout === undefined ? 15_000 : positiveInteger("--timeout", flags.timeout),
    apiUrl: urlOption("--api-url", flags.apiUrl, "ZOOM_API_URL", env.ZOOM_API_URL, "https://api.zoom.us/v2"),
    oauthUrl: urlOption(
      "--oauth-url",
      flags.oauthUrl,
      "ZOOM_OAUTH_URL",
      env.ZOOM_OAUTH_URL,
      "https://zoom.us/oauth/token",
    ),
    simulate,
    simUsersPath: flags.simUsers,
    json: flags.json === true,
    logLevel: oneOf("--log-level", flags.logLevel ?? env.LOG_LEVEL ?? "info", LOG_LEVELS),
    credentials,
    lookup: oneOf("--lookup", flags.lookup ?? "auto", LOOKUP_CHOICES),
    maxDeactivations:
      flags.maxDeactivations === undefined
        ? DEFAULT_DEACTIVATION_LIMIT
        : parseDeactivationLimit(flags.maxDeactivations),
    maxDeletions:
      flags.maxDeletions === undefined
        ? DEFAULT_DELETION_LIMIT
        : parseDeactivationLimit(flags.maxDeletions, "--max-deletions"),
    defaultTransferTo: transferTarget(flags.transferTo),
    transfer: flags.transfer === false ? [] : transferItems(flags.transfer),
    protectPath: flags.protect,
    yes,
    resumeFrom: flags.resume,
    force: flags.force === true,
    tokenWaitMs: flags.tokenWait === undefined ? 60_000 : positiveInteger("--token-wait", flags.tokenWait),
    verify: flags.verify === true,
    planRequiredOver:
      flags.planRequiredOver === undefined
        ? undefined
        : wholeNumber("--plan-required-over", flags.planRequiredOver),
  };
}

/** `--as-of`: a date (the start of that day in the zone) or a date-time, read like the file's dates. */
function asOfMoment(value: string, timeZone: string): number {
  const moment = parseMoment(value, timeZone);
  if (!moment.ok) throw new OffboardError("USAGE", `\`--as-of ${value}\`: ${moment.reason}`);
  return moment.at;
}

function readCredentials(env: Readonly<Record<string, string | undefined>>): Credentials | undefined {
  const accountId = env.ZOOM_ACCOUNT_ID?.trim() ?? "";
  const clientId = env.ZOOM_CLIENT_ID?.trim() ?? "";
  const clientSecret = env.ZOOM_CLIENT_SECRET?.trim() ?? "";
  const present = [accountId, clientId, clientSecret].filter((value) => value !== "").length;
  if (present === 0) return undefined;
  if (present < 3) {
    const missing = [
      accountId === "" ? "ZOOM_ACCOUNT_ID" : undefined,
      clientId === "" ? "ZOOM_CLIENT_ID" : undefined,
      clientSecret === "" ? "ZOOM_CLIENT_SECRET" : undefined,
    ].filter((name) => name !== undefined);
    throw new OffboardError("CONFIG_INVALID", `incomplete Zoom credentials: ${missing.join(", ")} not set`);
  }
  return { accountId, clientId, clientSecret };
}

/** A URL from its flag, else its environment variable, else the default; errors name where it came from. */
function urlOption(
  flag: string,
  fromFlag: string | undefined,
  variable: string,
  fromEnv: string | undefined,
  fallback: string,
): string {
  if (fromFlag !== undefined) return httpsUrl(flag, fromFlag);
  if (fromEnv !== undefined && fromEnv.trim() !== "") return httpsUrl(variable, fromEnv.trim());
  return fallback;
}

function redisOption(value: string | undefined): string | undefined {
  // An empty variable (ZOOM_OFFBOARD_REDIS_URL=) means "not set", as for the credentials.
  return value === undefined || value.trim() === "" ? undefined : redisUrl("--redis", value);
}
