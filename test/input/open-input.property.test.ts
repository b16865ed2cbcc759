import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { InputError } from "../../src/domain/errors.js";
import { type InputRecord, openInput } from "../../src/input/open-input.js";
import { readAll, tempCsv } from "./temp-csv.js";

/** Small pieces that stress the reader: quotes, CR/LF, BOM, all three delimiters, spaces, non-ASCII, garbage. */
const piece = fc.constantFrom(
  "a",
  "b@x.io",
  "me",
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
  "\u0000",
);
const header = fc.constantFrom(
  "",
  "email,action\n",
  "user_id;action\r\n",
  "\uFEFFid\taction\n",
  "name,email\n",
  "\n",
);
const text = fc.tuple(header, fc.array(piece, { maxLength: 40 })).map(([head, body]) => head + body.join(""));

type Outcome = { records: InputRecord[] } | { error: unknown };

/** Opens and reads a file; a run that takes seconds on a 100-byte file is a hang and fails the property. */
async function outcomeOf(content: string | Buffer): Promise<Outcome> {
  const read = (async (): Promise<Outcome> => {
    try {
      return { records: await readAll(await openInput(tempCsv(content))) };
    } catch (error) {
      return { error };
    }
  })();
  let timer: NodeJS.Timeout | undefined;
  const hang = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error("openInput did not finish within 2 s")), 2000);
  });
  try {
    return await Promise.race([read, hang]);
  } finally {
    clearTimeout(timer);
  }
}

function totalLines(content: string | Buffer): number {
  return Buffer.from(content).toString("latin1").split("\n").length;
}

describe("openInput on random small files", () => {
  it("throws InputError or yields strictly increasing start lines within the file", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          text,
          fc.uint8Array({ maxLength: 60 }).map((bytes) => Buffer.from(bytes)),
        ),
        async (content) => {
          const outcome = await outcomeOf(content);
          if ("error" in outcome) {
            expect(outcome.error).toBeInstanceOf(InputError);
            return;
          }
          const lines = outcome.records.map((record) => record.line);
          for (let i = 0; i < lines.length; i++) {
            expect(lines[i]).toBeGreaterThanOrEqual(2);
            expect(lines[i]).toBeLessThanOrEqual(totalLines(content));
            if (i > 0) expect(lines[i]).toBeGreaterThan(lines[i - 1] ?? 0);
          }
        },
      ),
      { numRuns: 200 },
    );
  });

  it("without quotes, a record starts on each non-blank physical line after the header", async () => {
    const unquoted = fc.array(fc.constantFrom("a", "b@x.io", ",", " ", "\r", "\n", "\r\n", "é"), {
      maxLength: 40,
    });
    await fc.assert(
      fc.asyncProperty(unquoted, async (body) => {
        const content = `email,action\n${body.join("")}`;
        const outcome = await outcomeOf(content);
        if ("error" in outcome) throw outcome.error;
        // Reference: split on "\n"; a record is a line whose fields are not all blank. A lone "\r" inside a line is
        // text, and csv-parse only ends a record on "\n" or "\r\n".
        const expected = content
          .split("\n")
          .map((line, index) => ({
            line: index + 1,
            blank: line.split(",").every((field) => field.trim() === ""),
          }))
          .filter(({ line, blank }) => line > 1 && !blank)
          .map(({ line }) => line);
        expect(outcome.records.map((record) => record.line)).toEqual(expected);
      }),
      { numRuns: 200 },
    );
  });
});
