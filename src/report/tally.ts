import { emptyCounts, type OutcomeCounts } from "../domain/outcomes.js";
import type { ReportRow } from "../domain/report-row.js";

/** Counts outcomes as rows finish and remembers when sending began and ended, for the rate. */
export interface OutcomeTally {
  add(row: ReportRow): void;
  readonly counts: OutcomeCounts;
  readonly rows: number;
}

export function createOutcomeTally(): OutcomeTally {
  const counts = emptyCounts();
  let rows = 0;
  return {
    add(row) {
      counts[row.outcome] += 1;
      rows += 1;
    },
    counts,
    get rows() {
      return rows;
    },
  };
}
