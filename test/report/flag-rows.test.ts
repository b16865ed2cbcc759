import { chmodSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { Outcome } from "../../src/domain/outcomes.js";
import type { ReportRow } from "../../src/domain/report-row.js";
import { flagReportRows } from "../../src/report/flag-rows.js";
import { formatRow } from "../../src/report/format-row.js";
import { readReportFile } from "../../src/report/read-report.js";
import { createReportWriter } from "../../src/report/report-writer.js";
import { tempDir } from "../helpers/cleanup.js";

const at = (second: number) => new Date(`2026-11-29T10:00:0${second}.000Z`);

/** Rows as an apply writes them, with cells that need quoting or formula escapes around the ones flagged. */
const rows: ReportRow[] = [
  {
    line: 2,
    userId: "bob@acme.example",
    action: "deactivate",
    outcome: "applied",
    httpStatus: 204,
    message: "status changed",
    attempts: 1,
    trackingId: "v=2.0;rid=1",
    finishedAt: at(1),
  },
  {
    line: 3,
    userId: '=HYPERLINK("x"),odd',
    action: "deactivate",
    outcome: "invalid",
    message: 'not an email or id: contains "=", and a comma',
    attempts: 0,
    finishedAt: at(2),
  },
  {
    line: 5,
    userId: "carol@acme.example",
    action: "delete",
    outcome: "applied",
    httpStatus: 204,
    message: "deleted, data moved",
    attempts: 2,
    trackingId: "-rid-2",
    finishedAt: at(3),
    transferTo: "dave@acme.example",
  },
  {
    line: 6,
    userId: "erin@acme.example",
    action: "deactivate",
    outcome: "rejected",
    httpStatus: 400,
    zoomCode: 200,
    message: "Zoom Room and Admin users' status cannot be activated or deactivated.",
    attempts: 1,
    trackingId: "rid-3",
    finishedAt: at(4),
  },
  {
    line: 8,
    userId: "frank@acme.example",
    action: "downgrade",
    outcome: "applied",
    httpStatus: 204,
    message: "licence removed",
    attempts: 1,
    trackingId: "rid-4",
    finishedAt: at(5),
  },
];

function reportOf(each: readonly ReportRow[], name = "report.csv", dir = tempDir("zo-flag-")): string {
  const path = join(dir, name);
  const writer = createReportWriter(path);
  for (const row of each) writer.add(row, { durable: row.attempts > 0 });
  writer.close();
  return path;
}

const unverified = (message: string): { outcome: Outcome; message: string } => ({
  outcome: "unverified",
  message,
});

describe("flagReportRows", () => {
  it("changes the flagged rows' outcome and message, and the file is what the writer would have written", () => {
    const dir = tempDir("zo-flag-");
    const path = reportOf(rows, "report.csv", dir);
    const before = readFileSync(path, "utf8");
    const flags = new Map([
      [
        5,
        unverified(
          "Zoom answered that it applied this, but carol@acme.example is still in the account (active, Licensed)",
        ),
      ],
      [8, unverified("Zoom answered that it applied this, but frank@acme.example shows active, Licensed")],
    ]);
    expect(flagReportRows(path, flags)).toBe(2);

    // Byte for byte the report a writer makes of the same rows with those two changed.
    const expected = reportOf(
      rows.map((row) => {
        const flag = flags.get(row.line);
        return flag === undefined ? row : { ...row, ...flag };
      }),
      "expected.csv",
      dir,
    );
    const after = readFileSync(path, "utf8");
    expect(after).toBe(readFileSync(expected, "utf8"));

    // Every line of the rows not flagged is as it was.
    const beforeLines = before.split("\n");
    const afterLines = after.split("\n");
    expect(afterLines).toHaveLength(beforeLines.length);
    const changed = afterLines.flatMap((line, index) => (line === beforeLines[index] ? [] : [index]));
    expect(changed.map((index) => afterLines[index]?.split(",")[0])).toEqual(["5", "8"]);
    expect(afterLines[0]).toBe(beforeLines[0]);
  });

  it("keeps every other cell of a flagged row as it was", () => {
    const path = reportOf(rows);
    flagReportRows(path, new Map([[5, unverified("not done")]]));
    const line = readFileSync(path, "utf8")
      .split("\n")
      .find((each) => each.startsWith("5,"));
    expect(line).toBe(
      "5,carol@acme.example,delete,unverified,204,,not done,2,'-rid-2,2026-11-29T10:00:03.000Z,dave@acme.example",
    );
  });

  it("escapes a message that starts with = as the writer does, and the reader undoes it", async () => {
    const path = reportOf(rows);
    const message = '=HYPERLINK("http://evil.example"), shows active';
    expect(flagReportRows(path, new Map([[2, unverified(message)]]))).toBe(1);
    const line = readFileSync(path, "utf8").split("\n")[1];
    const cell = formatRow({ ...(rows[0] as ReportRow), outcome: "unverified", message })[6];
    expect(cell).toBe(`'${message}`);
    expect(line).toBe(
      `2,bob@acme.example,deactivate,unverified,204,,"'=HYPERLINK(""http://evil.example""), shows active",1,v=2.0;rid=1,2026-11-29T10:00:01.000Z,`,
    );
    const read = await readReportFile(path);
    expect(read.rows[0]).toMatchObject({ line: 2, outcome: "unverified", message });
  });

  it("writes a message with line breaks on one line, as the writer does", () => {
    const path = reportOf(rows);
    flagReportRows(path, new Map([[2, unverified("  Zoom shows\nactive\r\n\tstill ")]]));
    const line = readFileSync(path, "utf8").split("\n")[1];
    expect(line).toBe(
      "2,bob@acme.example,deactivate,unverified,204,,Zoom shows active still,1,v=2.0;rid=1,2026-11-29T10:00:01.000Z,",
    );
  });

  it.each(["+1 more", "-minus", "@at"])("escapes a message starting with %j", (message) => {
    const path = reportOf(rows);
    flagReportRows(path, new Map([[8, unverified(message)]]));
    const line = readFileSync(path, "utf8")
      .split("\n")
      .find((each) => each.startsWith("8,"));
    expect(line?.split(",")[6]).toBe(`'${message}`);
  });

  it("leaves the file mode 0600, even when it had been widened, and no temporary file behind", () => {
    const dir = tempDir("zo-flag-");
    const path = reportOf(rows, "report.csv", dir);
    expect(statSync(path).mode & 0o777).toBe(0o600);
    chmodSync(path, 0o644);
    flagReportRows(path, new Map([[2, unverified("not done")]]));
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(readdirSync(dir)).toEqual(["report.csv"]);
  });

  it("counts only the flagged lines the report holds", () => {
    const path = reportOf(rows);
    const before = readFileSync(path, "utf8");
    // Line 4 is not in the report (a blank line of the input), line 99 neither.
    expect(
      flagReportRows(
        path,
        new Map([
          [4, unverified("x")],
          [99, unverified("y")],
        ]),
      ),
    ).toBe(0);
    expect(readFileSync(path, "utf8")).toBe(before);
    expect(
      flagReportRows(
        path,
        new Map([
          [2, unverified("x")],
          [4, unverified("x")],
          [6, unverified("z")],
        ]),
      ),
    ).toBe(2);
  });

  it("returns 0 and leaves the file alone when nothing is flagged", () => {
    const path = reportOf(rows);
    chmodSync(path, 0o640);
    const before = readFileSync(path, "utf8");
    expect(flagReportRows(path, new Map())).toBe(0);
    expect(readFileSync(path, "utf8")).toBe(before);
    // Not even rewritten.
    expect(statSync(path).mode & 0o777).toBe(0o640);
  });

  it("is read back by readReportFile with the new outcome, every other field as written", async () => {
    const path = reportOf(rows);
    const messages = new Map([
      [
        5,
        "Zoom answered that it applied this, but carol@acme.example is still in the account (active, Licensed)",
      ],
      [8, "Zoom answered that it applied this, but frank@acme.example shows active, Licensed"],
    ]);
    flagReportRows(path, new Map([...messages].map(([line, message]) => [line, unverified(message)])));
    const read = await readReportFile(path);
    expect(read.truncated).toBe(false);
    expect(read.rows).toEqual(
      rows.map((row, index) => {
        const message = messages.get(row.line);
        return {
          httpStatus: undefined,
          zoomCode: undefined,
          trackingId: undefined,
          transferTo: undefined,
          ...row,
          ...(message === undefined ? {} : { outcome: "unverified", message }),
          fileLine: index + 2,
        };
      }),
    );
    expect(read.rows.map((row) => row.outcome)).toEqual([
      "applied",
      "invalid",
      "unverified",
      "rejected",
      "unverified",
    ]);
  });

  it("finds rows by line in a report whose rows hold line breaks in quoted cells", async () => {
    const multiline: ReportRow[] = [
      { ...(rows[1] as ReportRow), userId: "bad\nvalue", line: 2 },
      { ...(rows[0] as ReportRow), line: 3 },
    ];
    const path = reportOf(multiline);
    expect(flagReportRows(path, new Map([[3, unverified("not done")]]))).toBe(1);
    const read = await readReportFile(path);
    expect(read.rows.map((row) => [row.line, row.userId, row.outcome, row.fileLine])).toEqual([
      [2, "bad\nvalue", "invalid", 2],
      [3, "bob@acme.example", "unverified", 4],
    ]);
  });
});
