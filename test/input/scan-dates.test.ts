import { describe, expect, it } from "vitest";
import { openInput } from "../../src/input/open-input.js";
import { type RowVerdict, type ScanResult, scanInput } from "../../src/input/scan-input.js";
import { UserKeyTable } from "../../src/input/user-key-table.js";
import { tempCsv } from "./temp-csv.js";

// Leave dates: which rows a run sends, which wait for their day, and which a later step makes moot.

const ASOF_UTC = Date.parse("2026-12-10T01:00:00Z");

async function verdicts(scan: ScanResult): Promise<Record<number, RowVerdict>> {
  const input = await openInput(scan.file);
  const result: Record<number, RowVerdict> = {};
  for await (const record of input.records) result[record.line] = scan.verdict(record);
  return result;
}

async function scanText(text: string, asOf = ASOF_UTC, timeZone = "UTC") {
  const scan = await scanInput(
    tempCsv(text),
    { defaultAction: undefined, removalWithoutTransfer: true },
    { asOf, timeZone },
  );
  return { scan, verdicts: await verdicts(scan) };
}

const kind = (v: RowVerdict | undefined) => v?.kind;
const reason = (v: RowVerdict | undefined) => (v !== undefined && "reason" in v ? v.reason : undefined);

describe("a date column", () => {
  it("due rows are sent, later ones scheduled with when they become due; counts leave the scheduled out", async () => {
    const { scan, verdicts } = await scanText(
      [
        "email,action,last_day",
        "past@x.com,deactivate,2026-12-01",
        "today@x.com,deactivate,2026-12-10",
        "undated@x.com,deactivate,",
        "soon@x.com,deactivate,2026-12-11",
        "later@x.com,delete,2027-01-09",
      ].join("\n"),
    );
    expect([2, 3, 4, 5, 6].map((line) => kind(verdicts[line]))).toEqual([
      "send",
      "send",
      "send",
      "scheduled",
      "scheduled",
    ]);
    expect(reason(verdicts[5])).toBe("due 2026-12-11 00:00 UTC (in 23 hours): nothing sent before then");
    expect(reason(verdicts[6])).toBe("due 2027-01-09 00:00 UTC (in 30 days): nothing sent before then");
    expect(scan.counts).toMatchObject({ send: 3, deactivate: 3, delete: 0, scheduled: 2, superseded: 0 });
    expect(scan.layout.dateColumn).toBe("last_day");
  });

  it.each([
    "effective_date",
    "effective",
    "date",
    "last_day",
    "termination_date",
    "leave_date",
    "Leave_Date",
  ])("reads the column named %s", async (column) => {
    const { scan } = await scanText(`email,action,${column}\na@x.com,deactivate,2027-01-01\n`);
    expect(scan.counts.scheduled).toBe(1);
  });

  it("an unreadable date makes the row invalid with the reason, and it is never sent", async () => {
    const { scan, verdicts } = await scanText(
      "email,action,effective_date\na@x.com,deactivate,31/12/2026\nb@x.com,deactivate,2026-02-30\n",
    );
    expect(kind(verdicts[2])).toBe("invalid");
    expect(reason(verdicts[2])).toBe(
      'unreadable date "31/12/2026": not a date: write 2026-12-31, or 2026-12-31T17:00:00-05:00 for a moment',
    );
    expect(reason(verdicts[3])).toMatch(/no such day: 2026-02-30/);
    expect(scan.counts).toMatchObject({ invalid: 2, send: 0 });
  });

  it("a plain date starts at midnight in the run's zone: due in UTC, not yet in Los Angeles", async () => {
    // 01:00 UTC on the 10th is still 17:00 on the 9th in Los Angeles.
    const text = "email,action,effective_date\na@x.com,deactivate,2026-12-10\n";
    expect(kind((await scanText(text, ASOF_UTC, "UTC")).verdicts[2])).toBe("send");
    const la = await scanText(text, ASOF_UTC, "America/Los_Angeles");
    expect(kind(la.verdicts[2])).toBe("scheduled");
    expect(reason(la.verdicts[2])).toBe(
      "due 2026-12-10 00:00 America/Los_Angeles (in 7 hours): nothing sent before then",
    );
    // A moment with an offset is the same moment in any zone.
    const exact = "email,action,effective_date\na@x.com,deactivate,2026-12-10T00:30:00Z\n";
    expect(kind((await scanText(exact, ASOF_UTC, "America/Los_Angeles")).verdicts[2])).toBe("send");
  });

  it("a leaver's lifecycle in one file, run on three nights", async () => {
    const file = [
      "email,action,effective_date,transfer_to",
      "jane@x.com,signout,2026-12-10,",
      "jane@x.com,deactivate,2026-12-10,",
      "jane@x.com,delete,2027-01-09,boss@x.com",
    ].join("\n");
    const before = await scanText(file, Date.parse("2026-12-09T01:00:00Z"));
    expect([2, 3, 4].map((line) => kind(before.verdicts[line]))).toEqual([
      "scheduled",
      "scheduled",
      "scheduled",
    ]);
    const lastDay = await scanText(file, Date.parse("2026-12-10T01:00:00Z"));
    expect([2, 3, 4].map((line) => kind(lastDay.verdicts[line]))).toEqual(["send", "send", "scheduled"]);
    const deactivate = lastDay.verdicts[3];
    expect(deactivate?.kind === "send" && deactivate.after).toEqual([2]);
    const removal = await scanText(file, Date.parse("2027-01-09T01:00:00Z"));
    expect([2, 3, 4].map((line) => kind(removal.verdicts[line]))).toEqual([
      "superseded",
      "superseded",
      "send",
    ]);
    expect(reason(removal.verdicts[2])).toBe(
      "overridden by line 4 (delete on 2027-01-09 00:00): nothing sent",
    );
    expect(removal.scan.counts).toMatchObject({ send: 1, delete: 1, superseded: 2, scheduled: 0 });
  });

  it("a rehire is a later step, not a conflict; the same date still conflicts", async () => {
    const rehire = await scanText(
      "email,action,date\nann@x.com,deactivate,2026-11-01\nann@x.com,activate,2026-12-01\n",
    );
    expect(kind(rehire.verdicts[2])).toBe("superseded");
    expect(kind(rehire.verdicts[3])).toBe("send");
    const same = await scanText(
      "email,action,date\nann@x.com,deactivate,2026-12-01\nann@x.com,activate,2026-12-01\n",
    );
    expect([kind(same.verdicts[2]), kind(same.verdicts[3])]).toEqual(["conflict", "conflict"]);
  });

  it("a scheduled row does not count against a due one: a future contradiction waits for its day", async () => {
    const { verdicts } = await scanText(
      "email,action,date\nann@x.com,deactivate,2026-12-01\nann@x.com,activate,2027-03-01\n",
    );
    expect([kind(verdicts[2]), kind(verdicts[3])]).toEqual(["send", "scheduled"]);
  });

  it("keeps the earliest rows to come, in date order", async () => {
    const lines = ["email,action,date"];
    for (let n = 0; n < 30; n++)
      lines.push(`u${n}@x.com,deactivate,2027-01-${String(30 - n).padStart(2, "0")}`);
    const { scan } = await scanText(lines.join("\n"));
    expect(scan.counts.scheduled).toBe(30);
    expect(scan.upcoming).toHaveLength(10);
    expect(scan.upcoming.map((row) => row.user)).toEqual([
      "u29@x.com",
      "u28@x.com",
      "u27@x.com",
      "u26@x.com",
      "u25@x.com",
      "u24@x.com",
      "u23@x.com",
      "u22@x.com",
      "u21@x.com",
      "u20@x.com",
    ]);
    expect(scan.upcoming[0]?.when).toBe("2027-01-01 00:00 UTC (in 22 days)");
  });
});

