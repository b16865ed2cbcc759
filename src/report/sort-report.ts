import { createReadStream } from "node:fs";
import { open, rename } from "node:fs/promises";
import { dirname } from "node:path";
import { parse } from "csv-parse";
import { OffboardError } from "../domain/errors.js";

/**
 * Rewrite a finished report in input order (by its `line` column), atomically: a copy is written beside it with
 * the same private mode, made durable, and renamed over it. Rows keep their bytes exactly; only their order
 * changes. Memory stays small whatever the size: only each row's line and byte range are kept.
 */
export async function sortReportFile(path: string): Promise<void> {
  const { headerBytes, lines, ends } = await rowRanges(path);
  const order = Array.from({ length: lines.length }, (_, index) => index).sort(
    (a, b) => (lines[a] ?? 0) - (lines[b] ?? 0),
  );
  const temporary = `${path}.sorting`;
  const source = await open(path, "r");
  try {
    const target = await open(temporary, "wx", 0o600);
    try {
      await target.chmod(0o600);
      const copy = async (start: number, end: number): Promise<void> => {
        const buffer = Buffer.allocUnsafe(end - start);
        await source.read(buffer, 0, buffer.length, start);
        await target.write(buffer);
      };
      await copy(0, headerBytes);
      // Consecutive rows that are already in order are copied in one piece.
      let runStart = -1;
      let runEnd = -1;
      for (const index of order) {
        const start = index === 0 ? headerBytes : (ends[index - 1] ?? headerBytes);
        const end = ends[index] ?? start;
        if (start === runEnd) {
          runEnd = end;
          continue;
        }
        if (runStart >= 0) await copy(runStart, runEnd);
        runStart = start;
        runEnd = end;
      }
      if (runStart >= 0) await copy(runStart, runEnd);
      await target.sync();
    } finally {
      await target.close();
    }
    await rename(temporary, path);
  } catch (error) {
    throw new OffboardError(
      "REPORT_UNWRITABLE",
      `cannot rewrite the report ${path} in input order (it is complete, in the order rows finished): ${(error as Error).message}`,
      { cause: error },
    );
  } finally {
    await source.close();
  }
  await syncDirectory(dirname(path));
}

/** The byte where each data row ends, and its input line; rows are CSV records (a quoted cell may hold a break). */
async function rowRanges(
  path: string,
): Promise<{ headerBytes: number; lines: Uint32Array; ends: Float64Array }> {
  let lines = new Uint32Array(1024);
  let ends = new Float64Array(1024);
  let count = 0;
  let headerBytes = 0;
  const parser = createReadStream(path).pipe(parse({ info: true, relax_column_count: true }));
  for await (const { record, info } of parser as AsyncIterable<{
    record: string[];
    info: { bytes: number };
  }>) {
    if (headerBytes === 0) {
      headerBytes = info.bytes;
      continue;
    }
    if (count === lines.length) {
      lines = grow(lines, new Uint32Array(count * 2));
      ends = grow(ends, new Float64Array(count * 2));
    }
    lines[count] = Number(record[0]);
    ends[count] = info.bytes;
    count += 1;
  }
  return { headerBytes, lines: lines.subarray(0, count), ends: ends.subarray(0, count) };
}

function grow<T extends Uint32Array | Float64Array>(from: T, to: T): T {
  to.set(from);
  return to;
}

/** A rename is durable once the directory that holds the name is on disk too. */
async function syncDirectory(dir: string): Promise<void> {
  try {
    const handle = await open(dir, "r");
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  } catch {
    // Some file systems cannot sync a directory; the rename itself has happened.
  }
}
