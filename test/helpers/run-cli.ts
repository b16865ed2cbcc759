import { type ChildProcess, spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { parse } from "csv-parse/sync";
import { expect } from "vitest";
import { tempDir, trackChild } from "./cleanup.js";

export { tempDir } from "./cleanup.js";

/** The built CLI, as a user runs it (`npm test` builds first). */
export const CLI = resolve(import.meta.dirname, "../../bin/zoom-offboard.js");
export const ROOT = resolve(import.meta.dirname, "../..");
export const FIXTURES = resolve(ROOT, "fixtures");

export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export interface CliRun {
  child: ChildProcess;
  done: Promise<CliResult>;
}

/**
 * The CLI's TMPDIR (its input locks, an undo's derived input): one per test file, so that runs of one test see each
 * other's locks and nothing is left in the machine's /tmp.
 */
let cliTmp: string | undefined;

/** The environment a spawned CLI starts from: PATH, a TMPDIR of the test file's own, and nothing else. */
export function cliBaseEnv(): Record<string, string> {
  cliTmp ??= tempDir("zo-clitmp-", "file");
  return { PATH: process.env.PATH ?? "", TMPDIR: cliTmp };
}

/** Start the CLI with a clean environment (no credentials unless given) in `cwd`; killed if the test ends first. */
export function startCli(
  args: string[],
  options: { env?: Record<string, string>; cwd?: string } = {},
): CliRun {
  const child = spawn(process.execPath, [CLI, ...args], {
    cwd: options.cwd ?? tempDir(),
    env: { ...cliBaseEnv(), LOG_LEVEL: "info", ...options.env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  trackChild(child);
  let stdout = "";
  let stderr = "";
  child.stdout?.on("data", (chunk: Buffer) => {
    stdout += chunk.toString("utf8");
  });
  child.stderr?.on("data", (chunk: Buffer) => {
    stderr += chunk.toString("utf8");
  });
  const done = new Promise<CliResult>((resolvePromise) => {
    child.on("close", (code, signal) => resolvePromise({ code, signal, stdout, stderr }));
  });
  return { child, done };
}

export function runCli(args: string[], options: { env?: Record<string, string>; cwd?: string } = {}) {
  return startCli(args, options).done;
}

export type ReportRecord = Record<
  | "line"
  | "user_id"
  | "action"
  | "outcome"
  | "http_status"
  | "zoom_code"
  | "message"
  | "attempts"
  | "tracking_id"
  | "finished_at",
  string
>;

export function readReport(path: string): ReportRecord[] {
  return parse(readFileSync(path, "utf8"), { columns: true }) as ReportRecord[];
}

/** Report rows keyed by input line, failing loudly if a line appears twice. */
export function byLine(rows: ReportRecord[]): Map<number, ReportRecord> {
  const map = new Map<number, ReportRecord>();
  for (const row of rows) {
    const line = Number(row.line);
    if (map.has(line)) throw new Error(`line ${line} appears twice in the report`);
    map.set(line, row);
  }
  return map;
}

/** Every input line 2..rows+1 exactly once (byLine throws on a line seen twice); returns the rows. */
export function expectEveryRowOnce(report: string, rows: number): ReportRecord[] {
  const records = readReport(report);
  const lines = byLine(records);
  expect(records).toHaveLength(rows);
  expect([...lines.keys()].sort((a, b) => a - b)).toEqual(Array.from({ length: rows }, (_, i) => i + 2));
  return records;
}