describe("UserKeyTable with dates", () => {
  it("keeps each first row's date through growth, so a later second row is ordered against it", () => {
    const table = new UserKeyTable(16);
    // Dated rows, enough to grow the table several times before each user's second row comes.
    for (let n = 0; n < 500; n++) table.add(`u${n}@x.com`, "deactivate", n + 2, 1000 + n);
    for (let n = 0; n < 500; n++) table.add(`u${n}@x.com`, "activate", n + 1000, 5000);
    table.finish();
    expect(table.supersededRows).toBe(500);
    expect(table.sends).toMatchObject({ activate: 500, deactivate: 0 });
    const role = table.roleOf("u7@x.com", "deactivate", 9);
    expect(role?.kind === "superseded" && role.by).toEqual({ line: 1007, action: "activate", dueAt: 5000 });
  });

  it("allocates nothing for dates while every row shares one moment", () => {
    const undated = new UserKeyTable(64);
    const dated = new UserKeyTable(64);
    for (let n = 0; n < 10; n++) {
      undated.add(`u${n}@x.com`, "deactivate", n + 2, 7);
      dated.add(`u${n}@x.com`, "deactivate", n + 2, n);
    }
    expect(undated.byteLength).toBe(64 * 16);
    expect(dated.byteLength).toBe(64 * 16 + 64 * 8);
  });
});
