import { pipeline } from "node:stream";
import { InputError, OffboardError } from "../domain/errors.js";
import { ByteGuard, lineAtOffset } from "./byte-guard.js";
import { describeUserColumnNames, findColumns } from "./columns.js";
import { type Delimiter, detectDelimiter } from "./detect-delimiter.js";
import { estimateRecords, type FileStart, openFile, readStart } from "./file-start.js";
import { describeFound, expectedHeader, MAX_RECORD_BYTES, toInputError } from "./input-errors.js";
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
  /** The transfer-target column's name as written in the file, trimmed; undefined when there is none. */
  transferColumn?: string | undefined;
  /** The date column's name as written in the file, trimmed; undefined when there is none. */
  dateColumn?: string | undefined;
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

const READ_CHUNK_BYTES = 64 * 1024;

export { MAX_RECORD_BYTES };

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
  const { userIndex, actionIndex, transferIndex, dateIndex } = columns;
  const layout: InputLayout = {
    delimiter,
    header,
    userColumn: header[userIndex] ?? "",
    actionColumn: actionIndex === undefined ? undefined : header[actionIndex],
    transferColumn: transferIndex === undefined ? undefined : header[transferIndex],
    dateColumn: dateIndex === undefined ? undefined : header[dateIndex],
  };

  async function* batches(): AsyncGenerator<InputRecord[]> {
    const picker = new RecordPicker(delimiter, userIndex, actionIndex, transferIndex, dateIndex);
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
      if (started) throw new OffboardError("INTERNAL", "openInput(): records can be iterated only once");
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
        throw new OffboardError(
          "INTERNAL",
          "openInput(): checksum() is known only after all records are read",
        );
      return digest;
    },
  };
}
