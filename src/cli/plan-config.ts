import { createHash } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { userInfo } from "node:os";
import { OffboardError } from "../domain/errors.js";
import type { PlanFile, PlanOptions } from "../plan/plan-file.js";
import { DEFAULT_CREDENTIALS } from "../sim/default-credentials.js";
import { type RunConfig, type RunFlags, resolveRunConfig } from "./run-config.js";

/** The login of the person at this machine, for a plan's maker and an approval's default name. */
export function loginName(env: Readonly<Record<string, string | undefined>>): string {
  try {
    return userInfo().username;
  } catch {
    // A container user without a passwd entry.
    return env.USER ?? env.LOGNAME ?? "unknown";
  }
}

/** The protect list's checksum, so that a plan says which list it was made with. */
export function protectChecksum(path: string | undefined): PlanOptions["protect"] {
  if (path === undefined) return null;
  return { path, sha256: createHash("sha256").update(readFileSync(path)).digest("hex") };
}

function limitText(limit: RunConfig["maxDeactivations"]): string {
  return limit.kind === "percent" ? `${limit.percent}%` : String(limit.max);
}

/** The options of a run that change what it does, as a plan records them. */
export function planOptionsOf(config: RunConfig, asOf: Date): PlanOptions {
  return {
    tier: config.tier,
    rps: config.rps,
    share: config.share,
    max_deactivations: limitText(config.maxDeactivations),
    max_deletions: limitText(config.maxDeletions),
    transfer: [...config.transfer],
    transfer_to_default: config.defaultTransferTo ?? null,
    protect: protectChecksum(config.protectPath),
    as_of: new Date(config.asOf ?? asOf.getTime()).toISOString(),
    timezone: config.timeZone,
    action: config.defaultAction ?? null,
  };
}

/** What an apply takes from its command line: how to reach Zoom and report, never what to change. */
export interface ApplyFlags
  extends Pick<
    RunFlags,
    | "dryRun"
    | "report"
    | "resume"
    | "force"
    | "yes"
    | "json"
    | "logLevel"
    | "simulate"
    | "simUsers"
    | "apiUrl"
    | "oauthUrl"
    | "redis"
    | "concurrency"
    | "maxAttempts"
    | "timeout"
    | "tokenWait"
  > {
  approvals?: string;
  maxPlanAge?: string;
}

/**
 * An apply's config: what changes a run's behaviour comes from the plan (tier, pace, guards, transfer, protect
 * list), the rest from the command line and environment, checked like a run's. Notes say what a person should know.
 */
export function applyConfigOf(
  plan: PlanFile,
  inputPath: string,
  flags: ApplyFlags,
  env: Readonly<Record<string, string | undefined>>,
  terminal: { interactive: boolean },
): { config: RunConfig; notes: string[] } {
  const { options } = plan;
  const notes: string[] = [];
  const protect = options.protect;
  if (protect !== null) {
    if (!existsSync(protect.path)) {
      throw new OffboardError(
        "PLAN_REFUSED",
        `the plan was made with the protect list ${protect.path}, which is not there: run the apply where the plan was made`,
      );
    }
    if (protectChecksum(protect.path)?.sha256 !== protect.sha256) {
      notes.push(`the protect list ${protect.path} changed since the plan: its entries now are honoured`);
    }
  }
  const config = resolveRunConfig(
    inputPath,
    {
      ...pickApplyFlags(flags),
      tier: options.tier,
      rps: String(options.rps),
      share: String(options.share),
      maxDeactivations: options.max_deactivations,
      maxDeletions: options.max_deletions,
      transfer: options.transfer.length === 0 ? false : options.transfer.join(","),
      ...(options.transfer_to_default === null ? {} : { transferTo: options.transfer_to_default }),
      ...(protect === null ? {} : { protect: protect.path }),
      timezone: options.timezone,
      lookup: "auto",
    },
    env,
    terminal,
  );
  return { config, notes };
}

function pickApplyFlags(flags: ApplyFlags): RunFlags {
  const { approvals: _approvals, maxPlanAge: _maxPlanAge, ...run } = flags;
  return run;
}

/** The account id the apply would change: the credentials', or the embedded simulator's. */
export function accountIdOf(config: RunConfig): string {
  if (config.simulate) return DEFAULT_CREDENTIALS.accountId;
  if (config.credentials === undefined) {
    throw new OffboardError(
      "CONFIG_INVALID",
      "set ZOOM_ACCOUNT_ID, ZOOM_CLIENT_ID and ZOOM_CLIENT_SECRET (a Server-to-Server OAuth app), or --simulate",
    );
  }
  return config.credentials.accountId;
}
