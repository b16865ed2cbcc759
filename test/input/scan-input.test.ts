import { once } from "node:events";
import { createWriteStream } from "node:fs";
import { describe, expect, it } from "vitest";
import { ACTIONS, type Action } from "../../src/domain/actions.js";
import { InputError } from "../../src/domain/errors.js";
import { openInput } from "../../src/input/open-input.js";
import { type RowVerdict, type ScanResult, scanInput } from "../../src/input/scan-input.js";
import { fixture, rejectionOf, tempCsv } from "./temp-csv.js";

/** The second pass as the batch does it: read the file again and ask the scan for each record's verdict. */
async function verdicts(scan: ScanResult): Promise<Array<[number, RowVerdict]>> {
  const input = await openInput(scan.file);
  const result: Array<[number, RowVerdict]> = [];
  for await (const record of input.records) result.push([record.line, scan.verdict(record)]);
  expect(input.checksum()).toBe(scan.checksum);
  return result;
}

const kinds = (list: Array<[number, RowVerdict]>) => list.map(([line, verdict]) => [line, verdict.kind]);
const zero = {
  send: 0,
  invalid: 0,
  duplicate: 0,
  conflict: 0,
  scheduled: 0,
  superseded: 0,
  ...(Object.fromEntries(ACTIONS.map((action) => [action, 0])) as Record<Action, number>),
};

