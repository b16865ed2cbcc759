import type { Logger } from "pino";
import { parseAction } from "../domain/actions.js";
import type { Outcome, OutcomeCounts } from "../domain/outcomes.js";
import type { ReportRow } from "../domain/report-row.js";
import { type AppliedRow, type Verification, verifyApplied } from "../lookup/verify-applied.js";
import { flagReportRows } from "../report/flag-rows.js";
import type { ZoomSession } from "./zoom-session.js";

/** The rows a run applied itself (not carried over), kept for the verification after the last change. */
export function appliedRowsOf(): { add(row: ReportRow, carried: boolean): void; rows: AppliedRow[] } {
  const rows: AppliedRow[] = [];
  return {
    rows,
    add(row, carried) {
      const action = parseAction(row.action);
      if (carried || row.outcome !== "applied" || action === undefined) return;
      rows.push({ line: row.line, user: row.userId, action });
    },
  };
}

/**
 * Read the directory again and hold each applied row against it; a row Zoom said it applied but that is not in
 * that state becomes `unverified` in the report and in `counts`.
 */
export async function verifyRun(
  applied: readonly AppliedRow[],
  session: ZoomSession,
  reportPath: string,
  counts: OutcomeCounts,
  logger: Logger,
): Promise<Verification> {
  const verification = await verifyApplied(applied, session.sender);
  if (verification.failed !== undefined) {
    logger.error(
      { reason: verification.failed },
      "cannot read the directory to verify the changes: the applied rows are not confirmed",
    );
    return verification;
  }
  const unverified: Outcome = "unverified";
  const flags = new Map(
    [...verification.flagged].map(([line, message]) => [line, { outcome: unverified, message }]),
  );
  flagReportRows(reportPath, flags);
  counts.applied -= flags.size;
  counts.unverified += flags.size;
  for (const [line, message] of verification.flagged) logger.error({ line }, message);
  logger.info(
    {
      checked: verification.checked,
      notInState: verification.flagged.size,
      unverifiable: verification.unverifiable,
    },
    "changes verified against the directory",
  );
  return verification;
}
