import { pipeline, Readable } from "node:stream";
import { type Options, type Parser, parse } from "csv-parse";
import { parse as parseSync } from "csv-parse/sync";
import { linesConsumed } from "./line-counter.js";
import { RecordPump } from "./record-pump.js";

/** A record as read: the line where it starts and its fields, untrimmed. */
export interface SplitRecord {
  line: number;
  fields: string[];
}

/** Takes the records the splitter reads, in file order, each with the line where it starts. */
export interface RecordSink {
  /**
   * A line without quotes, split here: its fields are `text.slice(start, end)` split on the delimiter (what
   * csv-parse returns for it). The sink takes out only the fields it wants: a million-row file has millions of
   * fields nobody reads.
   */
  line(line: number, text: string, start: number, end: number): void;
  /** A record csv-parse read: all its fields. */
  record(line: number, fields: string[]): void;
}

/**
 * Lines up to this long without a quote are split here; longer ones go to csv-parse, which enforces
 * `max_record_size`. It also bounds the partial line carried from one chunk to the next.
 */
const FAST_LINE_MAX_BYTES = 64 * 1024;
const LF = 10;
const BOM = [0xef, 0xbb, 0xbf] as const;

/**
 * Splits validated UTF-8 CSV bytes into records. A quote-free line is split on the delimiter here, as csv-parse
 * would under our options (a property test holds them equal) but faster (docs/NOTES-PERFORMANCE.md); csv-parse
 * reads a quoted line alone, and all the rest after a multi-line field or an over-long line. Its `CsvError`s
 * come out of `read()`/`next()`; the caller maps them with `nextLine`.
 */
export class RecordSplitter {
  readonly #chunks: AsyncIterator<Buffer>;
  readonly #delimiter: string;
  readonly #options: Options;
  /** Longest partial line carried between chunks, bytes. */
  readonly #maxCarryBytes: number;
  /** Longest line split here, UTF-16 units (at most 3 bytes each): well under csv-parse's max_record_size. */
  readonly #maxFastChars: number;
  #pending: Buffer | undefined;
  #atFileStart = true;
  #ended = false;
  #line = 1;
  /** Set once the rest of the file is handed to csv-parse's stream parser. */
  #slow: { parser: Parser; pump: RecordPump } | undefined;

  constructor(chunks: AsyncIterable<Buffer>, options: Options & { delimiter: string }) {
    this.#chunks = chunks[Symbol.asyncIterator]();
    this.#delimiter = options.delimiter;
    this.#options = { ...options, bom: false, raw: true };
    const maxRecord =
      typeof options.max_record_size === "number" && options.max_record_size > 0
        ? options.max_record_size
        : Number.POSITIVE_INFINITY;
    this.#maxCarryBytes = Math.min(FAST_LINE_MAX_BYTES, maxRecord);
    this.#maxFastChars = Math.floor(this.#maxCarryBytes / 4);
  }

  /** Line where the next record starts (the header is line 1); blank records advance it too. */
  get nextLine(): number {
    return this.#line;
  }

  /** The next records (possibly none, when a chunk held no whole line); undefined at the end of the file. */
  async next(): Promise<SplitRecord[] | undefined> {
    const rows: SplitRecord[] = [];
    const delimiter = this.#delimiter;
    const more = await this.read({
      line: (line, text, start, end) => {
        rows.push({ line, fields: text.slice(start, end).split(delimiter) });
      },
      record: (line, fields) => {
        rows.push({ line, fields });
      },
    });
    return more ? rows : undefined;
  }

