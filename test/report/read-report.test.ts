import { appendFileSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { OUTCOMES } from "../../src/domain/outcomes.js";
import type { ReportRow } from "../../src/domain/report-row.js";
import { readReportFile, readReportRows } from "../../src/report/read-report.js";
import { createReportWriter } from "../../src/report/report-writer.js";
import { tempDir } from "../helpers/cleanup.js";

const rows: ReportRow[] = [
  {
    line: 2,
    userId: "-starts-with-dash",
    action: "deactivate",
    outcome: "applied",
    httpStatus: 204,
    message: "status changed",
    attempts: 1,
    trackingId: "v=2.0;rid=1",
    finishedAt: new Date("2026-11-29T10:00:00.000Z"),
  },
  {
    line: 3,
    userId: '=HYPERLINK("x")',
    action: "activate",
    outcome: "invalid",
    message: 'contains "/", and a comma',
    attempts: 0,
    finishedAt: new Date("2026-11-29T10:00:01.000Z"),
  },
  {
    line: 5,
    userId: "admin@example.com",
    action: "deactivate",
    outcome: "rejected",
    httpStatus: 400,
    zoomCode: 200,
    message: "Zoom Room and Admin users' status cannot be activated or deactivated.",
    attempts: 1,
    trackingId: "rid-3",
    finishedAt: new Date("2026-11-29T10:00:02.000Z"),
  },
];

function written(): string {
  const path = join(tempDir("zo-read-"), "report.csv");
  const writer = createReportWriter(path);
  for (const row of rows) writer.add(row);
  writer.close();
  return path;
}

describe("readReportFile", () => {
  it("reads back exactly what the writer wrote, formula escapes undone", async () => {
    const result = await readReportFile(written());
    expect(result.truncated).toBe(false);
    expect(result.rows).toEqual(
      rows.map((row, index) => ({
        zoomCode: undefined,
        httpStatus: undefined,
        trackingId: undefined,
        ...row,
        fileLine: index + 2,
      })),
    );
  });

  it("reads a report cut short by a crash up to its last whole row", async () => {
    const path = written();
    const text = readFileSync(path, "utf8");
    writeFileSync(path, text.slice(0, text.length - 20));
    const result = await readReportFile(path);
    expect(result.truncated).toBe(true);
    expect(result.rows.map((row) => row.line)).toEqual([2, 3]);
  });

  it("treats a crash inside a quoted field as the end of the file", async () => {
    const path = written();
    appendFileSync(path, '6,"half a quoted\nvalue');
    const result = await readReportFile(path);
    expect(result.truncated).toBe(true);
    expect(result.rows).toHaveLength(3);
  });

  it.each([
    ["a report from another tool", "email,status\nx@y.com,done\n", /columns are not a zoom-offboard report/],
    ["an empty file", "", /empty/],
    [
      "a damaged row in the middle",
      "line,user_id,action,outcome,http_status,zoom_code,message,attempts,tracking_id,finished_at\n2,u,deactivate,exploded,,,m,0,,2026-11-29T10:00:00.000Z\n3,u2,deactivate,applied,204,,m,1,,2026-11-29T10:00:00.000Z\n",
      /:2: unknown outcome "exploded"/,
    ],
  ])("refuses %s", async (_, text, message) => {
    const path = join(tempDir("zo-read-"), "r.csv");
    writeFileSync(path, text);
    await expect(readReportFile(path)).rejects.toThrow(message);
    await expect(readReportFile(path)).rejects.toMatchObject({ code: "REPORT_UNREADABLE" });
  });

  it("names a missing file", async () => {
    await expect(readReportFile("/nonexistent/report.csv")).rejects.toThrow(
      /report\.csv: cannot open: ENOENT/,
    );
  });
});

describe("readReportRows", () => {
  it("hands over the rows one at a time, in file order, as readReportFile returns them", async () => {
    const path = written();
    const streamed: unknown[] = [];
    const result = await readReportRows(path, (row) => streamed.push(row));
    expect(result).toEqual({ truncated: false });
    expect(streamed).toEqual((await readReportFile(path)).rows);
  });

  it("leaves out the row a crash cut short, and says so", async () => {
    const path = written();
    const text = readFileSync(path, "utf8");
    writeFileSync(path, text.slice(0, text.length - 20));
    const lines: number[] = [];
    expect(await readReportRows(path, (row) => lines.push(row.line))).toEqual({ truncated: true });
    expect(lines).toEqual([2, 3]);
  });

  it("hands over nothing from a file that is not a report", async () => {
    const path = join(tempDir("zo-read-"), "other.csv");
    writeFileSync(path, "email,action\na@example.com,deactivate\n");
    const lines: number[] = [];
    await expect(readReportRows(path, (row) => lines.push(row.line))).rejects.toMatchObject({
      code: "REPORT_UNREADABLE",
    });
    expect(lines).toEqual([]);
  });
});

describe("reading back any report", () => {
  // Cells with what forces quoting (commas, quotes, CR, LF, quotes spanning lines) and what a formula escape adds.
  // A value that starts with an apostrophe and a formula character reads back unescaped: that is the escape's price.
  const text = fc.oneof(
    fc.string().filter((t) => !t.startsWith("'")),
    fc.constantFrom("", ",", '"', '""', "\n", "\r\n", 'a "b"\nc', "a,b", "=1", "-2", "x\r"),
  );
  const row: fc.Arbitrary<ReportRow> = fc.record(
    {
      line: fc.integer({ min: 2, max: 2 ** 30 }),
      userId: text,
      action: text,
      outcome: fc.constantFrom(...OUTCOMES),
      httpStatus: fc.option(fc.integer({ min: 100, max: 599 }), { nil: undefined }),
      zoomCode: fc.option(fc.integer({ min: 0, max: 99999 }), { nil: undefined }),
      message: fc
        .string()
        .map((m) => m.replace(/\s+/g, " ").trim())
        .filter((m) => !m.startsWith("'")),
      attempts: fc.nat(10),
      trackingId: fc.option(
        text.filter((t) => t !== ""),
        { nil: undefined },
      ),
      finishedAt: fc.date({ min: new Date(0), max: new Date("2100-01-01T00:00:00Z"), noInvalidDate: true }),
      transferTo: fc.option(
        text.filter((t) => t !== ""),
        { nil: undefined },
      ),
    },
    { requiredKeys: ["line", "userId", "action", "outcome", "message", "attempts", "finishedAt"] },
  );

  it("gives back every row the writer wrote, with the line each starts on", async () => {
    const dir = tempDir("zo-read-any-");
    let n = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(row, { maxLength: 8 }), async (written) => {
        const path = join(dir, `report-${n++}.csv`);
        const writer = createReportWriter(path);
        for (const r of written) writer.add(r);
        writer.close();
        const read = await readReportFile(path);
        expect(read.truncated).toBe(false);
        expect(read.rows.map(({ fileLine: _, ...r }) => r)).toEqual(
          written.map((r) => ({
            httpStatus: undefined,
            zoomCode: undefined,
            trackingId: undefined,
            transferTo: undefined,
            ...r,
          })),
        );
        const lines = readFileSync(path, "utf8").split("\n");
        // Each row's line in the file starts with its input line number.
        for (const r of read.rows) expect(lines[r.fileLine - 1]?.startsWith(`${r.line},`)).toBe(true);
      }),
      { numRuns: 300 },
    );
  });
});
