import type { ReportRow } from "../../domain/report-row.js";
import type { RunTimeline, StopKind } from "../timeline.js";
import type { Attention } from "./outcomes.js";

/** A report row as the page needs it: any outcome string, so a report from a newer version still renders. */
export type HtmlReportRow = Omit<ReportRow, "outcome"> & { outcome: string };

/**
 * What is known about the run besides its rows: from the run summary and the `<report>.meta.json` sidecar.
 * Every field is optional: a report read back on its own has only the CSV.
 */
export interface HtmlRunDescription {
  command?: "run" | "undo" | "apply";
  /** The input file as given on the command line. */
  input?: string;
  tier?: string;
  dryRun?: boolean;
  startedAt?: Date;
  endedAt?: Date;
  durationMs?: number;
  exitCode?: number;
  /** One line: why the run stopped early. */
  stopReason?: string | null;
  stopKind?: StopKind;
  /** The pace configured (tier or --rps, times --share) and the tier's Light limit. */
  rpsConfigured?: number;
  tierRpsLimit?: number;
  /** Achieved status changes per second, and the lowest rate adaptive pacing went down to. */
  rateRps?: number;
  minRps?: number;
  /** Status-change requests sent (retries included) and 429s absorbed. */
  requests?: number;
  rateLimited?: number;
  lookup?: string;
  lookupRequests?: number;
  /** `--resume`: the earlier report, and how many final rows were copied from it. */
  resumedFrom?: string | null;
  carriedOver?: number;
  /** An undo: the report whose applied rows it reverses. */
  undoOf?: string;
  /** An apply: the plan it carried out, its checksum, and who approved it. */
  planFile?: string;
  planSha256?: string;
  approvers?: readonly string[];
  /** What the directory read after the changes confirmed, in words. */
  verification?: string;
  warnings?: readonly string[];
  version?: string;
}

/** How many rows the page lists; the rest are counted and left to the CSV. */
export interface TableLimits {
  /** Per outcome that needs a person. */
  attentionRows: number;
  /** Per outcome that does not. */
  fineRows: number;
}

export const DEFAULT_TABLE_LIMITS: TableLimits = { attentionRows: 1000, fineRows: 200 };

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
  /** How many rows of each outcome `groups` list. */
  limits: TableLimits;
  groups: OutcomeGroup[];
  needAttention: number;
  /** Rows by status-change requests sent for them (0 = never sent). */
  attempts: Array<{ attempts: number; rows: number }>;
  carried: number;
  firstFinishedAt: Date | undefined;
  lastFinishedAt: Date | undefined;
}

export interface HtmlReportInput {
  /** The report's rows as counted and listed (`shapeRows`, or `createRowShaper` while streaming a file). */
  figures: ReportFigures;
  /** The CSV the rows came from, named on the page. */
  reportPath?: string;
  /** The CSV ended in the middle of a row (a crash while writing it). */
  truncated?: boolean;
  run?: HtmlRunDescription;
  timeline?: RunTimeline;
  /** When the page was written (the caller's clock); left off the page when absent. */
  generatedAt?: Date;
}
