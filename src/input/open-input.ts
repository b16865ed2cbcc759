import { type FileHandle, open } from "node:fs/promises";
import { pipeline } from "node:stream";
import { CsvError } from "csv-parse";
import { InputError } from "../domain/errors.js";
import { ByteGuard, lineAtOffset } from "./byte-guard.js";
import { describeUserColumnNames, findColumns } from "./columns.js";
import { type Delimiter, detectDelimiter } from "./detect-delimiter.js";
import type { InputRecord } from "./input-record.js";
import { isBlank, RecordPicker } from "./record-picker.js";

export type { InputRecord };

import { RecordSplitter, type SplitRecord } from "./split-records.js";

export interface InputLayout {
  delimiter: Delimiter;
  /** Header names as written in the file, trimmed (BOM removed). */
  header: string[];
  /** The user column's name as written in the file, trimmed. */
  userColumn: string;
  /** The action column's name as written in the file, trimmed; undefined when there is none. */
  actionColumn: string | undefined;
}

export interface OpenedInput {
  layout: InputLayout;
  /**
   * Roughly how many records the file holds, from its size and the lines in its first 64 KiB: enough to size a
   * table once instead of growing it, never to decide anything (a file's first lines can be unlike the rest).
   */
  estimatedRecords: number;
  /**
   * Non-blank data records in file order. Streams with constant memory; can be iterated once, and only one of
   * `records` and `batches` can be. The file stays open until the loop ends (normally, by `break`, or by an error),
   * so iterate it rather than leave it untouched.
   */
  records: AsyncIterable<InputRecord>;
  /**
   * The same records in file order, a batch (never empty) per chunk read: for the loops that run once per row
   * of a million-row file, where awaiting each record costs a promise and a trip through the microtask queue.
   */
  batches: AsyncIterable<readonly InputRecord[]>;
  /** sha256 hex of the file bytes; known once `records` has been read to the end (throws before that). */
  checksum(): string;
}

/** Enough to hold any sensible header line; only used to pick the delimiter. */
const DETECT_BYTES = 64 * 1024;
const READ_CHUNK_BYTES = 64 * 1024;
const LF = 10;
/**
 * A record longer than this is almost surely an unclosed quote swallowing the file. Bounding it keeps memory
 * constant on a million-line file with a stray quote near the top, and still leaves room for long free-text notes.
 */
export const MAX_RECORD_BYTES = 1024 * 1024;

/**
 * Opens a CSV of users and actions: detects the delimiter, reads the header and finds the user and
 * action columns. Throws InputError when the file cannot be used; errors found later while iterating `records`
 * (binary data, an unclosed quote) are thrown from the iterator, also as InputError, with the line.
 */
