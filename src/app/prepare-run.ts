import { existsSync } from "node:fs";
import type { Logger } from "pino";
import { OffboardError } from "../domain/errors.js";
import { FREE_DAILY_LIGHT_LIMIT } from "../domain/tiers.js";
import { type ScanResult, scanInput } from "../input/scan-input.js";
import { EMPTY_PROTECT_LIST, loadProtectList, type ProtectList } from "../lookup/protect-list.js";
import { freeDefaultReportPath } from "../report/default-path.js";
import { alreadyThere } from "../report/private-file.js";
import { loadResume, type ResumePlan } from "../resume/load-resume.js";
import { metaPathFor } from "../resume/run-meta.js";
import type { RunOptions } from "./run-options.js";

/** Everything a run reads before it sends anything. */
export interface PreparedRun {
  scan: ScanResult;
  resume: ResumePlan | undefined;
  reportPath: string;
  protect: ProtectList;
}

/**
 * Check the whole file, the earlier report of a resume, where the report goes and the protect list. Whatever is
 * wrong with them throws here (exit 2), before a single request — the token request included.
 */
export async function prepareRun(options: RunOptions, logger: Logger, startedAt: Date): Promise<PreparedRun> {
  const scan = await scanInput(
    options.inputPath,
    {
      defaultAction: options.defaultAction,
      defaultTransferTo: options.defaultTransferTo,
      removalWithoutTransfer: options.transfer.length === 0,
    },
    { asOf: options.asOf ?? startedAt.getTime(), timeZone: options.timeZone },
  );
  if (scan.layout.actionColumn === undefined && options.defaultAction === undefined) {
    throw new OffboardError(
      "USAGE",
      `${options.inputPath} has no action column (action or status_action): add one, or pass --action deactivate`,
    );
  }
  logger.info(
    {
      input: options.inputPath,
      rows: scan.dataRows,
      toDeactivate: scan.counts.deactivate,
      toActivate: scan.counts.activate,
      toSignOut: scan.counts.signout,
      toDowngrade: scan.counts.downgrade,
      toLicense: scan.counts.license,
      toDelete: scan.counts.delete,
      toDisassociate: scan.counts.disassociate,
      invalid: scan.counts.invalid,
      duplicate: scan.counts.duplicate,
      conflict: scan.counts.conflict,
      scheduled: scan.counts.scheduled,
      superseded: scan.counts.superseded,
      userColumn: scan.layout.userColumn,
      delimiter: scan.layout.delimiter,
    },
    "input checked",
  );
  if (options.tier === "free" && scan.counts.send > FREE_DAILY_LIGHT_LIMIT) {
    logger.warn(
      { rows: scan.counts.send, dailyLimit: FREE_DAILY_LIGHT_LIMIT },
      "more changes than the Free plan's daily Light limit: the run will stop at the limit (exit 3); run it again after 00:00 UTC",
    );
  }
  const resume =
    options.resumeFrom === undefined
      ? undefined
      : await loadResume({
          reportPath: options.resumeFrom,
          inputPath: options.inputLabel ?? options.inputPath,
          checksum: scan.checksum,
          force: options.force,
          logger,
        });
  const taken = (path: string): boolean => existsSync(path) || existsSync(metaPathFor(path));
  const reportPath = options.reportPath ?? freeDefaultReportPath(options.inputPath, startedAt, taken);
  if (options.reportPath !== undefined && taken(reportPath)) {
    throw alreadyThere(reportPath, "report", "--report");
  }
  const protect =
    options.protectPath === undefined ? EMPTY_PROTECT_LIST : await loadProtectList(options.protectPath);
  return { scan, resume, reportPath, protect };
}
