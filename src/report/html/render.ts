import { basename } from "node:path";
import { latencySection, outcomeChart, paceSection } from "./charts.js";
import { html, type SafeHtml, trusted } from "./escape.js";
import { formatCount, formatTime, plural } from "./format.js";
import { headline, pageTitle } from "./headline.js";
import { impliedExitCode } from "./shape.js";
import { STYLES } from "./styles.js";
import { outcomeTable, rowsTable, tiles } from "./tables.js";
import type { HtmlReportInput } from "./types.js";

// No script may run and nothing may load, even if some value slipped through unescaped.
const CONTENT_SECURITY_POLICY = "default-src 'none'; style-src 'unsafe-inline'; form-action 'none'";

/**
 * The run's report as one self-contained HTML page: inline CSS, charts as static SVG, no script, nothing loaded.
 * Bounded whatever the number of rows: tables list the first rows of each outcome and count the rest.
 */
export async function renderHtmlReport(input: HtmlReportInput): Promise<string> {
  const { figures } = input;
  const run = input.run ?? {};
  const exitCode = run.exitCode ?? impliedExitCode(figures);
  const csvName = input.reportPath === undefined ? undefined : basename(input.reportPath);

  const [outcomes, pace, latency] = await Promise.all([
    outcomeChart(figures),
    paceSection(input.timeline, run),
    latencySection(input.timeline, figures),
  ]);
  const attention = figures.groups.filter((g) => g.attention !== "fine");
  const fine = figures.groups.filter((g) => g.attention === "fine");

  const body = html`<main>
${headline(input, figures, exitCode, run.exitCode === undefined)}
${tiles(figures, run.dryRun)}
<section id="outcomes">
  <h2>Outcomes</h2>
  <div class="split">${outcomes ?? html`<p class="caption">The report has no rows.</p>`}<div>${outcomeTable(figures)}</div></div>
</section>
${pace}
${latency}
${carriedOver(figures.carried, run.resumedFrom ?? undefined)}
${
  attention.length > 0 &&
  html`<section id="attention"><h2>Rows that need a person</h2>
  <p class="lead">${plural(figures.needAttention, "row")} to look at, by outcome.</p>
  ${attention.map((group) => rowsTable(group, csvName))}</section>`
}
${
  fine.length > 0 &&
  html`<section id="fine"><h2>Other rows</h2>
  <p class="lead">Rows that need nothing more, listed up to the first ${formatCount(figures.limits.fineRows)} of each outcome.</p>
  ${fine.map((group) => rowsTable(group, csvName))}</section>`
}
${footer(input)}
</main>`;
  return page(pageTitle(input), body);
}

function carriedOver(carried: number, resumedFrom: string | undefined): SafeHtml | false {
  if (carried === 0 && resumedFrom === undefined) return false;
  return html`<section id="carried"><h2>Carried over</h2>
  <p>${plural(carried, "row")} ${carried === 1 ? "was" : "were"} decided by the earlier run${resumedFrom === undefined ? "" : html` (<b>${resumedFrom}</b>)`}
  and copied into this report without sending anything again; their messages start with “carried over from”.</p></section>`;
}

function footer(input: HtmlReportInput): SafeHtml {
  const version = input.run?.version;
  const generated = input.generatedAt === undefined ? "" : ` on ${formatTime(input.generatedAt)}`;
  return html`<footer>Written by zoom-offboard${version === undefined ? "" : ` ${version}`}${generated}.
  This page is a view of the CSV report, which remains the record of the run; it loads nothing and runs no script.</footer>`;
}

function page(title: string, body: SafeHtml): string {
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${CONTENT_SECURITY_POLICY}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>${title} · zoom-offboard report</title>
<style>${trusted(STYLES)}</style>
</head>
<body>
${body}
</body>
</html>
`.text;
}
