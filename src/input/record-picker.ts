import type { InputRecord } from "./input-record.js";
import type { RecordSink } from "./split-records.js";

/**
 * Turns what the splitter reads into InputRecords: the trimmed user and action fields of every non-blank record,
 * in file order. Of a line the splitter read itself only those two fields become strings; splitting every field
 * of every line was most of what a million-row dry run allocated.
 */
export class RecordPicker implements RecordSink {
  readonly #delimiter: string;
  readonly #delimiterCode: number;
  readonly #userIndex: number;
  /** -1 when the file has no action column. */
  readonly #actionIndex: number;
  /** -1 when the file has no transfer-target column. */
  readonly #transferIndex: number;
  /** -1 when the file has no date column. */
  readonly #dateIndex: number;
  /** The walk along a line stops after this field. */
  readonly #lastIndex: number;
  #records: InputRecord[] = [];

  constructor(
    delimiter: string,
    userIndex: number,
    actionIndex: number | undefined,
    transferIndex: number | undefined = undefined,
    dateIndex: number | undefined = undefined,
  ) {
    this.#delimiter = delimiter;
    this.#delimiterCode = delimiter.charCodeAt(0);
    this.#userIndex = userIndex;
    this.#actionIndex = actionIndex ?? -1;
    this.#transferIndex = transferIndex ?? -1;
    this.#dateIndex = dateIndex ?? -1;
    this.#lastIndex = Math.max(userIndex, this.#actionIndex, this.#transferIndex, this.#dateIndex);
  }

  /** The records picked since the last call. */
  take(): InputRecord[] {
    const records = this.#records;
    this.#records = [];
    return records;
  }

  line(line: number, text: string, start: number, end: number): void {
    // Locals in the loop, not fields: see RecordSplitter's line loop.
    const delimiter = this.#delimiterCode;
    const userIndex = this.#userIndex;
    const actionIndex = this.#actionIndex;
    const transferIndex = this.#transferIndex;
    const dateIndex = this.#dateIndex;
    const lastIndex = this.#lastIndex;
    let user: string | undefined;
    let action: string | undefined;
    let transferTo: string | undefined;
    let effective: string | undefined;
    let field = 0;
    let from = start;
    for (let at = start; at <= end; at++) {
      if (at < end && text.charCodeAt(at) !== delimiter) continue;
      if (field === userIndex) user = text.slice(from, at).trim();
      if (field === actionIndex) action = text.slice(from, at).trim();
      if (field === transferIndex) transferTo = text.slice(from, at).trim();
      if (field === dateIndex) effective = text.slice(from, at).trim();
      if (field === lastIndex) break;
      field++;
      from = at + 1;
    }
    // Two empty fields say nothing about the others; the whole line decides whether the record is blank (rare).
    if (!user && !action && isBlank(text.slice(start, end).split(this.#delimiter))) return;
    this.#records.push({ line, user, action, transferTo, effective });
  }

  record(line: number, fields: string[]): void {
    if (isBlank(fields)) return;
    this.#records.push({
      line,
      user: fields[this.#userIndex]?.trim(),
      action: this.#actionIndex < 0 ? undefined : fields[this.#actionIndex]?.trim(),
      transferTo: this.#transferIndex < 0 ? undefined : fields[this.#transferIndex]?.trim(),
      effective: this.#dateIndex < 0 ? undefined : fields[this.#dateIndex]?.trim(),
    });
  }
}

/** A row of nothing but delimiters and whitespace is blank and skipped. */
export function isBlank(record: readonly string[]): boolean {
  for (const field of record) {
    if (field.trim() !== "") return false;
  }
  return true;
}
