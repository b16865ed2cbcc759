import {
  emptyCounts,
  OUTCOMES,
  type Outcome,
  type OutcomeCounts,
  PROBLEM_OUTCOMES,
} from "../domain/outcomes.js";
import type { ReportRow } from "../domain/report-row.js";
import type { PreviewSamples } from "./preview.js";

/** What a run came to: printed on stdout (human table or `--json`) and returned by the pipeline. */
export interface RunSummary {
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
}

/** Counts outcomes as rows finish and remembers when sending began and ended, for the rate. */
export interface OutcomeTally {
  add(row: ReportRow): void;
  readonly counts: OutcomeCounts;
  readonly rows: number;
}

export function createOutcomeTally(): OutcomeTally {
  const counts = emptyCounts();
  let rows = 0;
  return {
    add(row) {
      counts[row.outcome] += 1;
      rows += 1;
    },
    counts,
    get rows() {
      return rows;
    },
  };
}

/** 3 when stopped early, 1 when any row needs a person's attention, else 0. */
export function exitCodeFor(counts: OutcomeCounts, stoppedEarly: boolean): 0 | 1 | 3 {
  if (stoppedEarly) return 3;
  return OUTCOMES.some((outcome) => PROBLEM_OUTCOMES.has(outcome) && counts[outcome] > 0) ? 1 : 0;
}

const LABELS: Record<Outcome, string> = {
  applied: "applied",
  already: "already in that state",
  would_apply: "would apply (dry run)",
  invalid: "invalid",
  duplicate: "duplicate",
  conflict: "conflict",
  not_found: "not found",
  rejected: "rejected by Zoom",
  failed: "failed",
  not_attempted: "not attempted",
  protected: "protected",
};

/** The human summary: one outcome a line (zeros left out), then timing and where the report is. */
export function formatSummary(summary: RunSummary): string {
  const lines: string[] = [];
  const title = summary.dry_run
    ? "Dry run finished"
    : summary.stopped_early
      ? "Run stopped early"
      : "Run finished";
  lines.push(`${title}: ${summary.rows} rows from ${summary.input}`);
  for (const outcome of OUTCOMES) {
    const count = summary.outcomes[outcome];
    if (count > 0) lines.push(`  ${LABELS[outcome].padEnd(24)}${String(count).padStart(8)}`);
  }
  lines.push(`  ${"duration".padEnd(24)}${formatSeconds(summary.duration_ms).padStart(8)}`);
  if (!summary.dry_run) {
    lines.push(
      `  ${"rate".padEnd(24)}${summary.rate_rps.toFixed(1).padStart(8)} changes/s (limit ${summary.rps_limit}/s)`,
    );
    lines.push(`  ${"requests sent".padEnd(24)}${String(summary.requests).padStart(8)}`);
    if (summary.rate_limited > 0)
      lines.push(`  ${"429s absorbed".padEnd(24)}${String(summary.rate_limited).padStart(8)}`);
    if (summary.rate_changes > 0)
      lines.push(
        `  ${"pace changes".padEnd(24)}${String(summary.rate_changes).padStart(8)} (lowest ${summary.min_rps.toFixed(1)}/s)`,
      );
  }
  if (summary.lookup !== "none") {
    lines.push(
      `  ${"look-ups".padEnd(24)}${summary.lookup.padStart(8)} (${summary.lookup_requests} read requests)`,
    );
  }
  if (summary.resumed_from !== null) {
    lines.push(`  carried over ${summary.carried_over} final rows from ${summary.resumed_from}`);
  }
  if (summary.stop_reason !== null) lines.push(`  stopped: ${summary.stop_reason}`);
  for (const warning of summary.warnings) lines.push(`  warning: ${warning}`);
  lines.push(`  report: ${summary.report}`);
  lines.push(`  exit code: ${summary.exit_code}`);
  if (summary.preview !== undefined) lines.push(...formatPreview(summary.preview, summary.outcomes));
  return `${lines.join("\n")}\n`;
}

function formatSeconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}

// The outcomes a person previewing a batch wants to see by name, in this order.
const PREVIEW_ORDER: readonly Outcome[] = [
  "would_apply",
  "not_found",
  "protected",
  "already",
  "failed",
  "invalid",
  "conflict",
];

/** The dry run's preview: the first rows of each outcome that matters, as a small table. */
export function formatPreview(preview: PreviewSamples, counts: OutcomeCounts): string[] {
  const lines: string[] = [];
  for (const outcome of PREVIEW_ORDER) {
    const rows = preview[outcome];
    if (rows === undefined || rows.length === 0) continue;
    const more = counts[outcome] - rows.length;
    lines.push("", `  ${LABELS[outcome]} (${counts[outcome]}):`);
    for (const row of rows) {
      lines.push(
        `    line ${String(row.line).padEnd(6)} ${row.action.padEnd(11)}${row.user.padEnd(34)} ${row.message}`,
      );
    }
    if (more > 0) lines.push(`    … and ${more} more in the report`);
  }
  return lines;
}
