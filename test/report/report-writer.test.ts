import { mkdtempSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parse } from "csv-parse/sync";
import { stringify } from "csv-stringify/sync";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { ReportRow } from "../../src/domain.js";
import { defaultReportPath } from "../../src/report/default-path.js";
import { createReportWriter, csvLine } from "../../src/report/report-writer.js";

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
    const path = join(mkdtempSync(join(tmpdir(), "zo-report-")), "nested", "r.csv");
    const writer = createReportWriter(path);
    writer.close();
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(readFileSync(path, "utf8")).toBe(
      "line,user_id,action,outcome,http_status,zoom_code,message,attempts,tracking_id,finished_at\n",
    );
  });

  it("writes durable rows to disk at once and batches the rest until flush", () => {
    const path = join(mkdtempSync(join(tmpdir(), "zo-report-")), "r.csv");
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
    const path = join(mkdtempSync(join(tmpdir(), "zo-report-")), "r.csv");
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

describe("csvLine", () => {
  it("writes exactly what csv-stringify writes, for any cells", () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.oneof(fc.string(), fc.constantFrom("", ",", '"', "\n", "\r", "a,b", 'say "hi"', "'=1", " x ")),
          {
            minLength: 1,
            maxLength: 10,
          },
        ),
        (cells) => {
          expect(csvLine(cells)).toBe(stringify([cells]));
        },
      ),
      { numRuns: 2000 },
    );
  });
});
