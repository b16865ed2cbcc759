import type { RunResult } from "../app/run-result.js";
import type { OutcomeCounts } from "../domain/outcomes.js";
import type { PreviewSamples } from "../report/preview.js";
import { describeStop } from "./describe-stop.js";

/** What a run came to: printed on stdout (human table or `--json`) and returned by the pipeline. */
export interface JsonSummary {
  outcomes: OutcomeCounts;
  rows: number;
  exit_code: 0 | 1 | 3;
  report: string;
  input: string;
  dry_run: boolean;
  duration_ms: number;
  /** Applied status changes per second, over the time from the first request to the last decision. */
  rate_rps: number;
  /** Status-change requests (PUTs) sent, retries included. */
  requests: number;
  /** QPS 429s absorbed (retried) across the run. */
  rate_limited: number;
  /** The rate paced at when nothing slowed us: the Light limit (or --rps) times --share. */
  rps_limit: number;
  /** The lowest rate paced at: below rps_limit when adaptive pacing yielded to other apps on the account. */
  min_rps: number;
  /** How often adaptive pacing changed the rate. */
  rate_changes: number;
  stopped_early: boolean;
  stop_reason: string | null;
  /** How users were looked up before sending: per-user, directory, or none. */
  lookup: "per-user" | "directory" | "none";
  /** Read requests the look-ups made (Light for per-user, Medium for the directory). */
  lookup_requests: number;
  /** Things a person should know that did not stop the run (a dry run whose real run a guard would stop). */
  warnings: string[];
  /** Dry runs: the first rows of each outcome, for the preview table. */
  preview?: PreviewSamples | undefined;
  /** `--resume`: the earlier report final rows were carried over from, or null. */
  resumed_from: string | null;
  /** Rows copied from that report (counted in `outcomes` too), which cost no request. */
  carried_over: number;
  /** The run's HTML report beside the CSV, or null when it could not be written. */
  html_report?: string | null;
  /** `--verify` and apply: what reading the directory after the changes confirmed. */
  verification?: {
    checked: number;
    not_in_state: number;
    unverifiable: number;
    failed: string | null;
  } | null;
  /** An apply: the plan carried out and who approved it. */
  plan?: { file: string; sha256: string; approvers: string[] } | null;
}

/** The summary a scheduler reads on stdout (`--json`), in the field names README documents. */
export function toJsonSummary(
  result: RunResult,
  plan?: { file: string; sha256: string; approvers: readonly string[] },
): JsonSummary {
  return {
    outcomes: result.outcomes,
    rows: result.rows,
    exit_code: result.exitCode,
    report: result.report,
    input: result.input,
    dry_run: result.dryRun,
    duration_ms: result.durationMs,
    rate_rps: result.rateRps,
    requests: result.requests,
    rate_limited: result.rateLimited,
    rps_limit: result.rpsLimit,
    min_rps: result.minRps,
    rate_changes: result.rateChanges,
    stopped_early: result.stop !== undefined,
    stop_reason: result.stop === undefined ? null : describeStop(result.stop),
    lookup: result.lookup,
    lookup_requests: result.lookupRequests,
    warnings: result.warnings,
    preview: result.preview,
    resumed_from: result.resumedFrom,
    carried_over: result.carriedOver,
    verification:
      result.verification === undefined
        ? null
        : {
            checked: result.verification.checked,
            not_in_state: result.verification.notInState,
            unverifiable: result.verification.unverifiable,
            failed: result.verification.failed ?? null,
          },
    plan: plan === undefined ? null : { ...plan, approvers: [...plan.approvers] },
  };
}
