import { closeSync, fchmodSync, fsyncSync, openSync, renameSync, rmSync, writeSync } from "node:fs";
import { OffboardError } from "../domain/errors.js";

/**
 * Replace a file whole with mode 0600 (what the tool writes names people), through a temporary file and a rename,
 * so that a reader never sees half of it.
 */
export function replacePrivateFile(path: string, text: string): void {
  const temporary = `${path}.${process.pid}.tmp`;
  try {
    const fd = openSync(temporary, "w", 0o600);
    try {
      fchmodSync(fd, 0o600);
      writeSync(fd, text);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(temporary, path);
  } catch (error) {
    rmSync(temporary, { force: true });
    throw new OffboardError("REPORT_UNWRITABLE", `cannot write ${path}: ${(error as Error).message}`, {
      cause: error,
    });
  }
}
