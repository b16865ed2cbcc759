import { closeSync, fchmodSync, openSync, readFileSync, writeSync } from "node:fs";
import { OffboardError } from "../domain/errors.js";
import { replacePrivateFile } from "../report/private-file.js";

/**
 * What a later `--resume` needs to know about the run that wrote a report, kept in a sidecar next to it
 * (`<report>.meta.json`) because the report's columns are fixed and it must stay a plain CSV.
 */
export interface RunMeta {
  tool: "zoom-offboard";
  version: string;
  /** The input as given on the command line, and its absolute path. */
  input: string;
  input_realpath: string;
  /** sha256 of the input's bytes, from the first pass: a resume against other bytes is refused without --force. */
  input_sha256: string;
  started_at: string;
  /** The report this run carried final rows over from, or null. */
  resumed_from: string | null;
  dry_run: boolean;
  /** Added when the run ends (finished or stopped early): how it went, for its HTML report. */
  run?: Record<string, unknown>;
  /** The run's compact timeline (per second: sent, 429s, answers, latency), bounded whatever the rows. */
  timeline?: unknown;
}

export function metaPathFor(reportPath: string): string {
  return `${reportPath}.meta.json`;
}

/** Written once, before the first status change is sent; 0600 like the report (it names the input). */
export function writeRunMeta(reportPath: string, meta: RunMeta): void {
  const path = metaPathFor(reportPath);
  try {
    const fd = openSync(path, "wx", 0o600);
    try {
      fchmodSync(fd, 0o600);
      writeSync(fd, `${JSON.stringify(meta, null, 2)}\n`);
    } finally {
      closeSync(fd);
    }
  } catch (error) {
    throw new OffboardError("REPORT_UNWRITABLE", `cannot write ${path}: ${(error as Error).message}`, {
      cause: error,
    });
  }
}

/**
 * Add what is known once the run ends to its sidecar, replacing the file whole (a temporary file and a rename), so
 * a reader never sees half of it. A report without a sidecar gets none.
 */
export function completeRunMeta(reportPath: string, end: Pick<RunMeta, "run" | "timeline">): void {
  const meta = readRunMeta(reportPath);
  if (meta === undefined) return;
  replacePrivateFile(metaPathFor(reportPath), `${JSON.stringify({ ...meta, ...end })}\n`);
}

/** The sidecar of an earlier report: undefined when it is missing or unreadable (an older run, or deleted). */
export function readRunMeta(reportPath: string): RunMeta | undefined {
  let text: string;
  try {
    text = readFileSync(metaPathFor(reportPath), "utf8");
  } catch {
    return undefined;
  }
  return parseRunMeta(text);
}

export function parseRunMeta(text: string): RunMeta | undefined {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (typeof value !== "object" || value === null) return undefined;
  const meta = value as Partial<RunMeta>;
  if (meta.tool !== "zoom-offboard" || typeof meta.input_sha256 !== "string") return undefined;
  return meta as RunMeta;
}

/** How a resume relates to the earlier run's input (pure: the caller reads the files). */
export type InputMatch =
  | { kind: "same" }
  /** No sidecar: rows are matched by content only, with a warning. */
  | { kind: "unknown" }
  /** Other bytes, allowed by --force: rows are still matched one by one by content. */
  | { kind: "different"; earlierInput: string };

export function judgeResumeInput(
  meta: RunMeta | undefined,
  checksum: string,
  paths: { input: string; earlierReport: string },
  force: boolean,
): InputMatch {
  if (meta === undefined) return { kind: "unknown" };
  if (meta.input_sha256 === checksum) return { kind: "same" };
  if (force) return { kind: "different", earlierInput: meta.input };
  throw new OffboardError(
    "RESUME_MISMATCH",
    `${paths.input} is not the file that ${paths.earlierReport} was written for (${meta.input}, ` +
      `sha256 ${meta.input_sha256.slice(0, 12)}…, now ${checksum.slice(0, 12)}…): resume with the same file, ` +
      "or pass --force to match rows by line, user and action anyway",
  );
}
