import { Readable } from "node:stream";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { InputRecord } from "../../src/input/open-input.js";
import { isBlank, RecordPicker } from "../../src/input/record-picker.js";
import { RecordSplitter } from "../../src/input/split-records.js";

// The picker takes two fields out of a line without splitting it. Its contract: the records openInput built before
// from every field — each non-blank record, its user and action fields trimmed — from any file, however cut.

const OPTIONS = {
  relax_column_count: true,
  relax_quotes: true,
  record_delimiter: ["\r\n", "\n"],
  max_record_size: 200,
};

const splitter = (bytes: Buffer, delimiter: string, cut: number) =>
  new RecordSplitter(
    Readable.from([bytes.subarray(0, cut), bytes.subarray(cut)].filter((chunk) => chunk.length > 0)),
    { ...OPTIONS, delimiter },
  );

async function reference(
  bytes: Buffer,
  delimiter: string,
  userIndex: number,
  actionIndex: number | undefined,
): Promise<InputRecord[]> {
  const records: InputRecord[] = [];
  const split = splitter(bytes, delimiter, bytes.length);
  for (let batch = await split.next(); batch !== undefined; batch = await split.next()) {
    for (const { line, fields } of batch) {
      if (isBlank(fields)) continue;
      const action = actionIndex === undefined ? undefined : fields[actionIndex]?.trim();
      records.push({ line, user: fields[userIndex]?.trim(), action });
    }
  }
  return records;
}

async function picked(
  bytes: Buffer,
  delimiter: string,
  userIndex: number,
  actionIndex: number | undefined,
  cut: number,
): Promise<InputRecord[]> {
  const picker = new RecordPicker(delimiter, userIndex, actionIndex);
  const split = splitter(bytes, delimiter, cut);
  const records: InputRecord[] = [];
  while (await split.read(picker)) records.push(...picker.take());
  return records;
}

const piece = fc.constantFrom(
  "a",
  "B@x.io",
  "deactivate",
  ",",
  ";",
  "\t",
  '"',
  "\r",
  "\n",
  "\r\n",
  " ",
  "\u00a0",
  "é",
  "x".repeat(70),
);

describe("RecordPicker", () => {
  it("picks what splitting every field picks: the same records, lines and trimmed values", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(piece, { maxLength: 60 }),
        fc.constantFrom(",", ";", "\t"),
        fc.nat(3),
        fc.option(fc.nat(3), { nil: undefined }),
        fc.nat(300),
        async (body, delimiter, userIndex, actionIndex, cut) => {
          const bytes = Buffer.from(body.join(""), "utf8");
          let expected: InputRecord[] | { error: string };
          try {
            expected = await reference(bytes, delimiter, userIndex, actionIndex);
          } catch (error) {
            expected = { error: String(error) };
          }
          let actual: InputRecord[] | { error: string };
          try {
            actual = await picked(bytes, delimiter, userIndex, actionIndex, cut);
          } catch (error) {
            actual = { error: String(error) };
          }
          expect(actual).toEqual(expected);
        },
      ),
      { numRuns: 600 },
    );
  });

  it.each<[string, string, number, number | undefined, InputRecord[]]>([
    [
      "user after the action",
      " deactivate , a@x.io ,x\n",
      1,
      0,
      [{ line: 1, user: "a@x.io", action: "deactivate" }],
    ],
    ["a short line", "a@x.io\n", 0, 1, [{ line: 1, user: "a@x.io", action: undefined }]],
    [
      "no action column",
      "a@x.io,deactivate\n",
      0,
      undefined,
      [{ line: 1, user: "a@x.io", action: undefined }],
    ],
    ["two empty fields, a third kept", ",,kept\n , ,\n", 0, 1, [{ line: 1, user: "", action: "" }]],
    ["blank lines skipped, lines counted", "\n,\n\t\na,b\n", 0, 1, [{ line: 4, user: "a", action: "b" }]],
  ])("%s", async (_name, content, userIndex, actionIndex, expected) => {
    expect(await picked(Buffer.from(content), ",", userIndex, actionIndex, 0)).toEqual(expected);
  });
});