export async function openInput(path: string): Promise<OpenedInput> {
  const { handle, sizeBytes } = await openFile(path);
  let start: FileStart;
  try {
    start = await readStart(path, handle);
  } catch (error) {
    await handle.close();
    throw error;
  }
  const delimiter = detectDelimiter(start.text);

  const guard = new ByteGuard(async (offset) => {
    const line = await lineAtOffset(path, offset);
    return new InputError(path, line, `binary or non-UTF-8 data at line ${line}; save the file as UTF-8 CSV`);
  });
  // The stream closes the handle when it ends or is destroyed (an error, or the consumer leaving the loop early).
  const source = handle.createReadStream({ start: 0, highWaterMark: READ_CHUNK_BYTES });
  // The guard's errors surface through the splitter below; the callback only keeps them from going unhandled.
  pipeline(source, guard, () => {});
  const splitter = new RecordSplitter(guard, {
    delimiter,
    relax_column_count: true,
    relax_quotes: true,
    record_delimiter: ["\r\n", "\n"],
    max_record_size: MAX_RECORD_BYTES,
  });

  const nextSplit = async (): Promise<SplitRecord[] | undefined> => {
    try {
      return await splitter.next();
    } catch (error) {
      throw toInputError(error, path, splitter.nextLine);
    }
  };
  // The header is the first non-blank record; the rest of its batch is where the data records start.
  let batch: SplitRecord[] = [];
  let index = 0;
  const read = async (): Promise<{ line: number; record: string[] } | undefined> => {
    for (;;) {
      while (index < batch.length) {
        const row = batch[index++];
        if (row !== undefined && !isBlank(row.fields)) return { line: row.line, record: row.fields };
      }
      const next = await nextSplit();
      if (next === undefined) return undefined;
      batch = next;
      index = 0;
    }
  };

  let first: Awaited<ReturnType<typeof read>>;
  try {
    first = await read();
  } catch (error) {
    splitter.close();
    throw error;
  }
  if (first === undefined) {
    throw new InputError(path, 1, `no header: the file has only blank lines; ${expectedHeader()}`);
  }
  const header = first.record.map((name) => name.trim());
  const columns = findColumns(header);
  if (columns === undefined) {
    splitter.close();
    throw new InputError(
      path,
      first.line,
      `no user column: the header must name one of ${describeUserColumnNames()} (found: ${describeFound(header)})`,
    );
  }
  const { userIndex, actionIndex } = columns;
  const layout: InputLayout = {
    delimiter,
    header,
    userColumn: header[userIndex] ?? "",
    actionColumn: actionIndex === undefined ? undefined : header[actionIndex],
  };

  async function* batches(): AsyncGenerator<InputRecord[]> {
    const picker = new RecordPicker(delimiter, userIndex, actionIndex);
    try {
      for (const row of batch.slice(index)) picker.record(row.line, row.fields);
      for (;;) {
        const records = picker.take();
        if (records.length > 0) yield records;
        let more: boolean;
        try {
          more = await splitter.read(picker);
        } catch (error) {
          throw toInputError(error, path, splitter.nextLine);
        }
        if (!more) return;
      }
    } finally {
      // Reached on early exit and errors too; closes the file. A no-op after a clean end.
      splitter.close();
    }
  }

  async function* records(): AsyncGenerator<InputRecord> {
    for await (const records of batches()) {
      for (const record of records) yield record;
    }
  }

  let started = false;
  const once = <T>(iterate: () => AsyncIterator<T>): AsyncIterable<T> => ({
    [Symbol.asyncIterator]() {
      if (started) throw new Error("openInput(): records can be iterated only once");
      started = true;
      return iterate();
    },
  });
  return {
    layout,
    estimatedRecords: estimateRecords(start, sizeBytes),
    records: once(records),
    batches: once(batches),
    checksum() {
      const digest = guard.digest;
      if (digest === undefined)
        throw new Error("openInput(): checksum() is known only after all records are read");
      return digest;
    },
  };
}

async function openFile(path: string): Promise<{ handle: FileHandle; sizeBytes: number }> {
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
interface FileStart {
  text: string;
  bytes: number;
  /** "\n" bytes among them. */
  lineBreaks: number;
  /** They end inside a line (always so when the file goes on). */
  endsMidLine: boolean;
}

async function readStart(path: string, handle: FileHandle): Promise<FileStart> {
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
function estimateRecords(start: FileStart, sizeBytes: number): number {
  const lines =
    start.bytes >= sizeBytes
      ? start.lineBreaks + (start.endsMidLine ? 1 : 0)
      : Math.ceil((sizeBytes / start.bytes) * Math.max(1, start.lineBreaks));
  return Math.max(0, lines - 1);
}

function toInputError(error: unknown, path: string, recordLine: number): InputError {
  if (error instanceof InputError) return error;
  if (error instanceof CsvError) {
    // csv-parse reports where it gave up (the end of the file for an unclosed quote); the report wants the line
    // where the quoted field opens, which is the start of the record it was parsing.
    switch (error.code) {
      case "CSV_QUOTE_NOT_CLOSED":
        return new InputError(path, recordLine, "unclosed quote: the quoted field opened here never closes", {
          cause: error,
        });
      case "CSV_MAX_RECORD_SIZE":
        return new InputError(
          path,
          recordLine,
          `the record starting here is longer than ${MAX_RECORD_BYTES / 1024} KiB; is a quote left open?`,
          { cause: error },
        );
      default:
        return new InputError(path, recordLine, `cannot parse CSV (${error.code}): ${error.message}`, {
          cause: error,
        });
    }
  }
  return new InputError(path, undefined, `cannot read: ${describeFsError(error)}`, { cause: error });
}

function expectedHeader(): string {
  return `expected a header line naming the user column (${describeUserColumnNames()})`;
}

function describeFound(header: readonly string[]): string {
  const shown = header.slice(0, 10).map((name) => JSON.stringify(name.slice(0, 40)));
  return header.length > 10 ? `${shown.join(", ")}, ...` : shown.join(", ");
}

function describeFsError(error: unknown): string {
  const code =
    typeof error === "object" && error !== null && "code" in error ? String(error.code) : undefined;
  switch (code) {
    case "ENOENT":
      return "no such file";
    case "EACCES":
    case "EPERM":
      return "permission denied";
    case "EISDIR":
      return "is a directory, not a CSV file";
    default:
      return error instanceof Error ? error.message : String(error);
  }
}
