import { describe, expect, it } from "vitest";
import { escapeFormula, formatRow, REPORT_COLUMNS, unescapeFormula } from "../../src/report/format-row.js";

describe("escapeFormula", () => {
  it.each([
    ["=cmd|' /C calc'!A0", "'=cmd|' /C calc'!A0"],
    ["+1", "'+1"],
    ["-2", "'-2"],
    ["@SUM(1)", "'@SUM(1)"],
    ["\tx", "'\tx"],
    ["\rx", "'\rx"],
    ["alice@example.com", "alice@example.com"],
    ["", ""],
    ["a=b", "a=b"],
  ])("%j becomes %j and reads back", (value, escaped) => {
    expect(escapeFormula(value)).toBe(escaped);
    expect(unescapeFormula(escapeFormula(value))).toBe(value);
  });

  it.each(["'quoted", "'a=b", "'x+1", "''"])(
    "leaves %j, which merely starts with an apostrophe, alone when reading back",
    (value) => {
      expect(unescapeFormula(value)).toBe(value);
    },
  );
});

describe("formatRow", () => {
  it("puts the columns in SPEC order, escapes every cell and keeps the message on one line", () => {
    const cells = formatRow({
      line: 7,
      userId: '=HYPERLINK("http://x")',
      action: "deactivate",
      outcome: "rejected",
      httpStatus: 400,
      zoomCode: 200,
      message: "Zoom Room and Admin users' status\ncannot be changed",
      attempts: 1,
      trackingId: "v=2.0;rid=1",
      finishedAt: new Date("2026-11-29T10:00:00.000Z"),
    });
    expect(REPORT_COLUMNS).toEqual([
      "line",
      "user_id",
      "action",
      "outcome",
      "http_status",
      "zoom_code",
      "message",
      "attempts",
      "tracking_id",
      "finished_at",
      "transfer_to",
    ]);
    expect(cells).toEqual([
      "7",
      '\'=HYPERLINK("http://x")',
      "deactivate",
      "rejected",
      "400",
      "200",
      "Zoom Room and Admin users' status cannot be changed",
      "1",
      "v=2.0;rid=1",
      "2026-11-29T10:00:00.000Z",
      "",
    ]);
  });

  it.each([
    ["one line", "one line"],
    ["  padded  ", "padded"],
    ["line one\r\nline two", "line one line two"],
    ["a\n\n\tb", "a b"],
    [" ends with a break\n", "ends with a break"],
  ])("writes the message %j as %j", (message, cell) => {
    const cells = formatRow({
      line: 3,
      userId: "a@x.io",
      action: "deactivate",
      outcome: "failed",
      message,
      attempts: 5,
      finishedAt: new Date(0),
    });
    expect(cells[6]).toBe(cell);
  });

  it("leaves status, code and tracking id empty when Zoom gave none", () => {
    const cells = formatRow({
      line: 2,
      userId: "me",
      action: "deactivate",
      outcome: "invalid",
      message: "'me' is not allowed",
      attempts: 0,
      finishedAt: new Date(0),
    });
    expect(cells[4]).toBe("");
    expect(cells[5]).toBe("");
    expect(cells[8]).toBe("");
  });
});