describe("scanInput on the fixtures", () => {
  it.each<[string, Action | undefined, Partial<typeof zero>, number]>([
    ["clean.csv", undefined, { send: 8, activate: 1, deactivate: 7 }, 8],
    ["bom-crlf.csv", undefined, { send: 3, activate: 1, deactivate: 2 }, 3],
    ["semicolon.csv", undefined, { send: 3, activate: 1, deactivate: 2 }, 3],
    ["tab.tsv", undefined, { send: 2, deactivate: 2 }, 2],
    ["quoted.csv", undefined, { send: 4, deactivate: 4 }, 4],
    ["no-action-column.csv", "deactivate", { send: 3, deactivate: 3 }, 3],
    ["no-action-column.csv", undefined, { invalid: 3 }, 3],
    ["header-only.csv", undefined, {}, 0],
    ["duplicates.csv", undefined, { send: 4, duplicate: 3, deactivate: 4 }, 7],
    [
      "conflicting-actions.csv",
      undefined,
      { send: 2, conflict: 3, duplicate: 1, activate: 1, deactivate: 1 },
      6,
    ],
    ["invalid-values.csv", undefined, { send: 1, invalid: 14, deactivate: 1 }, 15],
    ["formula-injection.csv", undefined, { send: 2, invalid: 3, deactivate: 2 }, 5],
    ["path-injection.csv", undefined, { invalid: 5 }, 5],
    ["demo.csv", undefined, { send: 37, invalid: 2, duplicate: 1, activate: 1, deactivate: 36 }, 40],
    ["clean.csv", "deactivate", { send: 7, invalid: 1, deactivate: 7 }, 8],
  ])("%s (--action %s)", async (name, defaultAction, counts, dataRows) => {
    const scan = await scanInput(fixture(name), { defaultAction });
    expect(scan.counts).toEqual({ ...zero, ...counts });
    expect(scan.dataRows).toBe(dataRows);
    expect(scan.checksum).toMatch(/^[0-9a-f]{64}$/);
    // The counts describe exactly what the second pass will see.
    const list = await verdicts(scan);
    expect(list).toHaveLength(dataRows);
    for (const kind of ["send", "invalid", "duplicate", "conflict"] as const) {
      expect(list.filter(([, verdict]) => verdict.kind === kind)).toHaveLength(scan.counts[kind]);
    }
  });

  it("duplicates.csv: emails ignore case, IDs do not, duplicates name the first line", async () => {
    const list = await verdicts(await scanInput(fixture("duplicates.csv"), { defaultAction: undefined }));
    expect(kinds(list)).toEqual([
      [2, "send"],
      [3, "send"],
      [4, "duplicate"],
      [5, "send"],
      [6, "send"],
      [7, "duplicate"],
      [8, "duplicate"],
    ]);
    expect(list[2]?.[1]).toEqual({
      kind: "duplicate",
      user: "ALICE@ACME.EXAMPLE",
      action: "deactivate",
      firstLine: 2,
      reason: "same user and action as line 2",
    });
    expect(list[6]?.[1]).toMatchObject({ firstLine: 5, reason: "same user and action as line 5" });
    expect(list[0]?.[1]).toEqual({
      kind: "send",
      user: "alice@acme.example",
      action: "deactivate",
      transferTo: undefined,
      // Alice has more than one row, so the run tracks when her row is decided.
      after: [],
      sequenced: true,
    });
    const bob = list.find(([, verdict]) => verdict.kind === "send" && !verdict.sequenced);
    expect(bob?.[1]).toMatchObject({ kind: "send", after: [], sequenced: false });
  });

  it("conflicting-actions.csv: every row of a user with both actions is a conflict, the earlier ones too", async () => {
    const list = await verdicts(
      await scanInput(fixture("conflicting-actions.csv"), { defaultAction: undefined }),
    );
    expect(kinds(list)).toEqual([
      [2, "conflict"],
      [3, "send"],
      [4, "conflict"],
      [5, "send"],
      [6, "conflict"],
      [7, "duplicate"],
    ]);
    const reason = "user has both actions: activate at line 6, deactivate at line 2";
    expect(list[0]?.[1]).toEqual({
      kind: "conflict",
      user: "alice@acme.example",
      action: "deactivate",
      reason,
    });
    expect(list[4]?.[1]).toEqual({
      kind: "conflict",
      user: "Alice@Acme.Example",
      action: "activate",
      reason,
    });
  });

  it("invalid-values.csv: each row gets its own reason", async () => {
    const list = await verdicts(await scanInput(fixture("invalid-values.csv"), { defaultAction: undefined }));
    const reasons = list.map(([line, verdict]) => [
      line,
      verdict.kind === "invalid" ? verdict.reason : verdict.kind,
    ]);
    expect(reasons).toEqual([
      [2, "empty user"],
      [3, "'me' is not allowed: name the user"],
      [4, "'me' is not allowed: name the user"],
      [
        5,
        'unknown action "suspend" (use signout, downgrade, license, deactivate, activate, delete, disassociate)',
      ],
      [6, expect.stringContaining('contains "/"')],
      [7, expect.stringContaining('contains "/"')],
      [8, expect.stringContaining('contains "?"')],
      [9, expect.stringContaining('contains "#"')],
      [10, "contains whitespace"],
      [11, "too long for a Zoom user ID (65 characters, at most 64)"],
      [12, "not an email: no domain after the @"],
      [13, "contains a control or invisible character (U+0009)"],
      [14, "contains a control or invisible character (U+0007)"],
      [15, "empty action"],
      [16, "send"],
    ]);
  });

  it("formula-injection.csv: formulas are refused by the value rules, not by their first character", async () => {
    const list = await verdicts(
      await scanInput(fixture("formula-injection.csv"), { defaultAction: undefined }),
    );
    // "-2" is a valid Zoom user ID shape (A–Z a–z 0–9 _ -), so it is sent; the report writer escapes it as '-2.
    expect(list.map(([, verdict]) => [verdict.kind, "user" in verdict ? verdict.user : undefined])).toEqual([
      ["invalid", undefined],
      ["invalid", undefined],
      ["send", "-2"],
      ["invalid", undefined],
      ["send", "valid.user@acme.example"],
    ]);
  });

  it("path-injection.csv: nothing that could change the URL is sent", async () => {
    const list = await verdicts(await scanInput(fixture("path-injection.csv"), { defaultAction: undefined }));
    expect(list.filter(([, verdict]) => verdict.kind !== "invalid")).toEqual([]);
  });

  it("the same record always gets the same verdict", async () => {
    const scan = await scanInput(fixture("conflicting-actions.csv"), { defaultAction: undefined });
    const first = await verdicts(scan);
    expect(await verdicts(scan)).toEqual(first);
  });

  it("an action differing from --action is invalid, and does not count toward conflicts", async () => {
    const path = tempCsv("email,action\na@x.io,deactivate\na@x.io,activate\n");
    const scan = await scanInput(path, { defaultAction: "deactivate" });
    expect(scan.counts).toEqual({ ...zero, send: 1, invalid: 1, deactivate: 1 });
    expect(kinds(await verdicts(scan))).toEqual([
      [2, "send"],
      [3, "invalid"],
    ]);
  });
});

