import type { StopReason } from "../domain/stop.js";
import { VERSION } from "../domain/version.js";
import {
  createRowShaper,
  type HtmlRunDescription,
  htmlReportPathFor,
  renderHtmlReport,
  writeHtmlReport,
} from "../report/html/index.js";
import { parseTimeline } from "../report/parse-timeline.js";
import { readReportRows } from "../report/read-report.js";
import type { RunTimeline } from "../report/timeline.js";
import { completeRunMeta, readRunMeta } from "../resume/run-meta.js";
import type { JsonSummary } from "./json-summary.js";
import type { RunConfig } from "./run-config.js";
import { verificationWords } from "./verification-words.js";

/** The plan an apply carried out, as its report names it. */
export interface PlanNamed {
  file: string;
  sha256: string;
  approvers: readonly string[];
}

/** What the page says about a run that just ended, as its sidecar keeps it (JSON: times as ISO strings). */
export function describeRun(
  summary: JsonSummary,
  config: RunConfig,
  run: {
    command: "run" | "undo" | "apply";
    startedAt: number;
    endedAt: number;
    stop: StopReason | undefined;
    plan?: PlanNamed | undefined;
  },
): Record<string, unknown> {
  return {
    command: run.command,
    input: summary.input,
    tier: config.tier,
    dryRun: summary.dry_run,
    startedAt: new Date(run.startedAt).toISOString(),
    endedAt: new Date(run.endedAt).toISOString(),
    durationMs: summary.duration_ms,
    exitCode: summary.exit_code,
    stopReason: summary.stop_reason,
    stopKind: run.stop?.kind,
    rpsConfigured: summary.rps_limit,
    tierRpsLimit: config.tierRps,
    rateRps: summary.rate_rps,
    minRps: summary.min_rps,
    requests: summary.requests,
    rateLimited: summary.rate_limited,
    lookup: summary.lookup,
    lookupRequests: summary.lookup_requests,
    resumedFrom: summary.resumed_from,
    carriedOver: summary.carried_over,
    undoOf: run.command === "undo" ? summary.input : undefined,
    warnings: summary.warnings,
    planFile: run.plan?.file,
    planSha256: run.plan?.sha256,
    approvers: run.plan?.approvers,
    verification: verificationWords(summary.verification),
    version: VERSION,
  };
}

/** Keep the run's end in its sidecar, then write the page; returns the page's path. */
export async function finishReport(
  reportPath: string,
  run: Record<string, unknown>,
  timeline: RunTimeline,
  now: Date,
): Promise<string> {
  completeRunMeta(reportPath, { run, timeline });
  return writeReportPage(reportPath, now);
}

/**
 * `<report>.html` from the CSV and, when it is there, the sidecar's account of the run and its timeline: a report
 * from an older version, or without a sidecar, gets the page its rows allow.
 */
export async function writeReportPage(reportPath: string, now: Date, out?: string): Promise<string> {
  // Streamed: the page counts every row but keeps only those it lists, so a million-row report stays small.
  const shaper = createRowShaper();
  const { truncated } = await readReportRows(reportPath, (row) => shaper.add(row));
  const meta = readRunMeta(reportPath);
  const page = await renderHtmlReport({
    figures: shaper.figures(),
    truncated,
    reportPath,
    run: meta === undefined ? undefined : runFromMeta(meta.run, meta),
    timeline: parseTimeline(meta?.timeline),
    generatedAt: now,
  });
  const path = out ?? htmlReportPathFor(reportPath);
  writeHtmlReport(path, page);
  return path;
}

/** The sidecar's account of the run, each field taken only when it has the right type (the file may be edited). */
function runFromMeta(
  value: Record<string, unknown> | undefined,
  meta: { input: string; dry_run: boolean; started_at: string; resumed_from: string | null },
): HtmlRunDescription {
  const v = value ?? {};
  const text = (key: string) => (typeof v[key] === "string" ? (v[key] as string) : undefined);
  const count = (key: string) =>
    typeof v[key] === "number" && Number.isFinite(v[key]) ? (v[key] as number) : undefined;
  const date = (raw: string | undefined) => {
    const at = raw === undefined ? Number.NaN : Date.parse(raw);
    return Number.isNaN(at) ? undefined : new Date(at);
  };
  const command = text("command");
  const stopKind = text("stopKind") as HtmlRunDescription["stopKind"];
  const warnings = Array.isArray(v.warnings) ? v.warnings.filter((w) => typeof w === "string") : undefined;
  return {
    command: command === "run" || command === "undo" || command === "apply" ? command : undefined,
    input: text("input") ?? meta.input,
    tier: text("tier"),
    dryRun: typeof v.dryRun === "boolean" ? v.dryRun : meta.dry_run,
    startedAt: date(text("startedAt") ?? meta.started_at),
    endedAt: date(text("endedAt")),
    durationMs: count("durationMs"),
    exitCode: count("exitCode"),
    stopReason: text("stopReason") ?? null,
    stopKind,
    rpsConfigured: count("rpsConfigured"),
    tierRpsLimit: count("tierRpsLimit"),
    rateRps: count("rateRps"),
    minRps: count("minRps"),
    requests: count("requests"),
    rateLimited: count("rateLimited"),
    lookup: text("lookup"),
    lookupRequests: count("lookupRequests"),
    resumedFrom: text("resumedFrom") ?? meta.resumed_from,
    carriedOver: count("carriedOver"),
    undoOf: text("undoOf"),
    planFile: text("planFile"),
    planSha256: text("planSha256"),
    approvers: Array.isArray(v.approvers) ? v.approvers.filter((a) => typeof a === "string") : undefined,
    verification: text("verification"),
    warnings,
    version: text("version"),
  };
}
