import { html, type SafeHtml } from "./escape.js";
import { formatCount, plural } from "./format.js";
import type { OutcomeGroup, ReportFigures } from "./shape.js";
import type { HtmlReportRow } from "./types.js";

/** The numbers a reader looks for first, as large tiles. */
export function tiles(figures: ReportFigures, dryRun: boolean | undefined): SafeHtml {
  const count = (outcome: string) => figures.groups.find((g) => g.outcome === outcome)?.count ?? 0;
  const done = dryRun === true ? count("would_apply") : count("applied");
  const tile = (n: number, what: string, tone = "") =>
    html`<div class="tile ${tone}"><span class="n">${formatCount(n)}</span><span class="what">${what}</span></div>`;
  return html`<div class="tiles">
    ${tile(figures.rows, "rows in the report")}
    ${tile(figures.needAttention, "need a person", figures.needAttention > 0 ? "attention" : "fine")}
    ${tile(done, dryRun === true ? "would be changed" : "changed in Zoom", "fine")}
    ${count("already") + count("protected") > 0 && tile(count("already") + count("protected"), "already done or protected")}
    ${figures.carried > 0 && tile(figures.carried, "carried over from the earlier report")}
  </div>`;
}

/** Every outcome with its count: the page's machine-readable summary too (data attributes). */
export function outcomeTable(figures: ReportFigures): SafeHtml {
  return html`<table class="counts" id="outcome-counts">
  <thead><tr><th>outcome</th><th>what it means</th><th class="num">rows</th></tr></thead>
  <tbody>${figures.groups.map(
    (
      group,
    ) => html`<tr data-outcome="${group.outcome}" data-count="${group.count}" data-attention="${group.attention}">
      <td><span class="dot ${group.attention}"></span>${group.label}</td><td class="msg">${group.meaning}${
        group.carried > 0 &&
        html` <span class="count-badge">(${formatCount(group.carried)} carried over)</span>`
      }</td><td class="num">${formatCount(group.count)}</td></tr>`,
  )}
  <tr class="total"><td>total</td><td></td><td class="num" data-total="${figures.rows}">${formatCount(figures.rows)}</td></tr>
  </tbody></table>`;
}

/** One outcome's rows, capped; the rest are counted and left to the CSV. */
export function rowsTable(group: OutcomeGroup, csvName: string | undefined): SafeHtml {
  const more = group.count - group.listed.length;
  return html`<h3 id="rows-${group.outcome}"><span class="dot ${group.attention}"></span>${group.label}
    <span class="count-badge">· ${plural(group.count, "row")}</span></h3>
  <table class="rows" data-outcome="${group.outcome}">
    <colgroup><col class="line"><col class="user"><col class="action"><col class="msg"><col class="http"><col class="track"></colgroup>
    <thead><tr><th class="num">line</th><th>user</th><th>action</th><th>message</th><th class="http">HTTP · code</th><th>tracking id</th></tr></thead>
    <tbody>${group.listed.map(rowLine)}</tbody>
  </table>
  ${more > 0 && html`<p class="more">Showing the first ${formatCount(group.listed.length)}: and ${formatCount(more)} more in the CSV${csvName === undefined ? "" : ` (${csvName})`}.</p>`}`;
}

function rowLine(row: HtmlReportRow): SafeHtml {
  const http = [row.httpStatus, row.zoomCode].filter((v) => v !== undefined).join(" / ");
  return html`<tr><td class="num">${row.line}</td><td class="user">${row.userId}</td><td>${row.action}</td><td class="msg">${row.message}</td><td class="mono">${http}</td><td class="track">${row.trackingId ?? ""}</td></tr>`;
}
