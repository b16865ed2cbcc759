import { createHash, randomUUID } from "node:crypto";
import { linkSync, mkdirSync, readFileSync, rmdirSync, unlinkSync, writeFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import type { Logger } from "pino";
import { OffboardError } from "../domain/errors.js";

/**
 * Two runs at once would send every change twice and write two reports that each claim the rows. So a run holds
 * two lock files: one in its report directory (two runs writing reports side by side) and one keyed by the input's
 * real path (the same file run twice with different --report directories). Cron can start a second copy while a
 * slow first one is still going; a lock left by a process that died is taken over with a warning.
 */
export interface LockOwner {
  pid: number;
  started_at: string;
  host: string;
  /** Linux's boot id: a pid from before a reboot says nothing about the process running now. */
  boot_id: string | null;
  input: string;
  report_dir: string;
}

/** The facts about this process and machine, given by the CLI (the only file that touches `process`). */
export interface LockHost {
  pid: number;
  host: string;
  bootId: string | null;
  now: () => Date;
  /** `process.kill(pid, 0)`: true unless it throws ESRCH. */
  isAlive: (pid: number) => boolean;
  logger: Logger;
}

export type LockVerdict = { kind: "busy"; owner: LockOwner } | { kind: "stale"; why: string };

/** Whether a lock file found in place may be taken over. Pure. */
export function judgeLock(
  owner: LockOwner | undefined,
  self: Pick<LockHost, "host" | "bootId" | "isAlive">,
): LockVerdict {
  // Locks are written whole (link of a finished file), so unreadable content was damaged, not half-written.
  if (owner === undefined) return { kind: "stale", why: "its content is unreadable" };
  if (owner.host !== self.host) return { kind: "busy", owner };
  if (owner.boot_id !== null && self.bootId !== null && owner.boot_id !== self.bootId) {
    return { kind: "stale", why: `pid ${owner.pid} ran before the machine rebooted` };
  }
  if (!self.isAlive(owner.pid)) return { kind: "stale", why: `pid ${owner.pid} is no longer running` };
  return { kind: "busy", owner };
}

export function parseLockOwner(text: string): LockOwner | undefined {
  try {
    const value = JSON.parse(text) as Partial<LockOwner> | null;
    if (value === null || typeof value.pid !== "number" || typeof value.host !== "string") return undefined;
    return {
      pid: value.pid,
      started_at: String(value.started_at ?? "?"),
      host: value.host,
      boot_id: typeof value.boot_id === "string" ? value.boot_id : null,
      input: String(value.input ?? "?"),
      report_dir: String(value.report_dir ?? "?"),
    };
  } catch {
    return undefined;
  }
}

/** `<report dir>/.zoom-offboard.lock` and `<lock dir>/zoom-offboard-input-<sha256(realpath) prefix>.lock`. */
export function lockPaths(
  reportDir: string,
  inputRealPath: string | undefined,
  inputLockDir: string,
): string[] {
  const paths = [join(reportDir, ".zoom-offboard.lock")];
  if (inputRealPath !== undefined) {
    const key = createHash("sha256").update(inputRealPath).digest("hex").slice(0, 24);
    paths.push(join(inputLockDir, `zoom-offboard-input-${key}.lock`));
  }
  return paths;
}

export interface RunLock {
  readonly paths: readonly string[];
  /** Remove the lock files if they are still ours. Synchronous and idempotent, so an exit handler can call it. */
  release(): void;
}

/** Take every lock in `paths`, or throw RUN_LOCKED (exit 2) naming the run that holds one, holding none. */
export function acquireRunLock(
  paths: readonly string[],
  what: { input: string; reportDir: string },
  host: LockHost,
): RunLock {
  const owner: LockOwner = {
    pid: host.pid,
    started_at: host.now().toISOString(),
    host: host.host,
    boot_id: host.bootId,
    input: what.input,
    report_dir: what.reportDir,
  };
  const text = `${JSON.stringify(owner)}\n`;
  const held: string[] = [];
  // Directories made only to hold a lock: a run that stops with exit 2 leaves no empty reports/ behind.
  const madeDirs: Array<{ dir: string; top: string }> = [];
  const release = (): void => {
    for (const path of held.splice(0)) {
      try {
        // Only our own: a lock taken over from us (we were thought dead) belongs to someone else now.
        if (readFileSync(path, "utf8") === text) unlinkSync(path);
      } catch {
        // Already gone.
      }
    }
    for (const { dir, top } of madeDirs.splice(0)) removeEmptyDirs(dir, top);
  };
  try {
    for (const path of paths) {
      const made = mkdirSync(dirname(path), { recursive: true });
      if (made !== undefined) madeDirs.push({ dir: dirname(path), top: made });
      takeOne(path, text, host);
      held.push(path);
    }
  } catch (error) {
    release();
    throw error;
  }
  return { paths, release };
}

/** rmdir `dir` and its parents up to `top` (the first one mkdir made), stopping at one that is not empty. */
function removeEmptyDirs(dir: string, top: string): void {
  for (let current = dir; ; current = dirname(current)) {
    try {
      rmdirSync(current);
    } catch {
      return; // not empty (the report is there), or gone
    }
    if (relative(top, current) === "" || current === dirname(current)) return;
  }
}

function takeOne(path: string, text: string, host: LockHost): void {
  // Write the whole content to a private file, then link it into place: link fails if the lock exists, and a lock
  // that exists always has its whole content (with `wx` a reader could find it empty and call it stale).
  const temp = `${path}.${host.pid}.${randomUUID()}.tmp`;
  writeFileSync(temp, text, { mode: 0o600 });
  try {
    for (let tries = 0; ; tries += 1) {
      try {
        linkSync(temp, path);
        return;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw lockError(path, error);
      }
      let found: string;
      try {
        found = readFileSync(path, "utf8");
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === "ENOENT") continue; // released meanwhile: try again
        throw lockError(path, error);
      }
      const verdict = judgeLock(parseLockOwner(found), host);
      if (verdict.kind === "busy" || tries > 0) {
        const holder = verdict.kind === "busy" ? verdict.owner : parseLockOwner(found);
        throw new OffboardError(
          "RUN_LOCKED",
          holder === undefined
            ? `another run holds ${path}`
            : `another run is going: pid ${holder.pid} on ${holder.host}, started ${holder.started_at} ` +
                `(input ${holder.input}); lock file ${path}. If that process is surely gone, delete the file.`,
        );
      }
      host.logger.warn({ lock: path, reason: verdict.why }, "taking over a lock left by a run that died");
      // Take it over only if it still holds what we judged: a third run may have taken it over already.
      if (readFileSync(path, "utf8") === found) unlinkSync(path);
    }
  } finally {
    unlinkSync(temp);
  }
}

function lockError(path: string, error: unknown): OffboardError {
  return new OffboardError("RUN_LOCKED", `cannot take the run lock ${path}: ${(error as Error).message}`, {
    cause: error,
  });
}
