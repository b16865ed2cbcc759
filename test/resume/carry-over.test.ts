import { describe, expect, it } from "vitest";
import type { ReportRow } from "../../src/domain/report-row.js";
import type { RowVerdict } from "../../src/input/scan-input.js";
import { carryOver, toCarriedEntry } from "../../src/resume/carry-over.js";

const at = new Date("2026-01-02T03:04:05.000Z");
const row = (outcome: ReportRow["outcome"], extra: Partial<ReportRow> = {}): ReportRow => ({
  line: 7,
  userId: "a@example.com",
  action: "deactivate",
  outcome,
  httpStatus: 204,
  trackingId: "rid-1",
  message: "status changed",
  attempts: 2,
  finishedAt: at,
  ...extra,
});
const record = { line: 7, user: "a@example.com", action: "deactivate" };
const send: RowVerdict = {
  kind: "send",
  user: "a@example.com",
  action: "deactivate",
  transferTo: undefined,
  after: [],
  sequenced: false,
};
const duplicate: RowVerdict = {
  kind: "duplicate",
  user: "a@example.com",
  action: "deactivate",
  firstLine: 3,
  reason: "same user and action as line 3",
};
const invalid: RowVerdict = { kind: "invalid", action: "deactivate", reason: "bad" };

describe("toCarriedEntry", () => {
  it.each([
    ["applied", true],
    ["already", true],
    ["not_found", true],
    ["rejected", true],
    ["protected", true],
    ["invalid", true],
    ["duplicate", true],
    ["conflict", true],
    ["failed", false],
    ["not_attempted", false],
    ["would_apply", false],
  ] as const)("%s is carried over: %s", (outcome, kept) => {
    expect(toCarriedEntry(row(outcome)) !== undefined).toBe(kept);
  });
});

describe("carryOver", () => {
  it("carries a row without a user value, which an earlier report wrote with an empty user", () => {
    const empty = toCarriedEntry(
      row("invalid", { userId: "", httpStatus: undefined, message: "empty user" }),
    );
    const noUser = { line: 7, user: undefined, action: "deactivate" };
    expect(carryOver(empty, noUser, invalid, "r1.csv")).toMatchObject({
      userId: "",
      outcome: "invalid",
      message: "carried over from r1.csv: empty user",
    });
  });

  it("copies the earlier row, keeping outcome, time and Zoom's ids, and says where it came from", () => {
    expect(carryOver(toCarriedEntry(row("applied")), record, send, "r1.csv")).toEqual({
      ...row("applied"),
      zoomCode: undefined,
      message: "carried over from r1.csv: status changed",
    });
  });

  it("does not stack prefixes across several resumes", () => {
    const entry = toCarriedEntry(row("applied", { message: "carried over from r1.csv: status changed" }));
    expect(carryOver(entry, record, send, "r2.csv")?.message).toBe(
      "carried over from r1.csv: status changed",
    );
  });

  it.each<[string, Partial<ReportRow>, typeof record, RowVerdict]>([
    ["another user at that line", { userId: "b@example.com" }, record, send],
    [
      "same user in another case (IDs and the report keep it as given)",
      { userId: "A@example.com" },
      record,
      send,
    ],
    ["another action", { action: "activate" }, record, send],
    ["an earlier duplicate that is now the row to send", { outcome: "duplicate" }, record, send],
    ["an earlier applied row that is now a duplicate", {}, record, duplicate],
    ["an earlier applied row that is now invalid", {}, record, invalid],
  ])("processes again: %s", (_name, change, rec, verdict) => {
    const base = row((change.outcome ?? "applied") as ReportRow["outcome"], change);
    expect(carryOver(toCarriedEntry(base), rec, verdict, "r1.csv")).toBeUndefined();
  });

  it("carries a settled verdict of the same kind", () => {
    expect(carryOver(toCarriedEntry(row("duplicate")), record, duplicate, "r1.csv")?.outcome).toBe(
      "duplicate",
    );
  });

  it("has nothing to carry when the line was missing from the earlier report", () => {
    expect(carryOver(undefined, record, send, "r1.csv")).toBeUndefined();
  });
});
