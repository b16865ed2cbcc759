import { readFileSync, realpathSync } from "node:fs";
import { hostname, tmpdir } from "node:os";
import { dirname } from "node:path";
import { acquireRunLock, lockPaths, type RunLock } from "../resume/run-lock.js";
import type { Logger } from "./logger.js";
import type { RunConfig } from "./run-config.js";

/** The run locks of this process: its pid, host and boot, and how to tell whether another pid lives. */
export function takeRunLock(config: RunConfig, logger: Logger): RunLock {
  const reportDir = config.reportPath === undefined ? "reports" : dirname(config.reportPath);
  let inputRealPath: string | undefined;
  try {
    inputRealPath = realpathSync(config.inputPath);
  } catch {
    // A missing input is reported by the run itself (exit 2, naming the file); there is nothing to lock.
  }
  let bootId: string | null = null;
  try {
    bootId = readFileSync("/proc/sys/kernel/random/boot_id", "utf8").trim();
  } catch {
    // Not Linux: a pid is judged by liveness alone.
  }
  return acquireRunLock(
    lockPaths(reportDir, inputRealPath, tmpdir()),
    { input: inputRealPath ?? config.inputPath, reportDir },
    {
      pid: process.pid,
      host: hostname(),
      bootId,
      now: () => new Date(),
      isAlive: (pid) => {
        try {
          process.kill(pid, 0);
          // A killed process whose parent has not reaped it yet still answers signal 0, but it is gone.
          return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, "utf8"));
        } catch (error) {
          // EPERM: it exists but belongs to another user.
          return (error as NodeJS.ErrnoException).code !== "ESRCH";
        }
      },
      logger,
    },
  );
}
