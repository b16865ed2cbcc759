import {
  closeSync,
  fchmodSync,
  fsyncSync,
  mkdirSync,
  openSync,
  renameSync,
  rmSync,
  writeSync,
} from "node:fs";
import { dirname } from "node:path";
import { OffboardError } from "../domain/errors.js";

/**
 * Create `path` (and its folder) with mode 0600 and return its descriptor, never over an existing file: an
 * earlier report or plan is a record. `kind` names the file in errors; `option` is the flag for another path.
 */
export function createPrivateFile(path: string, kind: "report" | "plan", option: string): number {
  let fd: number | undefined;
  try {
    mkdirSync(dirname(path), { recursive: true });
    fd = openSync(path, "wx", 0o600);
    // The mode passed to open is filtered by the umask; make sure nobody else can read it whatever the umask.
    fchmodSync(fd, 0o600);
    return fd;
  } catch (error) {
    if (fd !== undefined) closeSync(fd);
    if ((error as NodeJS.ErrnoException).code === "EEXIST") throw alreadyThere(path, kind, option, error);
    throw new OffboardError(
      "REPORT_UNWRITABLE",
      `cannot create the ${kind} ${path}: ${(error as Error).message}`,
      { cause: error },
    );
  }
}

/** The refusal for a report or plan path that is taken: such a file is a record, never overwritten. */
export function alreadyThere(
  path: string,
  kind: "report" | "plan",
  option: string,
  cause?: unknown,
): OffboardError {
  return new OffboardError(
    "REPORT_UNWRITABLE",
    `cannot create the ${kind} ${path}: it already exists (${kind}s are never overwritten; choose another ${option})`,
    { cause },
  );
}

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
