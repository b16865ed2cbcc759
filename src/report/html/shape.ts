import { CARRIED_PREFIX } from "../../domain/report-row.js";
import { type Attention, outcomeInfo, outcomeOrder } from "./outcomes.js";
import type { HtmlReportRow, TableLimits } from "./types.js";

/** The rows of one outcome: counted in full, listed up to the table limit. */
export interface OutcomeGroup {
  outcome: string;
  label: string;
  meaning: string;
  attention: Attention;
  count: number;
  /** Rows copied from an earlier report by `--resume`. */
  carried: number;
  listed: HtmlReportRow[];
}

export interface ReportFigures {
  rows: number;
  groups: OutcomeGroup[];
  needAttention: number;
  /** Rows by status-change requests sent for them (0 = never sent). */
  attempts: Array<{ attempts: number; rows: number }>;
  carried: number;
  firstFinishedAt: Date | undefined;
  lastFinishedAt: Date | undefined;
}

/**
 * Distinct outcome strings beyond this are folded into one group: a damaged or foreign file must not turn the
 * page into thousands of tables.
 */
export const MAX_OUTCOME_GROUPS = 24;
const OTHER = "other";

/** One pass over the rows; memory for the listed rows only, whatever the report's size. */
export function shapeRows(rows: readonly HtmlReportRow[], limits: TableLimits): ReportFigures {
  const groups = new Map<string, OutcomeGroup>();
  const attempts = new Map<number, number>();
  let carried = 0;
  let first = Number.POSITIVE_INFINITY;
  let last = Number.NEGATIVE_INFINITY;
  for (const row of rows) {
    const key = groups.has(row.outcome) || groups.size < MAX_OUTCOME_GROUPS ? row.outcome : OTHER;
    let group = groups.get(key);
    if (group === undefined) {
      const info = outcomeInfo(key);
      group = { outcome: key, ...info, count: 0, carried: 0, listed: [] };
      groups.set(key, group);
    }
    group.count += 1;
    const limit = group.attention === "fine" ? limits.fineRows : limits.attentionRows;
    if (group.listed.length < limit) group.listed.push(row);
    if (row.message.startsWith(CARRIED_PREFIX)) {
      group.carried += 1;
      carried += 1;
    }
    const sent = Number.isInteger(row.attempts) && row.attempts > 0 ? row.attempts : 0;
    attempts.set(sent, (attempts.get(sent) ?? 0) + 1);
    const finishedMs = row.finishedAt.getTime();
    if (finishedMs < first) first = finishedMs;
    if (finishedMs > last) last = finishedMs;
  }
  const ordered = outcomeOrder(groups.keys()).map((key) => groups.get(key) as OutcomeGroup);
  return {
    rows: rows.length,
    groups: ordered,
    needAttention: ordered.filter((g) => g.attention === "attention").reduce((n, g) => n + g.count, 0),
    attempts: [...attempts].sort(([a], [b]) => a - b).map(([n, count]) => ({ attempts: n, rows: count })),
    carried,
    firstFinishedAt: Number.isFinite(first) ? new Date(first) : undefined,
    lastFinishedAt: Number.isFinite(last) ? new Date(last) : undefined,
  };
}

/** The exit code the rows imply, for a report whose run left no record of it. */
export function impliedExitCode(figures: ReportFigures): number {
  const count = (outcome: string) => figures.groups.find((g) => g.outcome === outcome)?.count ?? 0;
  if (count("not_attempted") > 0) return 3;
  return ["invalid", "conflict", "not_found", "rejected", "failed"].some((o) => count(o) > 0) ? 1 : 0;
}
