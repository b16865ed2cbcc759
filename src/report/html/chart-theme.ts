import type { Config } from "vega-lite";

/** The page's font stack: only fonts already on the reader's machine, so the file loads nothing. */
export const FONT_STACK =
  'system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", "Liberation Sans", "DejaVu Sans", Arial, sans-serif';

export const INK = "#1f2933";
export const MUTED = "#5b6675";
export const GRID = "#e6e8eb";
export const RULE = "#9aa3ad";
export const CHANGE_BLUE = "#2f5f8a";
export const LOOKUP_BLUE = "#9dbad6";
export const WARN_RED = "#b42318";
export const PAUSE_TINT = "#f4c7c3";

/** Width of every chart in CSS pixels: fits an A4 page's text width, and scales down with the page. */
export const CHART_WIDTH = 640;

/** One quiet look for every chart: thin grey axes, no frame, labels in the page's colours. */
export const CHART_CONFIG: Config = {
  font: FONT_STACK,
  background: "#ffffff",
  padding: 4,
  view: { stroke: null },
  axis: {
    labelColor: MUTED,
    titleColor: MUTED,
    labelFontSize: 11,
    titleFontSize: 11,
    titleFontWeight: "normal",
    gridColor: GRID,
    domainColor: RULE,
    tickColor: RULE,
    labelPadding: 4,
  },
  legend: {
    labelColor: MUTED,
    titleColor: MUTED,
    labelFontSize: 11,
    titleFontSize: 11,
    titleFontWeight: "normal",
    orient: "top",
    direction: "horizontal",
    symbolSize: 80,
  },
  title: { color: INK, fontSize: 12, fontWeight: "normal", anchor: "start" },
};

/**
 * Text that came from a file, made safe to hand to a chart as a label: printable characters only, and short.
 * vega escapes what it writes anyway; this keeps a strange outcome from wrecking a chart's layout.
 */
export function chartLabel(text: string, maxLength = 40): string {
  const printable = text.replace(/[^\p{L}\p{N}\p{P}\p{Zs}]/gu, "").trim();
  return printable.length > maxLength ? `${printable.slice(0, maxLength - 1)}…` : printable || "?";
}
