import type { Outcome } from "../domain/outcomes.js";
import type { ReportRow } from "../domain/report-row.js";

/** A few rows of each outcome, for the dry run's preview table: who would be deactivated, who is not found… */
export interface PreviewRow {
  line: number;
  user: string;
  action: string;
  message: string;
}

export type PreviewSamples = Partial<Record<Outcome, PreviewRow[]>>;

export const PREVIEW_ROWS_PER_OUTCOME = 5;

export function createPreviewSamples(perOutcome: number): {
  add(row: ReportRow): void;
  samples: PreviewSamples;
} {
  const samples: PreviewSamples = {};
  return {
    samples,
    add(row) {
      const list = samples[row.outcome] ?? [];
      samples[row.outcome] = list;
      if (list.length < perOutcome) {
        list.push({ line: row.line, user: row.userId, action: row.action, message: row.message });
      }
    },
  };
}
