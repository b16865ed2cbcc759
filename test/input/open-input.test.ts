import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { InputError } from "../../src/domain/errors.js";
import { type InputLayout, type InputRecord, openInput } from "../../src/input/open-input.js";
import { fixture, readAll, readFile, recordsOf, rejectionOf, tempCsv } from "./temp-csv.js";

const r = (line: number, user: string | undefined, action?: string): InputRecord => ({ line, user, action });

describe("openInput on the fixtures", () => {
  it.each<[string, InputLayout, InputRecord[]]>([
    [
      "clean.csv",
      {
        delimiter: ",",
        header: ["user_id", "email", "action"],
        userColumn: "user_id",
        actionColumn: "action",
      },
      [
        // user_id wins over email (list order), so the email column is only informational here.
        r(2, "KDcuGIm1QgePTO8WbOqwIQ", "deactivate"),
        r(3, "bob.smith@acme.example", "deactivate"),
        r(4, "z8yCIm9BQZKIL0aBnF2CVw", "deactivate"),
        r(5, "Dave.Jones@Acme.Example", "deactivate"),
        r(6, "u-7_Xq2", "deactivate"),
        r(7, "frank@acme.example", "activate"),
        r(8, "AbC123", "Deactivate"),
        r(9, "grace@sub.acme.example", "DEACTIVATE"),
      ],
    ],
    [
      "bom-crlf.csv",
      { delimiter: ",", header: ["Email", "Action"], userColumn: "Email", actionColumn: "Action" },
      [
        r(2, "alice@acme.example", "deactivate"),
        r(4, "bob@acme.example", "activate"),
        r(5, "carol@acme.example", "deactivate"),
      ],
    ],
    [
      "semicolon.csv",
      { delimiter: ";", header: ["name", "email", "action"], userColumn: "email", actionColumn: "action" },
      [
        r(2, "jane@acme.example", "deactivate"),
        r(3, "bob@acme.example", "deactivate"),
        r(4, "carol@acme.example", "activate"),
      ],
    ],
    [
      "tab.tsv",
      {
        delimiter: "\t",
        header: ["name", "user_id", "action"],
        userColumn: "user_id",
        actionColumn: "action",
      },
      [r(2, "KDcuGIm1QgePTO8WbOqwIQ", "deactivate"), r(3, "z8yCIm9BQZKIL0aBnF2CVw", "deactivate")],
    ],
    [
      "quoted.csv",
      { delimiter: ",", header: ["email", "action", "note"], userColumn: "email", actionColumn: "action" },
      [
        r(2, "alice@acme.example", "deactivate"),
        r(3, "bob@acme.example", "deactivate"),
        r(5, "carol@acme.example", "deactivate"),
        r(8, "dave@acme.example", "deactivate"),
      ],
    ],
    [
      "no-action-column.csv",
      { delimiter: ",", header: ["email"], userColumn: "email", actionColumn: undefined },
      [r(2, "alice@acme.example"), r(3, "bob@acme.example"), r(4, "carol@acme.example")],
    ],
    [
      "header-only.csv",
      { delimiter: ",", header: ["user_id", "action"], userColumn: "user_id", actionColumn: "action" },
      [],
    ],
  ])("%s", async (name, layout, records) => {
    const result = await readFile(fixture(name));
    expect(result.input.layout).toEqual(layout);
    expect(result.records).toEqual(records);
  });

  it("demo.csv: 40 data rows on lines 2–41, quoted names with commas read as one field", async () => {
    const { input, records } = await readFile(fixture("demo.csv"));
    expect(input.layout).toEqual({
      delimiter: ",",
      header: ["employee_name", "email", "action", "ticket"],
      userColumn: "email",
      actionColumn: "action",
    });
    expect(records.map((record) => record.line)).toEqual(Array.from({ length: 40 }, (_, i) => i + 2));
    expect(records.filter((record) => record.action === "activate").map((record) => record.user)).toEqual([
      "new.hire@acme.example",
    ]);
    expect(records.map((record) => record.user)).toContain('=HYPERLINK("http://x","click")');
  });

  it.each([
    ["invalid-values.csv", 15],
    ["formula-injection.csv", 5],
    ["path-injection.csv", 5],
    ["duplicates.csv", 7],
    ["conflicting-actions.csv", 6],
  ])("%s reads every row (checks come later): %i records", async (name, count) => {
    const { records } = await readFile(fixture(name));
    expect(records).toHaveLength(count);
    expect(records.map((record) => record.line)).toEqual(Array.from({ length: count }, (_, i) => i + 2));
  });

  it("invalid-values.csv keeps inner whitespace and control characters for the checks to refuse", async () => {
    const { records } = await readFile(fixture("invalid-values.csv"));
    expect(records.map((record) => record.user)).toEqual(
      expect.arrayContaining(["", "has space@x.com", "tab\there@x.com", "bell\u0007@x.com"]),
    );
  });
});

