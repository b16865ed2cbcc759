import type { ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect } from "vitest";

/**
 * What tests leave behind, taken away again by test/setup.ts: temporary directories (after the test that made them,
 * or after the file for those made in a `beforeAll`) and child processes still running when a test ends (killed,
 * also when the test failed).
 */
const dirsOfTest: string[] = [];
const dirsOfFile: string[] = [];
const children = new Set<ChildProcess>();

/**
 * A fresh directory under the system's temporary directory, removed after the test that made it — or after the
 * file, when made outside a test (`beforeAll`) or for the whole file (`lasts: "file"`, for a directory kept in a
 * module variable).
 */
export function tempDir(prefix = "zo-test-", lasts: "test" | "file" = "test"): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  const ofFile = lasts === "file" || expect.getState().currentTestName === undefined;
  (ofFile ? dirsOfFile : dirsOfTest).push(dir);
  return dir;
}

/** A child process to kill if it is still running when the test ends. */
export function trackChild(child: ChildProcess): ChildProcess {
  children.add(child);
  child.once("exit", () => children.delete(child));
  return child;
}

export async function cleanUpTest(): Promise<void> {
  const exits = [...children].map(
    (child) =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once("exit", () => resolve());
        child.kill("SIGKILL");
      }),
  );
  children.clear();
  await Promise.all(exits);
  remove(dirsOfTest);
}

export function cleanUpFile(): void {
  remove(dirsOfTest);
  remove(dirsOfFile);
}

function remove(dirs: string[]): void {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
}
