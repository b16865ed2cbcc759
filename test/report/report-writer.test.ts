import { readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "csv-parse/sync";
import { stringify } from "csv-stringify/sync";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { OUTCOMES } from "../../src/domain/outcomes.js";
import type { ReportRow } from "../../src/domain/report-row.js";
import { defaultReportPath } from "../../src/report/default-path.js";
import {
  createLineFormatter,
  FIRST_REPORT_COLUMNS,
  formatRow,
  needsQuoting,
  REPORT_COLUMNS,
} from "../../src/report/format-row.js";
import { createReportWriter } from "../../src/report/report-writer.js";
import { tempDir } from "../helpers/cleanup.js";

const row = (line: number): ReportRow => ({
  line,
  userId: `user${line}@example.com`,
  action: "deactivate",
  outcome: "applied",
  httpStatus: 204,
  message: "status changed, with a comma",
  attempts: 1,
  finishedAt: new Date("2026-11-29T00:00:00Z"),
});

describe("createReportWriter", () => {
  it("creates the file with mode 0600 and the header, even in a directory that does not exist yet", () => {
    const path = join(tempDir("zo-report-"), "nested", "r.csv");
    const writer = createReportWriter(path);
    writer.close();
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(readFileSync(path, "utf8")).toBe(
      "line,user_id,action,outcome,http_status,zoom_code,message,attempts,tracking_id,finished_at,transfer_to\n",
    );
  });

  it("at the end, rows that finished out of order are rewritten in input order, byte for byte, mode 0600", async () => {
    const dir = tempDir("zo-report-");
    const path = join(dir, "r.csv");
    const writer = createReportWriter(path);
    // Finished as Zoom answered: a row retried for a while (line 3) comes last; one user value holds a line break.
    const rows = [2, 5, 4, 6, 3].map((line) => ({
      ...row(line),
      userId: line === 4 ? "bad\nvalue" : `u${line}@x.io`,
    }));
    for (const each of rows) writer.add(each, { durable: true });
    const asWritten = readFileSync(path, "utf8");
    await writer.finish();
    const sorted = readFileSync(path, "utf8");
    const records = parse(sorted, { columns: true }) as Array<{ line: string; user_id: string }>;
    expect(records.map((record) => record.line)).toEqual(["2", "3", "4", "5", "6"]);
    expect(records.find((record) => record.line === "4")?.user_id).toBe("bad\nvalue");
    // The same rows, only reordered.
    expect(sorted.length).toBe(asWritten.length);
    expect(sorted.split("\n").sort()).toEqual(asWritten.split("\n").sort());
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(readdirSync(dir)).toEqual(["r.csv"]);
  });

  it("a report written in order is left as it is at the end (no rewrite)", async () => {
    const path = join(tempDir("zo-report-"), "r.csv");
    const writer = createReportWriter(path);
    for (const line of [2, 3, 4]) writer.add(row(line), { durable: true });
    const inode = statSync(path).ino;
    await writer.finish();
    expect(statSync(path).ino).toBe(inode);
    expect((parse(readFileSync(path, "utf8")) as string[][]).map((cells) => cells[0])).toEqual([
      "line",
      "2",
      "3",
      "4",
    ]);
  });

  it("writes durable rows to disk at once and batches the rest until flush", () => {
    const path = join(tempDir("zo-report-"), "r.csv");
    const writer = createReportWriter(path);
    writer.add(row(2));
    expect(parse(readFileSync(path, "utf8"))).toHaveLength(1);
    writer.add(row(3), { durable: true });
    const records = parse(readFileSync(path, "utf8"), { columns: true }) as Array<Record<string, string>>;
    expect(records.map((r) => r.line)).toEqual(["2", "3"]);
    expect(records[0]?.message).toBe("status changed, with a comma");
    writer.close();
    expect(writer.rowsWritten).toBe(2);
  });

  it("refuses to overwrite an earlier report", () => {
    const path = join(tempDir("zo-report-"), "r.csv");
    writeFileSync(path, "audit trail");
    expect(() => createReportWriter(path)).toThrow(expect.objectContaining({ code: "REPORT_UNWRITABLE" }));
    expect(readFileSync(path, "utf8")).toBe("audit trail");
  });
});

describe("defaultReportPath", () => {
  it.each([
    ["people.csv", "reports/people-20261129T173005Z.csv"],
    ["/tmp/hr/export.2026.csv", "reports/export.2026-20261129T173005Z.csv"],
    ["noext", "reports/noext-20261129T173005Z.csv"],
  ])("%s → %s", (input, expected) => {
    expect(defaultReportPath(input, new Date("2026-11-29T17:30:05.123Z"))).toBe(expected);
  });
});

describe("report lines", () => {
  const reportLine = createLineFormatter();
  const text = fc.oneof(
    fc.string(),
    fc.constantFrom("", ",", '"', "\n", "\r", "\t", "a,b", 'say "hi"', "'=1", "=1", "-2", " x ", "a\r\nb"),
  );
  const fields = {
    line: fc.integer({ min: 2, max: 2 ** 30 }),
    userId: text,
    action: text,
    outcome: fc.constantFrom(...OUTCOMES),
    httpStatus: fc.option(fc.integer({ min: 100, max: 599 }), { nil: undefined }),
    zoomCode: fc.option(fc.oneof(fc.integer(), text), { nil: undefined }),
    message: text,
    attempts: fc.nat(10),
    trackingId: fc.option(text, { nil: undefined }),
    finishedAt: fc.date({ min: new Date(0), max: new Date("2100-01-01T00:00:00Z"), noInvalidDate: true }),
    transferTo: fc.option(text, { nil: undefined }),
  };
  const reportRow: fc.Arbitrary<ReportRow> = fc.record(fields, {
    requiredKeys: ["line", "userId", "action", "outcome", "message", "attempts", "finishedAt"],
  });

  it("writes exactly what csv-stringify writes for the row's cells, for any row", () => {
    fc.assert(
      fc.property(fc.array(reportRow, { minLength: 1, maxLength: 5 }), (rows) => {
        for (const row of rows) expect(reportLine(row)).toBe(stringify([formatRow(row)]));
      }),
      { numRuns: 2000 },
    );
  });

  it("stays exact when consecutive rows differ in one field (the rest of a line is remembered)", () => {
    const change = fc.tuple(fc.constantFrom(...(Object.keys(fields) as (keyof ReportRow)[])), reportRow);
    fc.assert(
      fc.property(reportRow, fc.array(change, { maxLength: 12 }), (first, changes) => {
        let row = first;
        expect(reportLine(row)).toBe(stringify([formatRow(row)]));
        for (const [field, other] of changes) {
          row = { ...row, [field]: other[field] };
          expect(reportLine(row)).toBe(stringify([formatRow(row)]));
        }
      }),
      { numRuns: 1000 },
    );
  });

  it("writes a new line when only the time or only the transfer target differs from the row before", () => {
    const lines = createLineFormatter();
    const row: ReportRow = {
      line: 2,
      userId: "a@acme.example",
      action: "delete",
      outcome: "applied",
      message: "deleted",
      attempts: 1,
      finishedAt: new Date("2026-12-03T10:00:00.000Z"),
      transferTo: "boss@acme.example",
    };
    const later = { ...row, finishedAt: new Date("2026-12-03T10:00:00.001Z") };
    const elsewhere = { ...later, transferTo: "it@acme.example" };
    const nowhere = { ...elsewhere, transferTo: undefined };
    expect([row, later, elsewhere, nowhere].map(lines)).toEqual([
      "2,a@acme.example,delete,applied,,,deleted,1,,2026-12-03T10:00:00.000Z,boss@acme.example\n",
      "2,a@acme.example,delete,applied,,,deleted,1,,2026-12-03T10:00:00.001Z,boss@acme.example\n",
      "2,a@acme.example,delete,applied,,,deleted,1,,2026-12-03T10:00:00.001Z,it@acme.example\n",
      "2,a@acme.example,delete,applied,,,deleted,1,,2026-12-03T10:00:00.001Z,\n",
    ]);
  });

  it("names the columns of older reports: the first ten, without transfer_to", () => {
    expect(FIRST_REPORT_COLUMNS).toEqual(REPORT_COLUMNS.slice(0, 10));
    expect(FIRST_REPORT_COLUMNS).not.toContain("transfer_to");
    expect(FIRST_REPORT_COLUMNS.at(-1)).toBe("finished_at");
  });

  it("quotes a cell exactly when csv-stringify does", () => {
    fc.assert(
      fc.property(text, (cell) => {
        expect(needsQuoting(cell)).toBe(stringify([[cell]]) !== `${cell}\n`);
      }),
      { numRuns: 2000 },
    );
  });
});
