import { OUTCOMES, type Outcome, type OutcomeCounts } from "../domain/outcomes.js";
import type { PreviewSamples } from "../report/preview.js";
import type { JsonSummary } from "./json-summary.js";
import { verificationWords } from "./verification-words.js";

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
  irreversible: "cannot be undone",
  scheduled: "scheduled for later",
  superseded: "overridden by a later step",
  drifted: "changed since the plan",
  unverified: "not verified (Zoom shows otherwise)",
};

/** The human summary: one outcome a line (zeros left out), then timing and where the report is. */
export function formatSummary(summary: JsonSummary): string {
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
  if (summary.plan !== undefined && summary.plan !== null) {
    const by =
      summary.plan.approvers.length === 0
        ? "no approvals"
        : `approved by ${summary.plan.approvers.join(", ")}`;
    lines.push(`  plan: ${summary.plan.file} (${by})`);
  }
  const verified = verificationWords(summary.verification);
  if (verified !== undefined) lines.push(`  verified: ${verified}`);
  if (summary.stop_reason !== null) lines.push(`  stopped: ${summary.stop_reason}`);
  for (const warning of summary.warnings) lines.push(`  warning: ${warning}`);
  lines.push(`  report: ${summary.report}`);
  if (typeof summary.html_report === "string") lines.push(`  html report: ${summary.html_report}`);
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
  "drifted",
  "superseded",
  "scheduled",
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
        `    line ${String(row.line).padEnd(6)} ${row.action.padEnd(13)}${row.user.padEnd(34)} ${row.message}`,
      );
    }
    if (more > 0) lines.push(`    … and ${more} more in the report`);
  }
  return lines;
}
