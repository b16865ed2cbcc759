import { exitCodeFor, type OutcomeCounts } from "../domain/outcomes.js";
import type { StopReason } from "../domain/stop.js";
import type { UpcomingRow } from "../input/scan-input.js";
import type { LookupStrategy } from "../lookup/choose-strategy.js";
import type { Verification } from "../lookup/verify-applied.js";
import { PREVIEW_ROWS_PER_OUTCOME, type PreviewSamples } from "../report/preview.js";
import type { DecidedRows } from "./decide-all-rows.js";
import type { PreparedRun } from "./prepare-run.js";
import type { RunOptions } from "./run-options.js";
import type { ZoomSession } from "./zoom-session.js";

/** What a run came to: the CLI prints it (a table, or JSON with --json) and writes the HTML report from it. */
export interface RunResult {
  outcomes: OutcomeCounts;
  rows: number;
  exitCode: 0 | 1 | 3;
  report: string;
  /** The input as the person named it (an undo names the report it reverses). */
  input: string;
  dryRun: boolean;
  durationMs: number;
  /** Applied changes per second, from the first change sent to the last decision. */
  rateRps: number;
  /** Requests that change something, retries included. */
  requests: number;
  /** Per-second 429s absorbed. */
  rateLimited: number;
  /** The pace when nothing slowed it: the Light limit (or --rps) times --share. */
  rpsLimit: number;
  /** The lowest pace adaptive pacing went down to. */
  minRps: number;
  rateChanges: number;
  /** Why the run stopped before deciding every row; undefined when it did not. */
  stop: StopReason | undefined;
  lookup: LookupStrategy;
  /** Read requests of the look-ups (Light per user, Medium for the directory). */
  lookupRequests: number;
  /** Things a person should know that did not stop the run. */
  warnings: string[];
  /** Dry runs: the first rows of each outcome. */
  preview: PreviewSamples | undefined;
  /** `--resume`: the report final rows were carried over from. */
  resumedFrom: string | null;
  carriedOver: number;
  /** `--verify` (always on for an apply): the applied rows held against the directory read afterwards. */
  verification?: RunVerification | undefined;
}

export interface RunVerification {
  /** Applied rows held against the directory. */
  checked: number;
  /** Of them, rows Zoom said it applied but that are not in that state (now `unverified`). */
  notInState: number;
  /** Applied rows nothing in the directory can confirm (sign-outs). */
  unverifiable: number;
  /** Why the directory could not be read, when it could not: then nothing was confirmed. */
  failed: string | undefined;
}

/** What a run's stages came to, for {@link runResultOf}. */
export interface FinishedRun {
  options: RunOptions;
  prepared: PreparedRun;
  /** Absent for an offline dry run. */
  session: ZoomSession | undefined;
  decided: DecidedRows;
  verification: Verification | undefined;
  lookup: LookupStrategy;
  warnings: string[];
  stop: StopReason | undefined;
  durationMs: number;
}

export function runResultOf(run: FinishedRun): RunResult {
  const { options, prepared, session, decided, verification } = run;
  const { tally, lastDecisionAt } = decided;
  const firstChangeAt = session?.counters.firstChangeAt;
  // Counted over one second at least: the budget is per second, and two changes a few milliseconds apart are
  // not a pace of hundreds a second.
  const sendingMs =
    firstChangeAt !== undefined && lastDecisionAt !== undefined
      ? Math.max(1000, lastDecisionAt - firstChangeAt)
      : 0;
  const configured = options.rps * options.share;
  return {
    outcomes: tally.counts,
    rows: tally.rows,
    exitCode: exitCodeFor(tally.counts, run.stop !== undefined, verification?.failed !== undefined),
    report: prepared.reportPath,
    input: options.inputLabel ?? options.inputPath,
    dryRun: options.dryRun,
    durationMs: run.durationMs,
    rateRps: sendingMs === 0 ? 0 : Number(((decided.applied * 1000) / sendingMs).toFixed(2)),
    requests: session?.counters.changeRequests ?? 0,
    rateLimited: session?.counters.rateLimited ?? 0,
    rpsLimit: configured,
    minRps: Number((session?.light.stats.minRps ?? configured).toFixed(2)),
    rateChanges: session?.light.stats.changes ?? 0,
    stop: run.stop,
    lookup: run.lookup,
    lookupRequests: session?.counters.lookupRequests ?? 0,
    warnings: run.warnings,
    preview: options.dryRun ? withUpcoming(decided.preview.samples, prepared.scan.upcoming) : undefined,
    resumedFrom: prepared.resume?.from ?? null,
    carriedOver: decided.carriedOver,
    verification:
      verification === undefined
        ? undefined
        : {
            checked: verification.checked,
            notInState: verification.flagged.size,
            unverifiable: verification.unverifiable,
            failed: verification.failed,
          },
  };
}

/** The preview's scheduled rows are the next to come, earliest first, not the first of the file. */
function withUpcoming(samples: PreviewSamples, upcoming: readonly UpcomingRow[]): PreviewSamples {
  if (upcoming.length === 0) return samples;
  const next = upcoming.slice(0, PREVIEW_ROWS_PER_OUTCOME).map((row) => ({
    line: row.line,
    user: row.user,
    action: row.action,
    message: `due ${row.when}`,
  }));
  return { ...samples, scheduled: next };
}
