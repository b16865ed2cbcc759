import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parseQuoted, readRecords } from "../../src/report/report-records.js";
import { tempDir } from "../helpers/cleanup.js";

async function recordsOf(text: string) {
  const path = join(tempDir("zo-records-"), "r.csv");
  writeFileSync(path, text);
  const seen: Array<[number, string[]]> = [];
  const { openAtEnd } = await readRecords(path, Buffer.byteLength(text), (record, line) =>
    seen.push([line, record]),
  );
  return { seen, openAtEnd };
}

describe("readRecords", () => {
  it("splits plain lines, strips a BOM and a CR, and names the line each record starts on", async () => {
    expect(await recordsOf('\uFEFFa,b\r\n1,"x, y"\n2,"two\nlines",z\n3,\n')).toEqual({
      seen: [
        [1, ["a", "b"]],
        [2, ["1", "x, y"]],
        [3, ["2", "two\nlines", "z"]],
        [5, ["3", ""]],
      ],
      openAtEnd: undefined,
    });
  });

  it("hands back a quoted field still open at the end instead of a record", async () => {
    expect(await recordsOf('a\n1,"cut\nshort\n')).toEqual({ seen: [[1, ["a"]]], openAtEnd: '1,"cut\nshort' });
  });
});

describe("parseQuoted", () => {
  it("reads doubled quotes as one", () => {
    expect(parseQuoted('1,"say ""hi""",x')).toEqual(["1", 'say "hi"', "x"]);
  });

  it("refuses text that is more than one record", () => {
    expect(() => parseQuoted('1,"a"\n2,"b"')).toThrow("2 records");
  });
});
