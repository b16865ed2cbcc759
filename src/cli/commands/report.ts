import { writeReportPage } from "../report-page.js";

/**
 * `report <report.csv>`: (re)write the HTML page of any report, an old one too; what a report without a sidecar
 * lacks (the run's pace and timing) is left out of the page, not guessed.
 */
export async function reportCommand(reportPath: string, flags: { out?: string }): Promise<number> {
  const path = await writeReportPage(reportPath, new Date(), flags.out);
  process.stdout.write(`${path}\n`);
  return 0;
}