describe("scanInput file errors", () => {
  it.each([
    ["empty.csv", 1],
    ["missing-user-column.csv", 1],
    ["binary.csv", 3],
    ["utf16.csv", 1],
    ["unclosed-quote.csv", 4],
  ])("%s → InputError at line %i", async (name, line) => {
    const error = await rejectionOf(scanInput(fixture(name), { defaultAction: undefined }));
    expect(error).toBeInstanceOf(InputError);
    expect(error).toMatchObject({ code: "INPUT_UNREADABLE", line });
  });
});

describe("scanInput on a large file", () => {
  it("200k rows: exact counts (not timing)", async () => {
    const path = tempCsv("");
    const out = createWriteStream(path);
    out.write("name,email,action\r\n");
    // 150k distinct users; every 4th row repeats an earlier user; users 0–99 also ask to activate (conflicts);
    // every 1000th row is invalid.
    for (let i = 0; i < 200_000; i++) {
      const row =
        i % 1000 === 999
          ? `"Bad, Row",me,deactivate\r\n`
          : i % 4 === 3
            ? `"Repeat, ${i}",User${(i * 7) % 150_000}@Acme.Example,deactivate\r\n`
            : `Person ${i},user${i - Math.floor(i / 4)}@acme.example,deactivate\r\n`;
      if (!out.write(row)) await once(out, "drain");
    }
    for (let u = 0; u < 100; u++) out.write(`Flip,user${u}@acme.example,activate\n`);
    out.end();
    await once(out, "finish");

    const scan = await scanInput(path, { defaultAction: undefined });
    expect(scan.dataRows).toBe(200_100);
    // Expected numbers from a plain Map model of the same rows.
    const model = new Map<string, Set<string>>();
    let invalid = 0;
    let valid = 0;
    const add = (user: string, action: string) => {
      valid++;
      const key = user.toLowerCase();
      model.set(key, (model.get(key) ?? new Set()).add(action));
    };
    const rowsOf = new Map<string, number>();
    for (let i = 0; i < 200_000; i++) {
      if (i % 1000 === 999) {
        invalid++;
        continue;
      }
      const user =
        i % 4 === 3 ? `user${(i * 7) % 150_000}@acme.example` : `user${i - Math.floor(i / 4)}@acme.example`;
      add(user, "deactivate");
      rowsOf.set(user, (rowsOf.get(user) ?? 0) + 1);
    }
    for (let u = 0; u < 100; u++) {
      add(`user${u}@acme.example`, "activate");
      rowsOf.set(`user${u}@acme.example`, (rowsOf.get(`user${u}@acme.example`) ?? 0) + 1);
    }
    const conflicted = [...model].filter(([, actions]) => actions.size === 2).map(([key]) => key);
    const conflict = conflicted.reduce((sum, key) => sum + (rowsOf.get(key) ?? 0), 0);
    const send = model.size - conflicted.length;
    expect(scan.counts).toEqual({
      ...zero,
      send,
      invalid,
      duplicate: valid - send - conflict,
      conflict,
      deactivate: send,
    });
    expect(invalid).toBe(200);
    expect(conflicted.length).toBe(100);
  });
});
