import { spawn } from "node:child_process";
import { accessSync, constants, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { performance } from "node:perf_hooks";

/** The built CLI, launched the way an admin launches it. */
export const CLI = resolve(import.meta.dirname, "../../../bin/zoom-offboard.js");

/**
 * GNU time reports the child's peak RSS and CPU time from wait4()'s rusage, after the child exited: nothing in the
 * CLI has to report on itself, and the last moments of the run are included (polling /proc would miss them).
 */
export const GNU_TIME = "/usr/bin/time";

export function checkGnuTime(): void {
  try {
    accessSync(GNU_TIME, constants.X_OK);
  } catch {
    throw new Error(
      `${GNU_TIME} not found: the benchmark measures CPU and peak memory with GNU time (apt-get install time)`,
    );
  }
}

export interface ChildRun {
  code: number | null;
  stdout: string;
  stderr: string;
  /** Epoch ms (performance.timeOrigin-based, the simulator's clock) just before the spawn. */
  launchedAtMs: number;
  wallMs: number;
  maxRssBytes: number;
  cpuUserMs: number;
  cpuSysMs: number;
  /** Times the process (any of its threads) went to sleep waiting: about one per event-loop wake-up. */
  voluntarySwitches: number;
}

/** Epoch milliseconds on the same monotonic clock as the simulator's request log. */
export const monotonicEpochMs = (): number => performance.timeOrigin + performance.now();

/** The CLI with `args`, measured. */
export function runMeasured(
  args: string[],
  options: { env: Record<string, string>; cwd: string },
): Promise<ChildRun> {
  return runMeasuredNode([CLI, ...args], options);
}

/** `node <nodeArgs>`, measured. */
export async function runMeasuredNode(
  nodeArgs: string[],
  options: { env: Record<string, string>; cwd: string },
): Promise<ChildRun> {
  const timeFile = join(options.cwd, `time-${process.pid}-${Date.now()}.txt`);
  const launchedAtMs = monotonicEpochMs();
  const child = spawn(GNU_TIME, ["-o", timeFile, "-f", "%M %U %S %w", process.execPath, ...nodeArgs], {
    cwd: options.cwd,
    env: { PATH: process.env.PATH ?? "", ...options.env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (chunk: Buffer) => {
    stdout += chunk.toString("utf8");
  });
  child.stderr.on("data", (chunk: Buffer) => {
    // Logs are drained, as a terminal or a log collector would; only the tail is kept for error messages.
    stderr = (stderr + chunk.toString("utf8")).slice(-20_000);
  });
  const code = await new Promise<number | null>((resolveExit) => child.on("close", resolveExit));
  const wallMs = monotonicEpochMs() - launchedAtMs;
  // GNU time writes "Command exited with non-zero status N" first when the exit code is not 0.
  const last = readFileSync(timeFile, "utf8").trim().split("\n").at(-1) ?? "";
  const [rssKb, user, sys, waits] = last.split(" ").map(Number);
  if (
    rssKb === undefined ||
    user === undefined ||
    sys === undefined ||
    waits === undefined ||
    Number.isNaN(rssKb)
  ) {
    throw new Error(`cannot read GNU time's output: ${JSON.stringify(last)}`);
  }
  return {
    code,
    stdout,
    stderr,
    launchedAtMs,
    wallMs,
    maxRssBytes: rssKb * 1024,
    cpuUserMs: user * 1000,
    cpuSysMs: sys * 1000,
    voluntarySwitches: waits,
  };
}
