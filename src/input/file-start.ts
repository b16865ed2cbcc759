import { type FileHandle, open } from "node:fs/promises";
import { InputError } from "../domain/errors.js";
import { describeFsError, expectedHeader } from "./input-errors.js";

/** Enough to hold any sensible header line; only used to pick the delimiter. */
const DETECT_BYTES = 64 * 1024;
const LF = 10;

export async function openFile(path: string): Promise<{ handle: FileHandle; sizeBytes: number }> {
  let handle: FileHandle;
  try {
    handle = await open(path, "r");
  } catch (error) {
    throw new InputError(path, undefined, `cannot open: ${describeFsError(error)}`, { cause: error });
  }
  try {
    const stats = await handle.stat();
    if (stats.isDirectory()) throw new InputError(path, undefined, "is a directory, not a CSV file");
    // Pipes and devices cannot be read twice, and a run reads the file twice (check everything, then send).
    if (!stats.isFile()) throw new InputError(path, undefined, "is not a regular file");
    return { handle, sizeBytes: stats.size };
  } catch (error) {
    await handle.close();
    throw error instanceof InputError
      ? error
      : new InputError(path, undefined, `cannot read: ${describeFsError(error)}`, { cause: error });
  }
}

/** The file's first bytes: the delimiter is detected from them, and the number of records estimated. */
export interface FileStart {
  text: string;
  bytes: number;
  /** "\n" bytes among them. */
  lineBreaks: number;
  /** They end inside a line (always so when the file goes on). */
  endsMidLine: boolean;
}

export async function readStart(path: string, handle: FileHandle): Promise<FileStart> {
  const start = Buffer.alloc(DETECT_BYTES);
  let bytesRead: number;
  try {
    ({ bytesRead } = await handle.read(start, 0, DETECT_BYTES, 0));
  } catch (error) {
    throw new InputError(path, undefined, `cannot read: ${describeFsError(error)}`, { cause: error });
  }
  if (bytesRead === 0) throw new InputError(path, 1, `the file is empty; ${expectedHeader()}`);
  let lineBreaks = 0;
  for (let at = start.indexOf(LF); at !== -1 && at < bytesRead; at = start.indexOf(LF, at + 1)) lineBreaks++;
  return {
    text: start.toString("utf8", 0, bytesRead),
    bytes: bytesRead,
    lineBreaks,
    endsMidLine: start[bytesRead - 1] !== LF,
  };
}

/** Lines of the whole file at the density of its first bytes (exact for a small file), less the header. */
export function estimateRecords(start: FileStart, sizeBytes: number): number {
  const lines =
    start.bytes >= sizeBytes
      ? start.lineBreaks + (start.endsMidLine ? 1 : 0)
      : Math.ceil((sizeBytes / start.bytes) * Math.max(1, start.lineBreaks));
  return Math.max(0, lines - 1);
}
