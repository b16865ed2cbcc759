import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { parse } from "csv-parse/sync";

/** The built CLI, as a user runs it (`npm test` builds first). */
export const CLI = resolve(import.meta.dirname, "../../bin/zoom-offboard.js");
export const FIXTURES = resolve(import.meta.dirname, "../../fixtures");

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

/** Start the CLI with a clean environment (no credentials unless given) in `cwd`. */
export function startCli(
  args: string[],
  options: { env?: Record<string, string>; cwd?: string } = {},
): CliRun {
  const child = spawn(process.execPath, [CLI, ...args], {
    cwd: options.cwd ?? tempDir(),
    env: { PATH: process.env.PATH ?? "", LOG_LEVEL: "info", ...options.env },
    stdio: ["ignore", "pipe", "pipe"],
  });
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

export function tempDir(prefix = "zo-test-"): string {
  return mkdtempSync(join(tmpdir(), prefix));
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
