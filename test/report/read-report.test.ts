import { appendFileSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { ReportRow } from "../../src/domain/report-row.js";
import { readReportFile } from "../../src/report/read-report.js";
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
