import { basename } from "node:path";
import type { Logger } from "pino";
import { OffboardError } from "../domain/errors.js";
import type { ReportRow } from "../domain/report-row.js";
import type { InputRecord } from "../input/open-input.js";
import type { RowVerdict } from "../input/scan-input.js";
import { readReportFile } from "../report/read-report.js";
import { type CarriedEntry, carryOver, toCarriedEntry } from "./carry-over.js";
import { type InputMatch, judgeResumeInput, readRunMeta } from "./run-meta.js";

export interface ResumePlan {
  /** The earlier report, as given. */
  from: string;
  input: InputMatch;
  /** Final rows found in the earlier report (candidates for carrying over). */
  finalRows: number;
  /** The row to write instead of deciding `record` again, or undefined to decide it. */
  carried(record: InputRecord, verdict: RowVerdict): ReportRow | undefined;
}

/**
 * Read an earlier report for `--resume` and check it belongs to this input. Throws (exit 2, nothing sent) for an
 * unreadable report or another input without --force. Only the final rows are kept, one compact entry each keyed
 * by line (memory: docs/NOTES-PERFORMANCE.md).
 */
export async function loadResume(options: {
  reportPath: string;
  inputPath: string;
  checksum: string;
  force: boolean;
  logger: Logger;
}): Promise<ResumePlan> {
  const { reportPath, logger } = options;
  const earlier = await readReportFile(reportPath);
  const input = judgeResumeInput(
    readRunMeta(reportPath),
    options.checksum,
    { input: options.inputPath, earlierReport: reportPath },
    options.force,
  );
  if (input.kind === "unknown") {
    logger.warn(
      { resume: reportPath },
      "the earlier report has no .meta.json beside it, so the input's checksum cannot be compared: rows are matched by line, user and action",
    );
  } else if (input.kind === "different") {
    logger.warn(
      { resume: reportPath, earlierInput: input.earlierInput },
      "--force: the input differs from the one the earlier report was written for; only rows with the same line, user and action are carried over",
    );
  }

  const entries = new Map<number, CarriedEntry>();
  for (const row of earlier.rows) {
    const entry = toCarriedEntry(row);
    const seen = entries.has(row.line);
    if (seen) {
      // Every report holds each input row once; two rows for a line mean a hand-edited or foreign file.
      throw new OffboardError(
        "REPORT_UNREADABLE",
        `${reportPath}: line ${row.line} appears twice: not a report this tool wrote`,
      );
    }
    if (entry !== undefined) entries.set(row.line, entry);
  }
  logger.info(
    {
      resume: reportPath,
      earlierRows: earlier.rows.length,
      finalRows: entries.size,
      truncated: earlier.truncated,
    },
    "resuming: final rows of the earlier report are carried over, the rest processed again",
  );
  const name = basename(reportPath);
  return {
    from: reportPath,
    input,
    finalRows: entries.size,
    carried: (record, verdict) => carryOver(entries.get(record.line), record, verdict, name),
  };
}