  /**
   * Reads the next records into `sink` (possibly none, when a chunk held no whole line); false, with nothing read,
   * at the end of the file.
   */
  async read(sink: RecordSink): Promise<boolean> {
    if (this.#slow !== undefined) return this.#readSlow(this.#slow.pump, sink);
    if (this.#ended) return false;
    const step = await this.#chunks.next();
    if (step.done === true) {
      this.#ended = true;
      const rest = this.#takeBom(this.#pending ?? Buffer.alloc(0), true);
      this.#pending = undefined;
      if (rest.length === 0) return false;
      // A small file can still hold whole lines here (the first bytes wait for a possible BOM).
      const lastLf = rest.lastIndexOf(LF);
      const tail = rest.subarray(lastLf + 1);
      if (lastLf >= 0) this.#splitLines(rest.toString("utf8", 0, lastLf + 1), tail, sink);
      if (this.#slow !== undefined || tail.length === 0) return true;
      // A last line without a newline: csv-parse decides (a lone "\r" at the end, an unclosed quote).
      await this.#slowLine(tail.toString("utf8"), tail, sink);
      return true;
    }
    const joined = this.#pending === undefined ? step.value : Buffer.concat([this.#pending, step.value]);
    const buf = this.#takeBom(joined, false);
    if (this.#atFileStart) {
      this.#pending = buf;
      return true;
    }
    const lastLf = buf.lastIndexOf(LF);
    if (lastLf < 0) {
      this.#pending = buf;
      if (buf.length > this.#maxCarryBytes) this.#handOver(buf);
      return true;
    }
    const tail = buf.subarray(lastLf + 1);
    this.#pending = tail.length > 0 ? tail : undefined;
    this.#splitLines(buf.toString("utf8", 0, lastLf + 1), tail, sink);
    // Handed over in the middle: the tail went to csv-parse with the rest.
    if (this.#slow !== undefined) return true;
    // A partial line already longer than any line split here: csv-parse reads it and the rest.
    if (tail.length > this.#maxCarryBytes) this.#handOver(tail);
    return true;
  }

  /** Stop reading: closes the file. */
  close(): void {
    this.#ended = true;
    this.#slow?.parser.destroy();
    void this.#chunks.return?.();
  }

  /** Strips a UTF-8 BOM from the file's first bytes; waits for three bytes unless the file ends first. */
  #takeBom(buf: Buffer, end: boolean): Buffer {
    if (!this.#atFileStart) return buf;
    if (buf.length < BOM.length && !end) return buf;
    this.#atFileStart = false;
    return buf[0] === BOM[0] && buf[1] === BOM[1] && buf[2] === BOM[2] ? buf.subarray(BOM.length) : buf;
  }

  /** `text` is whole lines, each ending in "\n"; `after` is what follows them in the file (for a hand-over). */
  #splitLines(text: string, after: Buffer, sink: RecordSink): void {
    // The loop keeps the line count and the limit in locals: with `this.#line++` in it, V8 (Node 20) ran this loop
    // over ten times slower, most of a dry run's time. The count goes back to the field before anything reads it.
    const maxFastChars = this.#maxFastChars;
    let line = this.#line;
    let start = 0;
    // Where the next quote is: one search per quote rather than one per line.
    let quote = text.indexOf('"');
    for (let lf = text.indexOf("\n"); lf !== -1; lf = text.indexOf("\n", start)) {
      const end = lf > start && text.charCodeAt(lf - 1) === 13 ? lf - 1 : lf;
      if (quote !== -1 && quote < start) quote = text.indexOf('"', start);
      if ((quote !== -1 && quote < end) || end - start > maxFastChars) {
        this.#line = line;
        if (!this.#quotedLine(text.slice(start, lf + 1), sink)) {
          // A quoted field goes on past this line: csv-parse reads the rest of the file.
          const rest = Buffer.from(text.slice(start), "utf8");
          this.#handOver(after.length === 0 ? rest : Buffer.concat([rest, after]));
          return;
        }
      } else {
        sink.line(line, text, start, end);
      }
      line++;
      start = lf + 1;
    }
    this.#line = line;
  }

  /** One whole line with a quote, through csv-parse/sync; false, with nothing read, when it does not end there. */
  #quotedLine(lineText: string, sink: RecordSink): boolean {
    let records: string[][];
    try {
      records = parseSync(lineText, { ...this.#options, raw: false }) as string[][];
    } catch {
      // An unclosed quote (a field spanning lines) or an overlong record: the stream parser reads from here and
      // says the same thing it always did.
      return false;
    }
    for (const fields of records) sink.record(this.#line, fields);
    return true;
  }

  async #slowLine(text: string, bytes: Buffer, sink: RecordSink): Promise<void> {
    if (this.#quotedLine(text, sink)) return;
    this.#handOver(bytes);
    await this.read(sink);
  }

  /** From `rest` on, csv-parse's stream parser reads the file, as it read all of it before. */
  #handOver(rest: Buffer): void {
    const chunks = this.#chunks;
    async function* remaining(): AsyncGenerator<Buffer> {
      yield rest;
      for (let step = await chunks.next(); step.done !== true; step = await chunks.next()) yield step.value;
    }
    const parser = parse(this.#options);
    // Errors (the guard's, csv-parse's) surface through the pump; the callback only keeps them from going unhandled.
    pipeline(Readable.from(remaining()), parser, () => {});
    this.#pending = undefined;
    this.#slow = { parser, pump: new RecordPump(parser) };
  }

  /** The records csv-parse has ready, or the next one it reads. */
  async #readSlow(pump: RecordPump, sink: RecordSink): Promise<boolean> {
    let raw = pump.read() ?? (await pump.next());
    if (raw === undefined) return false;
    while (raw !== undefined) {
      const line = this.#line;
      this.#line += linesConsumed(raw.raw);
      sink.record(line, raw.record);
      raw = pump.read();
    }
    return true;
  }
}
