import { FONT_STACK } from "./chart-theme.js";

/** The page's only stylesheet, inline: calm on screen, and A4 pages with repeating table headers on paper. */
export const STYLES = `
:root { --ink: #1f2933; --muted: #5b6675; --faint: #8a94a1; --line: #e3e6ea; --panel: #f6f7f9;
  --attention: #c2410c; --attention-bg: #fdf1ea; --fine: #4d7c6b; --fine-bg: #eef5f2; --unknown: #8a8f98; }
* { box-sizing: border-box; }
html { -webkit-text-size-adjust: 100%; }
body { margin: 0; background: #fff; color: var(--ink); font: 14px/1.5 ${FONT_STACK};
  -webkit-print-color-adjust: exact; print-color-adjust: exact; }
main { max-width: 980px; margin: 0 auto; padding: 32px 28px 48px; }
h1 { font-size: 24px; font-weight: 600; margin: 2px 0 14px; overflow-wrap: anywhere; letter-spacing: -0.01em; }
h2 { font-size: 17px; font-weight: 600; margin: 0 0 4px; }
h3 { font-size: 14px; font-weight: 600; margin: 22px 0 6px; }
p { margin: 6px 0; }
.kicker { color: var(--muted); font-size: 12px; letter-spacing: 0.06em; text-transform: uppercase; }
.lead { color: var(--muted); margin: 0 0 14px; }
section { margin-top: 34px; }
.verdict { display: flex; gap: 14px; align-items: flex-start; border-radius: 6px; padding: 12px 16px;
  border: 1px solid var(--line); background: var(--panel); }
.verdict.exit-0 { background: var(--fine-bg); border-color: #cfe3da; }
.verdict.exit-1, .verdict.exit-3 { background: var(--attention-bg); border-color: #f3d3c0; }
.verdict .code { flex: none; font-size: 12px; font-weight: 600; color: #fff; background: var(--muted);
  border-radius: 4px; padding: 2px 8px; margin-top: 2px; white-space: nowrap; }
.verdict.exit-0 .code { background: var(--fine); }
.verdict.exit-1 .code, .verdict.exit-3 .code { background: var(--attention); }
.verdict strong { display: block; font-size: 15px; }
.verdict .why { color: var(--muted); }
.facts { display: grid; grid-template-columns: repeat(auto-fill, minmax(210px, 1fr)); gap: 10px 24px;
  margin: 18px 0 0; }
.facts div { min-width: 0; }
.facts dt { color: var(--muted); font-size: 12px; }
.facts dd { margin: 0; overflow-wrap: anywhere; }
.tiles { display: grid; grid-template-columns: repeat(auto-fit, minmax(150px, 1fr)); gap: 12px; margin-top: 22px; }
.tile { border: 1px solid var(--line); border-radius: 6px; padding: 10px 14px; }
.tile .n { display: block; font-size: 24px; font-weight: 600; font-variant-numeric: tabular-nums; }
.tile .what { color: var(--muted); font-size: 12px; }
.tile.attention .n { color: var(--attention); }
.tile.fine .n { color: var(--fine); }
.notes { margin: 14px 0 0; padding-left: 18px; color: var(--attention); }
figure { margin: 10px 0 0; }
figure svg { display: block; max-width: 100%; height: auto; }
figcaption, .caption { color: var(--muted); font-size: 12px; margin-top: 6px; }
.pair { display: grid; grid-template-columns: 1fr 1fr; gap: 24px; }
.pair > div { min-width: 0; }
.split { display: grid; grid-template-columns: minmax(0, 3fr) minmax(0, 2fr); gap: 24px; align-items: start; }
table { border-collapse: collapse; width: 100%; font-size: 13px; }
th { text-align: left; font-weight: 600; color: var(--muted); font-size: 12px; border-bottom: 1px solid #cfd4da;
  padding: 6px 8px; }
td { border-bottom: 1px solid var(--line); padding: 5px 8px; vertical-align: top; }
th.http { white-space: nowrap; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
td.user, td.track { overflow-wrap: anywhere; }
td.mono { white-space: nowrap; }
td.track, td.mono { font-family: ui-monospace, "DejaVu Sans Mono", "Liberation Mono", monospace; font-size: 12px; }
td.msg { color: #3b4450; }
table.rows { table-layout: fixed; }
table.rows col.line { width: 7%; } table.rows col.user { width: 26%; } table.rows col.action { width: 10%; }
table.rows col.msg { width: 30%; } table.rows col.http { width: 11%; } table.rows col.track { width: 16%; }
.dot { display: inline-block; width: 9px; height: 9px; border-radius: 50%; margin-right: 7px; vertical-align: 0; }
.dot.attention { background: var(--attention); } .dot.fine { background: var(--fine); }
.dot.unknown { background: var(--unknown); }
tr.total td { border-bottom: none; font-weight: 600; }
.count-badge { color: var(--muted); font-weight: normal; }
.more { color: var(--muted); font-size: 12px; margin-top: 6px; }
.quantiles { width: auto; margin-top: 8px; }
.quantiles td { padding: 2px 14px 2px 0; border: none; }
footer { margin-top: 44px; padding-top: 12px; border-top: 1px solid var(--line); color: var(--faint);
  font-size: 12px; }
@media (max-width: 720px) { .pair, .split { grid-template-columns: 1fr; } main { padding: 20px 14px; } }
@page { size: A4; margin: 14mm 12mm 16mm; }
@media print {
  body { font-size: 9.5pt; }
  main { max-width: none; padding: 0; }
  section { margin-top: 18pt; }
  h2, h3 { break-after: avoid; }
  figure, .tiles, .verdict, .facts, .pair, .split { break-inside: avoid; }
  #outcomes, #pace, #latency, #carried { break-inside: avoid; }
  thead { display: table-header-group; }
  tr { break-inside: avoid; }
  table { font-size: 8.5pt; }
}
`;
