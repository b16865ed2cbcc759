/** The page next to a report: `reports/x.csv` → `reports/x.html`; a path without `.csv` gets `.html` added. */
export function htmlReportPathFor(reportPath: string): string {
  return /\.csv$/i.test(reportPath) ? `${reportPath.slice(0, -".csv".length)}.html` : `${reportPath}.html`;
}
