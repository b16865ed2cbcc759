import { CARRIED_PREFIX } from "../../domain/report-row.js";
import { outcomeInfo, outcomeOrder } from "./outcomes.js";
import {
  DEFAULT_TABLE_LIMITS,
  type HtmlReportRow,
  type OutcomeGroup,
  type ReportFigures,
  type TableLimits,
} from "./types.js";

export type { OutcomeGroup, ReportFigures } from "./types.js";

/**
 * Distinct outcome strings beyond this are folded into one group: a damaged or foreign file must not turn the
 * page into thousands of tables.
 */
export const MAX_OUTCOME_GROUPS = 24;
const OTHER = "other";

/** One pass over the rows; memory for the listed rows only, whatever the report's size. */
export function shapeRows(
  rows: Iterable<HtmlReportRow>,
  limits: TableLimits = DEFAULT_TABLE_LIMITS,
): ReportFigures {
  const shaper = createRowShaper(limits);
  for (const row of rows) shaper.add(row);
  return shaper.figures();
}

/** The same, a row at a time: a report is read into it as it streams from the file. */
export function createRowShaper(limits: TableLimits = DEFAULT_TABLE_LIMITS): {
  add(row: HtmlReportRow): void;
  figures(): ReportFigures;
} {
  const groups = new Map<string, OutcomeGroup>();
  const attempts = new Map<number, number>();
  let rows = 0;
  let carried = 0;
  let first = Number.POSITIVE_INFINITY;
  let last = Number.NEGATIVE_INFINITY;
  return {
    add(row) {
      rows += 1;
      const key = groups.has(row.outcome) || groups.size < MAX_OUTCOME_GROUPS ? row.outcome : OTHER;
      let group = groups.get(key);
      if (group === undefined) {
        const info = outcomeInfo(key);
        group = { outcome: key, ...info, count: 0, carried: 0, listed: [] };
        groups.set(key, group);
      }
      group.count += 1;
      const limit = group.attention === "fine" ? limits.fineRows : limits.attentionRows;
      // Copied: strings read from a file can be slices of a far larger chunk, which a kept row would keep alive.
      if (group.listed.length < limit) group.listed.push(structuredClone(row));
      if (row.message.startsWith(CARRIED_PREFIX)) {
        group.carried += 1;
        carried += 1;
      }
      const sent = Number.isInteger(row.attempts) && row.attempts > 0 ? row.attempts : 0;
      attempts.set(sent, (attempts.get(sent) ?? 0) + 1);
      const finishedMs = row.finishedAt.getTime();
      if (finishedMs < first) first = finishedMs;
      if (finishedMs > last) last = finishedMs;
    },
    figures() {
      const ordered = outcomeOrder(groups.keys()).map((key) => groups.get(key) as OutcomeGroup);
      return {
        rows,
        limits,
        groups: ordered,
        needAttention: ordered.filter((g) => g.attention === "attention").reduce((n, g) => n + g.count, 0),
        attempts: [...attempts].sort(([a], [b]) => a - b).map(([n, count]) => ({ attempts: n, rows: count })),
        carried,
        firstFinishedAt: Number.isFinite(first) ? new Date(first) : undefined,
        lastFinishedAt: Number.isFinite(last) ? new Date(last) : undefined,
      };
    },
  };
}

/** The exit code the rows imply, for a report whose run left no record of it. */
export function impliedExitCode(figures: ReportFigures): number {
  const count = (outcome: string) => figures.groups.find((g) => g.outcome === outcome)?.count ?? 0;
  if (count("not_attempted") > 0) return 3;
  return ["invalid", "conflict", "not_found", "rejected", "failed"].some((o) => count(o) > 0) ? 1 : 0;
}
