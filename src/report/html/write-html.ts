import { closeSync, fchmodSync, fsyncSync, openSync, renameSync, rmSync, writeSync } from "node:fs";
import { OffboardError } from "../../domain/errors.js";

/**
 * Write the page with mode 0600 like the CSV (it lists people's emails), through a temporary file and a rename:
 * the page is derived from the CSV, so writing it again replaces it, and a reader never sees half a page.
 */
export function writeHtmlReport(path: string, page: string): void {
  const temporary = `${path}.${process.pid}.tmp`;
  try {
    const fd = openSync(temporary, "w", 0o600);
    try {
      fchmodSync(fd, 0o600);
      writeSync(fd, page);
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
