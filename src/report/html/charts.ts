import type { TopLevelSpec } from "vega-lite";
import type { RunTimeline } from "../timeline.js";
import { html, type SafeHtml, trusted } from "./escape.js";
import { formatCount, formatMs, formatRate, plural } from "./format.js";
import { attemptsChartSpec, latencyChartSpec, latencyQuantiles } from "./latency-chart.js";
import { outcomeChartSpec } from "./outcome-chart.js";
import { paceChartSpec } from "./pace-chart.js";
import { renderSvg } from "./render-svg.js";
import type { ReportFigures } from "./shape.js";
import type { HtmlRunDescription } from "./types.js";

/** A chart as a figure; a chart that cannot be drawn becomes a line saying so, never a failed page. */
async function figure(spec: TopLevelSpec, description: string): Promise<SafeHtml> {
  try {
    const { svg } = await renderSvg(spec);
    return html`<figure role="img" aria-label="${description}">${trusted(svg)}</figure>`;
  } catch (error) {
    return html`<p class="caption">The chart (${description}) could not be drawn: ${(error as Error).message}</p>`;
  }
}

export async function outcomeChart(figures: ReportFigures): Promise<SafeHtml | undefined> {
  if (figures.rows === 0) return undefined;
  return figure(outcomeChartSpec(figures.groups), "rows by outcome");
}

export async function paceSection(
  timeline: RunTimeline | undefined,
  run: HtmlRunDescription,
): Promise<SafeHtml | undefined> {
  if (timeline === undefined) return undefined;
  const { totals } = timeline;
  if (totals.sent_changes + totals.sent_lookups === 0) return undefined;
  const chart = await figure(
    paceChartSpec(timeline, { rpsConfigured: run.rpsConfigured, tierRpsLimit: run.tierRpsLimit }),
    "requests per second over the run",
  );
  const bucket =
    timeline.series.bucket_ms > 1000
      ? ` Each step averages ${formatCount(timeline.series.bucket_ms / 1000)} s; the grey line is the busiest second within it.`
      : "";
  const facts = [
    plural(totals.sent_changes, "change"),
    totals.sent_lookups > 0 && plural(totals.sent_lookups, "look-up"),
    totals.throttled === 0 ? "no 429 answers" : `429 answers: ${formatCount(totals.throttled)}`,
    totals.pauses > 0 && `${plural(totals.pauses, "pause")} (${formatMs(totals.pause_ms)} in all)`,
    totals.rate_changes > 0 && plural(totals.rate_changes, "rate change"),
    totals.token_refreshes > 0 && plural(totals.token_refreshes, "token refresh", "token refreshes"),
    timeline.events_dropped > 0 && `${plural(timeline.events_dropped, "later event")} not drawn`,
  ].filter((part): part is string => typeof part === "string");
  return html`<section id="pace">
  <h2>Pace</h2>
  <p class="lead">Requests sent each second, against ${limitWords(run)}.</p>
  ${chart}
  <p class="caption">${facts.join(" · ")}.${bucket}</p>
</section>`;
}

function limitWords(run: HtmlRunDescription): string {
  const parts = [
    run.rpsConfigured !== undefined && `the configured pace (${formatRate(run.rpsConfigured)})`,
    run.tierRpsLimit !== undefined && `the tier's limit (${formatRate(run.tierRpsLimit)})`,
  ].filter((part): part is string => typeof part === "string");
  return parts.length > 0 ? parts.join(" and ") : "the limits (not recorded for this run)";
}

export async function latencySection(
  timeline: RunTimeline | undefined,
  figures: ReportFigures,
): Promise<SafeHtml | undefined> {
  const sentRows = figures.attempts.filter((a) => a.attempts > 0).reduce((n, a) => n + a.rows, 0);
  const histogram = timeline?.latency;
  if (sentRows === 0 && (histogram === undefined || histogram.count === 0)) return undefined;
  const retried = figures.attempts.filter((a) => a.attempts > 1).reduce((n, a) => n + a.rows, 0);
  const latency =
    histogram !== undefined && histogram.count > 0
      ? html`<div><h3>Latency</h3>${await figure(latencyChartSpec(histogram), "answers by latency")}
      <table class="quantiles" id="latency-quantiles"><tbody>${latencyQuantiles(histogram).map(
        (q) =>
          html`<tr data-quantile="${q.name}"><td>${q.name}</td><td class="num">${formatMs(q.ms)}</td></tr>`,
      )}<tr><td>fastest · slowest</td><td class="num">${formatMs(histogram.min_ms)} · ${formatMs(histogram.max_ms)}</td></tr></tbody></table>
      <p class="caption">${plural(histogram.count, "answer")}, look-ups included${statusWords(timeline?.statuses)}.</p></div>`
      : html`<div><h3>Latency</h3><p class="caption">No timeline was recorded for this run.</p></div>`;
  const retries =
    sentRows > 0
      ? html`<div><h3>Retries per row</h3>${await figure(attemptsChartSpec(figures.attempts), "rows by requests sent")}
      <p class="caption">${plural(sentRows, "row")} sent; ${plural(retried, "row")} needed more than one request.</p></div>`
      : html`<div><h3>Retries per row</h3><p class="caption">No status change was sent.</p></div>`;
  return html`<section id="latency"><h2>Latency and retries</h2><div class="pair">${latency}${retries}</div></section>`;
}

/** "; by status: 200 × 5,310 · 429 × 4 · no answer × 2", the commonest first. */
function statusWords(statuses: Record<string, number> | undefined): string {
  const entries = Object.entries(statuses ?? {}).sort(([, a], [, b]) => b - a);
  if (entries.length === 0) return "";
  const shown = entries
    .slice(0, 6)
    .map(([status, n]) => `${status === "none" ? "no answer" : status} × ${formatCount(n)}`);
  return `; by status: ${shown.join(" · ")}${entries.length > 6 ? " · …" : ""}`;
}
