import { isUtf8 } from "node:buffer";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { InputError } from "../../src/domain/errors.js";
import { firstBadByte, firstInvalidUtf8, incompleteTailStart } from "../../src/input/byte-guard.js";
import { readFile, rejectionOf, tempCsv } from "./temp-csv.js";

const bytes = (...values: number[]) => Buffer.from(values);

describe("incompleteTailStart", () => {
  it.each([
    ["ASCII", bytes(0x61, 0x62), 2],
    ["empty", bytes(), 0],
    ["complete é", bytes(0x61, 0xc3, 0xa9), 3],
    ["first byte of é", bytes(0x61, 0xc3), 1],
    ["2 of 3 bytes of €", bytes(0x61, 0xe2, 0x82), 1],
    ["complete €", bytes(0xe2, 0x82, 0xac), 3],
    ["3 of 4 bytes of 😀", bytes(0xf0, 0x9f, 0x98), 0],
    ["complete 😀", bytes(0xf0, 0x9f, 0x98, 0x80), 4],
    ["stray continuation bytes are left to the validator", bytes(0x80, 0x80, 0x80), 3],
  ])("%s", (_name, buffer, expected) => {
    expect(incompleteTailStart(buffer)).toBe(expected);
  });
});

describe("firstBadByte", () => {
  it.each([
    ["clean ASCII", Buffer.from("a,b\n"), -1],
    ["clean UTF-8", Buffer.from("zoë,€,😀\n"), -1],
    ["NUL", bytes(0x61, 0x00, 0x62), 1],
    ["UTF-16LE BOM", bytes(0xff, 0xfe, 0x65, 0x00), 0],
    ["Latin-1 é", bytes(0x61, 0x62, 0xe9, 0x0a), 2],
    ["overlong /", bytes(0x61, 0xc0, 0xaf), 1],
    ["surrogate", bytes(0x61, 0xed, 0xa0, 0x80), 1],
    ["above U+10FFFF", bytes(0xf4, 0x90, 0x80, 0x80), 0],
    ["NUL after bad byte: the earlier wins", bytes(0xff, 0x00), 0],
    ["bad byte after NUL: the earlier wins", bytes(0x00, 0xff), 0],
  ])("%s", (_name, buffer, expected) => {
    expect(firstBadByte(buffer)).toBe(expected);
  });

  it("the byte walk agrees with Node's native isUtf8", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 12 }), (array) => {
        const buffer = Buffer.from(array);
        expect(firstInvalidUtf8(buffer) === -1).toBe(isUtf8(buffer));
      }),
      { numRuns: 2000 },
    );
  });
});

describe("openInput on non-text data", () => {
  it.each([
    ["NUL on line 3", Buffer.from("email\na@x.io\nb\u0000@x.io\n"), 3],
    [
      "Latin-1 byte on line 2",
      Buffer.concat([Buffer.from("email,name\na@x.io,Zo"), bytes(0xeb), Buffer.from("\n")]),
      2,
    ],
    ["file ends inside a character", Buffer.concat([Buffer.from("email\na@x.io\n"), bytes(0xe2, 0x82)]), 3],
  ])("%s", async (_name, content, line) => {
    const error = await rejectionOf(readFile(tempCsv(content)));
    expect(error).toBeInstanceOf(InputError);
    expect(error).toMatchObject({ code: "INPUT_UNREADABLE", line });
    expect((error as InputError).message).toContain(
      `binary or non-UTF-8 data at line ${line}; save the file as UTF-8 CSV`,
    );
  });

  it("a bad byte far into the file is found after the first 64 KiB chunk, with its line", async () => {
    const rows = Array.from({ length: 5000 }, (_, i) => `user${i}@x.io,deactivate\n`).join("");
    const content = Buffer.concat([Buffer.from(`email,action\n${rows}`), bytes(0x00), Buffer.from("\n")]);
    const error = await rejectionOf(readFile(tempCsv(content)));
    expect(error).toMatchObject({ line: 5002 });
  });

  it.each([65_534, 65_535, 65_536])(
    "a multi-byte character across the 64 KiB read boundary is fine (starts at byte %i)",
    async (offset) => {
      const head = "email,note\na@x.io,";
      const content = `${head}${"x".repeat(offset - head.length)}😀\nb@x.io,ü\n`;
      expect(
        Buffer.from(content)
          .subarray(offset, offset + 4)
          .toString(),
      ).toBe("😀");
      const { records, input } = await readFile(tempCsv(content));
      expect(records.map((r) => r.user)).toEqual(["a@x.io", "b@x.io"]);
      expect(input.checksum()).toMatch(/^[0-9a-f]{64}$/);
    },
  );
});
