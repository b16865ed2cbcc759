import { parse } from "csv-parse";
import { describe, expect, it } from "vitest";
import { linesConsumed } from "../../src/input/line-counter.js";
import { recordsOf } from "./temp-csv.js";

describe("linesConsumed", () => {
  it.each([
    ["LF record", "a,b\n", 1],
    ["CRLF record (csv-parse drops the \\n, keeps the \\r)", "a,b\r", 1],
    ["last record without a newline", "a,b", 0],
    ["quoted LF inside", '1,"x\ny"\n', 2],
    ["quoted CRLF inside, LF end", '1,"x\r\ny"\n', 2],
    ["quoted CRLF inside, CRLF end", '1,"x\r\ny"\r', 2],
    ["blank LF line", "\n", 1],
    ["blank CRLF line", "\r", 1],
    ["lone CR inside a field is not a line break", "1\r2\n", 1],
    ["CR before CRLF", "a,b\r\r", 1],
    ["empty", "", 0],
  ])("%s", (_name, raw, expected) => {
    expect(linesConsumed(raw)).toBe(expected);
  });
});

/** What csv-parse yields as `raw` with our options: the contract linesConsumed relies on. */
async function rawRecords(text: string, chunkSize: number): Promise<string[]> {
  const parser = parse({
    delimiter: ",",
    bom: true,
    relax_column_count: true,
    relax_quotes: true,
    record_delimiter: ["\r\n", "\n"],
    raw: true,
  });
  const bytes = Buffer.from(text);
  for (let at = 0; at < bytes.length; at += chunkSize) parser.write(bytes.subarray(at, at + chunkSize));
  parser.end();
  const raws: string[] = [];
  for await (const value of parser) raws.push((value as { raw: string }).raw);
  return raws;
}

describe("csv-parse raw text (pinned: a csv-parse upgrade that changes it breaks line numbers)", () => {
  it.each([1, 2, 3, 1024])(
    "keeps LF, drops the \\n of CRLF, whatever the chunking (chunks of %i bytes)",
    async (size) => {
      expect(await rawRecords('\uFEFFa,b\r\n1,"x\r\ny"\n\r\n3,4\n5,6', size)).toEqual([
        "a,b\r",
        '1,"x\r\ny"\n',
        "\r",
        "3,4\n",
        "5,6",
      ]);
    },
  );
});

describe("openInput start lines", () => {
  it.each([
    ["LF", "email\na@x.io\nb@x.io\n", [2, 3]],
    ["CRLF", "email\r\na@x.io\r\nb@x.io\r\n", [2, 3]],
    ["mixed CRLF and LF", "email\r\na@x.io\nb@x.io\r\nc@x.io\n", [2, 3, 4]],
    ["no final newline", "email\na@x.io\nb@x.io", [2, 3]],
    ["quoted LF in a field", 'email,note\na@x.io,"one\ntwo"\nb@x.io,x\n', [2, 4]],
    [
      "quoted CRLF in a field (csv-parse's info.lines counts it twice)",
      'email,note\r\na@x.io,"one\r\ntwo\r\nthree"\r\nb@x.io,x\r\n',
      [2, 5],
    ],
    ["quoted newlines in the user field itself", 'email\n"a@x.io\n"\nb@x.io\n', [2, 4]],
    ["blank lines (skipped, still counted)", "email\n\na@x.io\n\n\nb@x.io\n", [3, 6]],
    ["blank CRLF lines", "email\r\n\r\na@x.io\r\n\r\nb@x.io\r\n", [3, 5]],
    ["rows of only delimiters and spaces", "email,action\n,\n  ,  \na@x.io,activate\n", [4]],
    ["BOM", "\uFEFFemail\na@x.io\n", [2]],
    ["BOM with CRLF", "\uFEFFemail\r\na@x.io\r\nb@x.io\r\n", [2, 3]],
    ["blank lines before the header", "\n\nemail\na@x.io\n", [4]],
    ["lone CR is not a line break", "email,note\na@x.io,x\ry\nb@x.io,z\n", [2, 3]],
  ])("%s", async (_name, text, lines) => {
    const records = await recordsOf(text);
    expect(records.map((r) => r.line)).toEqual(lines);
  });

  it("counts lines across read chunks (a CRLF and a multi-byte character split at 64 KiB)", async () => {
    const header = "email,note\r\n";
    const filler = "x".repeat(65_536 - header.length - "a@x.io,".length - 1);
    // Byte 65535 is the "\r" and 65536 the "\n" of the first data row; the next row holds a 2-byte character.
    const text = `${header}a@x.io,${filler}\r\nb@x.io,é\r\n${"c@x.io,ü\n".repeat(3)}`;
    const records = await recordsOf(text);
    expect(records.map((r) => [r.line, r.user])).toEqual([
      [2, "a@x.io"],
      [3, "b@x.io"],
      [4, "c@x.io"],
      [5, "c@x.io"],
      [6, "c@x.io"],
    ]);
  });
});
