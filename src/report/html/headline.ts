import { basename } from "node:path";
import { html, type SafeHtml } from "./escape.js";
import { formatCount, formatDuration, formatRate, formatTime, plural } from "./format.js";
import { exitCodeMeaning, exitCodeTitle } from "./outcomes.js";
import type { ReportFigures } from "./shape.js";
import type { HtmlReportInput, HtmlRunDescription } from "./types.js";

/** The page's title line: what was run, in which mode. */
export function pageTitle(input: HtmlReportInput): string {
  const path = input.run?.input ?? input.reportPath;
  return path === undefined ? "Offboarding report" : basename(path);
}

function kind(run: HtmlRunDescription): string {
  const what = run.command === "undo" || run.command === "apply" ? run.command : "run";
  if (run.dryRun === true) return `zoom-offboard · dry ${what} report`;
  return `zoom-offboard · ${what} report`;
}

/** Title, the verdict (exit code in words) and the run's facts. */
export function headline(input: HtmlReportInput, figures: ReportFigures, exitCode: number, implied: boolean) {
  const run = input.run ?? {};
  const stop = run.stopReason ?? undefined;
  return html`<header>
  <div class="kicker">${kind(run)}</div>
  <h1>${pageTitle(input)}</h1>
  <div class="verdict exit-${exitCode}" data-exit-code="${exitCode}">
    <span class="code">exit ${exitCode}</span>
    <div>
      <strong>${exitCodeTitle(exitCode)}</strong>
      <span class="why">${exitCodeMeaning(exitCode)}.${implied && " (Exit code not recorded: implied by the rows.)"}</span>
      ${stop !== undefined && html`<p><b>Stopped:</b> ${stop}</p>`}
    </div>
  </div>
  <dl class="facts">${facts(input, figures).map(([term, value]) => html`<div><dt>${term}</dt><dd>${value}</dd></div>`)}</dl>
  ${notes(input)}
</header>`;
}

function facts(input: HtmlReportInput, figures: ReportFigures): Array<[string, string | SafeHtml]> {
  const run = input.run ?? {};
  const out: Array<[string, string | SafeHtml]> = [];
  const add = (term: string, value: string | SafeHtml | undefined | false) => {
    if (value !== undefined && value !== false && value !== "") out.push([term, value]);
  };
  add("Input file", run.input);
  add(
    "Mode",
    run.dryRun === undefined ? undefined : run.dryRun ? "dry run: nothing was changed" : "real run",
  );
  add("Account tier", run.tier);
  if (run.startedAt !== undefined) add("Started", formatTime(run.startedAt));
  else if (figures.firstFinishedAt !== undefined)
    add("First row decided", formatTime(figures.firstFinishedAt));
  if (run.endedAt !== undefined) add("Ended", formatTime(run.endedAt));
  else if (figures.lastFinishedAt !== undefined) add("Last row decided", formatTime(figures.lastFinishedAt));
  const durationMs =
    run.durationMs ??
    (run.startedAt !== undefined && run.endedAt !== undefined
      ? run.endedAt.getTime() - run.startedAt.getTime()
      : undefined);
  if (durationMs !== undefined) add("Duration", formatDuration(durationMs));
  add("Pace", pace(run));
  if (run.requests !== undefined) {
    const throttled = run.rateLimited
      ? ` (${formatCount(run.rateLimited)} answered 429 and were retried)`
      : "";
    add("Changes sent", `${plural(run.requests, "request")}${throttled}`);
  }
  if (run.lookup !== undefined && run.lookup !== "none") {
    add(
      "Look-ups",
      `${run.lookup}${run.lookupRequests === undefined ? "" : `, ${plural(run.lookupRequests, "request")}`}`,
    );
  }
  add("Report (CSV)", input.reportPath);
  if (run.resumedFrom)
    add(
      "Resumed from",
      `${run.resumedFrom} (${plural(run.carriedOver ?? figures.carried, "row")} carried over)`,
    );
  add("Reverses", run.undoOf);
  add(
    "Plan",
    run.planFile === undefined
      ? undefined
      : `${run.planFile}${run.planSha256 === undefined ? "" : ` (sha256 ${run.planSha256.slice(0, 12)}…)`}`,
  );
  if (run.planFile !== undefined) {
    add(
      "Approved by",
      run.approvers === undefined || run.approvers.length === 0
        ? "nobody (none required)"
        : run.approvers.join(", "),
    );
  }
  add("Verified", run.verification);
  add("Tool version", run.version);
  return out;
}

function pace(run: HtmlRunDescription): string | undefined {
  const parts: string[] = [];
  if (run.rpsConfigured !== undefined) parts.push(`configured ${formatRate(run.rpsConfigured)}`);
  if (run.tierRpsLimit !== undefined) parts.push(`tier limit ${formatRate(run.tierRpsLimit)}`);
  if (run.rateRps !== undefined && run.dryRun !== true) parts.push(`achieved ${formatRate(run.rateRps)}`);
  if (run.minRps !== undefined && run.rpsConfigured !== undefined && run.minRps < run.rpsConfigured) {
    parts.push(`lowest ${formatRate(run.minRps)}`);
  }
  return parts.length > 0 ? parts.join(" · ") : undefined;
}

function notes(input: HtmlReportInput) {
  const lines = [
    ...(input.truncated === true
      ? ["The CSV ends in the middle of a row (the run was cut off while writing it): that row is not shown."]
      : []),
    ...(input.run?.warnings ?? []),
  ];
  return lines.length > 0 && html`<ul class="notes">${lines.map((line) => html`<li>${line}</li>`)}</ul>`;
}