describe("openInput file errors", () => {
  it.each([
    ["empty.csv", 1, "the file is empty; expected a header line naming the user column (user_id, userid"],
    [
      "missing-user-column.csv",
      1,
      'no user column: the header must name one of user_id, userid, "user id", email, user_email, id, user (found: "name", "mail", "action")',
    ],
    ["binary.csv", 3, "binary or non-UTF-8 data at line 3; save the file as UTF-8 CSV"],
    ["utf16.csv", 1, "binary or non-UTF-8 data at line 1; save the file as UTF-8 CSV"],
    ["unclosed-quote.csv", 4, "unclosed quote"],
  ])("%s → line %i", async (name, line, reason) => {
    const path = fixture(name);
    const error = await rejectionOf(readFile(path));
    expect(error).toBeInstanceOf(InputError);
    expect(error).toMatchObject({ code: "INPUT_UNREADABLE", file: path, line });
    expect((error as InputError).message).toContain(`${path}:${line}: ${reason}`);
  });

  it.each([
    ["missing file", fixture("no-such-file.csv"), "cannot open: no such file"],
    ["a directory", fixture(""), "is a directory, not a CSV file"],
  ])("%s", async (_name, path, reason) => {
    const error = await rejectionOf(openInput(path));
    expect(error).toBeInstanceOf(InputError);
    expect(error).toMatchObject({ code: "INPUT_UNREADABLE", file: path, line: undefined });
    expect((error as InputError).message).toBe(`${path}: ${reason}`);
  });

  it.each([
    ["only blank lines", "\n\r\n  \n,,\n", 1, "no header: the file has only blank lines"],
    ["unclosed quote in the user field", 'email\na@x.io\n"b@x.io\nc@x.io\n', 3, "unclosed quote"],
    [
      "unclosed quote after blank lines and a multi-line record",
      'email,note\n\na@x.io,"1\n2"\n\nb@x.io,"open\nmore\n',
      6,
      "unclosed quote",
    ],
    ["unclosed quote in the header", 'email,"note\na@x.io,x\n', 1, "unclosed quote"],
  ])("%s", async (_name, text, line, reason) => {
    const path = tempCsv(text);
    const error = await rejectionOf(readFile(path));
    expect(error).toMatchObject({ code: "INPUT_UNREADABLE", line });
    expect((error as InputError).message).toContain(`:${line}: ${reason}`);
  });

  it("a quote left open on a big file stops at a bounded record size, at the line where the record starts", async () => {
    const rows = "a@x.io,deactivate,fine\n".repeat(60_000);
    const path = tempCsv(`email,action,note\nb@x.io,deactivate,"oops\n${rows}`);
    const error = await rejectionOf(readFile(path));
    expect(error).toMatchObject({ code: "INPUT_UNREADABLE", line: 2 });
    expect((error as InputError).message).toContain("longer than 1024 KiB; is a quote left open?");
  });
});

describe("openInput rows", () => {
  it("reads short and long rows as far as they go", async () => {
    expect(
      await recordsOf("name,email,action\nJane\nBob,b@x.io\nCarol,c@x.io,activate,extra,fields\n"),
    ).toEqual([r(2, undefined, undefined), r(3, "b@x.io", undefined), r(4, "c@x.io", "activate")]);
  });

  it("trims values and keeps a row whose user is empty but another field is not", async () => {
    expect(await recordsOf("email,action,note\n  a@x.io  , Deactivate ,x\n,,kept\n , ,\n")).toEqual([
      r(2, "a@x.io", "Deactivate"),
      r(3, "", ""),
    ]);
  });

  it("relaxed quotes: a quote in the middle of a value is kept as text", async () => {
    expect(await recordsOf('email,note\na@x.io,5" screen\n')).toEqual([r(2, "a@x.io", undefined)]);
  });
});

describe("openInput stream contract", () => {
  it("checksum is the sha256 of the file bytes, known after the last record", async () => {
    const path = fixture("bom-crlf.csv");
    const input = await openInput(path);
    expect(() => input.checksum()).toThrow(/after all records/);
    await readAll(input);
    expect(input.checksum()).toBe(createHash("sha256").update(readFileSync(path)).digest("hex"));
  });

  it("records can be iterated once, and then batches cannot be either", async () => {
    const input = await openInput(fixture("clean.csv"));
    await readAll(input);
    expect(() => input.records[Symbol.asyncIterator]()).toThrow(/only once/);
    expect(() => input.batches[Symbol.asyncIterator]()).toThrow(/only once/);
  });

  it("batches hold the same records in the same order, none of them empty", async () => {
    // Blank lines and a quoted record spanning lines among 20k rows: several chunks, both ways of splitting.
    const rows = Array.from({ length: 20_000 }, (_, i) =>
      i % 997 === 0
        ? `"u${i}@x.io",deactivate,"two\nlines"\n`
        : i % 501 === 0
          ? ",,\n"
          : `u${i}@x.io,deactivate,x\n`,
    );
    const path = tempCsv(`email,action,note\n\n${rows.join("")}`);
    const expected = await readAll(await openInput(path));
    const input = await openInput(path);
    const batches: (readonly InputRecord[])[] = [];
    for await (const batch of input.batches) batches.push(batch);
    expect(batches.length).toBeGreaterThan(1);
    expect(batches.filter((batch) => batch.length === 0)).toEqual([]);
    expect(batches.flat()).toEqual(expected);
    expect(input.checksum()).toBe(createHash("sha256").update(readFileSync(path)).digest("hex"));
  });

  it("estimates the number of records from the file size: exact for a small file, close for a big one", async () => {
    expect((await openInput(fixture("clean.csv"))).estimatedRecords).toBe(8);
    expect((await openInput(tempCsv("email\na@x.io"))).estimatedRecords).toBe(1);
    const big = await openInput(
      tempCsv(`email,action\n${"someone@example.com,deactivate\n".repeat(50_000)}`),
    );
    expect(big.estimatedRecords).toBeGreaterThan(45_000);
    expect(big.estimatedRecords).toBeLessThan(55_000);
  });

  it("leaving the loop early closes the reader without errors", async () => {
    const path = tempCsv(`email\n${"a@x.io\n".repeat(100_000)}`);
    const input = await openInput(path);
    let seen = 0;
    for await (const _record of input.records) {
      if (++seen === 3) break;
    }
    expect(seen).toBe(3);
    expect(() => input.checksum()).toThrow();
  });
});
