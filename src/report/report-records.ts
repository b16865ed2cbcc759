import { createReadStream } from "node:fs";
import { parse } from "csv-parse/sync";

/**
 * The CSV records of the first `length` bytes of a report (a whole number of lines), each with the line it starts
 * on. Our reports quote few cells, so a line without a quote is split on commas here; only records with a quote
 * go to csv-parse, which is several times slower per row and would make the page of a big report cost more than
 * the run. A quoted field may span lines: its record ends on the line that makes the quotes even again.
 * Returns the text of a record still open at the end (a crash in a quoted field), undefined when there is none.
 */
export async function readRecords(
  path: string,
  length: number,
  onRecord: (record: string[], line: number) => void,
): Promise<{ openAtEnd: string | undefined }> {
  let line = 0;
  let open: { text: string; quotes: number; line: number } | undefined;
  const take = (raw: string): void => {
    line += 1;
    const text = line === 1 && raw.charCodeAt(0) === 0xfeff ? raw.slice(1) : raw;
    const quotes = quoteCount(text);
    if (open !== undefined) {
      open.text += `\n${text}`;
      open.quotes += quotes;
      if (open.quotes % 2 === 0) {
        const { text: whole, line: start } = open;
        open = undefined;
        onRecord(parseQuoted(whole), start);
      }
      return;
    }
    if (quotes === 0) onRecord(withoutCr(text).split(","), line);
    else if (quotes % 2 === 1) open = { text, quotes, line };
    else onRecord(parseQuoted(text), line);
  };
  let rest = "";
  if (length > 0) {
    for await (const chunk of createReadStream(path, { end: length - 1, encoding: "utf8" })) {
      const lines = (rest + (chunk as string)).split("\n");
      rest = lines.pop() ?? "";
      for (const text of lines) take(text);
    }
  }
  if (rest !== "") take(rest);
  return { openAtEnd: open?.text };
}

/**
 * One record's fields as csv-parse reads them; its errors (a stray quote) are the caller's. Text that holds more
 * than one record means the quotes were not what they seemed, and is refused rather than half read.
 */
export function parseQuoted(text: string): string[] {
  const records = parse(withoutCr(text), { relax_column_count: true }) as string[][];
  const [record] = records;
  if (records.length !== 1 || record === undefined) {
    throw new Error(`a quoted record that csv-parse reads as ${records.length} records`);
  }
  return record;
}

function quoteCount(text: string): number {
  let count = 0;
  for (let at = text.indexOf('"'); at >= 0; at = text.indexOf('"', at + 1)) count += 1;
  return count;
}

function withoutCr(text: string): string {
  return text.endsWith("\r") ? text.slice(0, -1) : text;
}
