import { Readable } from "node:stream";
import { CsvError } from "csv-parse";
import { parse } from "csv-parse/sync";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { linesConsumed } from "../../src/input/line-counter.js";
import { RecordSplitter, type SplitRecord } from "../../src/input/split-records.js";

// The splitter reads quote-free lines itself and hands everything else to csv-parse. Its contract: the same
// records, the same start lines and the same errors as csv-parse reading the whole file with the options the reader
// used before (raw records, start lines counted from the raw text), however the bytes are cut into chunks.

const OPTIONS = {
  relax_column_count: true,
  relax_quotes: true,
  record_delimiter: ["\r\n", "\n"],
  max_record_size: 200,
};

type Outcome = { records: SplitRecord[] } | { error: string };

function reference(bytes: Buffer, delimiter: string): Outcome {
  let raws: { record: string[]; raw: string }[];
  try {
    const parsed: unknown = parse(bytes, { ...OPTIONS, delimiter, bom: true, raw: true });
    raws = parsed as { record: string[]; raw: string }[];
  } catch (error) {
    return { error: (error as CsvError).code };
  }
  let line = 1;
  const records = raws.map(({ record, raw }) => {
    const start = line;
    line += linesConsumed(raw);
    return { line: start, fields: record };
  });
  return { records };
}

async function split(bytes: Buffer, delimiter: string, cuts: number[]): Promise<Outcome> {
  const chunks: Buffer[] = [];
  let at = 0;
  for (const cut of [...cuts].sort((a, b) => a - b)) {
    if (cut > at && cut < bytes.length) {
      chunks.push(bytes.subarray(at, cut));
      at = cut;
    }
  }
  chunks.push(bytes.subarray(at));
  const splitter = new RecordSplitter(Readable.from(chunks.filter((chunk) => chunk.length > 0)), {
    ...OPTIONS,
    delimiter,
  });
  const records: SplitRecord[] = [];
  try {
    for (let batch = await splitter.next(); batch !== undefined; batch = await splitter.next()) {
      records.push(...batch);
    }
  } catch (error) {
    if (!(error instanceof CsvError)) throw error;
    return { error: error.code };
  }
  return { records };
}

const piece = fc.constantFrom(
  "a",
  "b@x.io",
  ",",
  ";",
  "\t",
  '"',
  '""',
  "\r",
  "\n",
  "\r\n",
  " ",
  "é",
  "\uFEFF",
  "x".repeat(90),
);
const text = fc
  .tuple(fc.constantFrom("", "\uFEFF"), fc.array(piece, { maxLength: 60 }))
  .map(([bom, body]) => bom + body.join(""));

describe("RecordSplitter", () => {
  it("reads exactly what csv-parse reads, however the file is cut into chunks", async () => {
    await fc.assert(
      fc.asyncProperty(
        text,
        fc.constantFrom(",", ";", "\t"),
        fc.array(fc.nat(400), { maxLength: 6 }),
        async (content, delimiter, cuts) => {
          const bytes = Buffer.from(content, "utf8");
          expect(await split(bytes, delimiter, cuts)).toEqual(reference(bytes, delimiter));
        },
      ),
      { numRuns: 600 },
    );
  });

  it.each([
    ["quote-free lines", "email,action\nA@x.io,deactivate\r\n\n,,\nb,c,d\n"],
    ["a quoted line between plain ones", 'email,action\n"a,b@x.io",deactivate\nc,activate\n'],
    ["a field spanning lines, then plain lines", 'email,note\nx,"one\ntwo"\ny,z\nw,v\n'],
    ["no newline at the end, a CR last", "email\na\r"],
    ["a BOM", "\uFEFFemail\na\n"],
  ])("%s", async (_name, content) => {
    const bytes = Buffer.from(content, "utf8");
    for (const cuts of [[], [1], [3, 7], [5, 6, 7, 8, 9, 10, 11, 12]]) {
      expect(await split(bytes, ",", cuts)).toEqual(reference(bytes, ","));
    }
  });

  it("an unclosed quote fails like csv-parse", async () => {
    const bytes = Buffer.from('email\na\n"b\nc\n', "utf8");
    expect(await split(bytes, ",", [4])).toEqual({ error: "CSV_QUOTE_NOT_CLOSED" });
  });
});
