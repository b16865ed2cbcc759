/** The HTML report: one self-contained page per run, drawn from the CSV's rows and the run's metadata. */
export { htmlReportPathFor } from "./html-path.js";
export { renderHtmlReport } from "./render.js";
export { createRowShaper, shapeRows } from "./shape.js";
export type {
  HtmlReportInput,
  HtmlReportRow,
  HtmlRunDescription,
  ReportFigures,
  TableLimits,
} from "./types.js";
export { DEFAULT_TABLE_LIMITS } from "./types.js";
export { writeHtmlReport } from "./write-html.js";
