import { describe, expect, it } from "vitest";
import type { Action } from "../../src/domain/actions.js";
import { userKey } from "../../src/domain/users.js";
import {
  actionProblem,
  type CheckOptions,
  checkRecord,
  parseAction,
  resolveAction,
  userProblem,
} from "../../src/input/check-row.js";

const withColumn = { defaultAction: undefined, hasActionColumn: true };

describe("checkRecord: user values", () => {
  it.each([
    ["plain email", "jane.doe@acme.example"],
    ["email with plus and subdomain", "jane+zoom@mail.acme.example"],
    ["email, mixed case", "Jane.Doe@Acme.Example"],
    ["non-ASCII email", "zoë@exämple.de"],
    ["Zoom user ID", "KDcuGIm1QgePTO8WbOqwIQ"],
    ["ID with - and _", "u-7_Xq2"],
    ["one-character ID", "x"],
    ["64-character ID", "a".repeat(64)],
    ["'-2' has the shape of an ID", "-2"],
    ["'mee' is not 'me'", "mee"],
    ["email of 254 characters, the longest", `${"a".repeat(249)}@x.io`],
  ])("valid: %s", (_name, user) => {
    expect(checkRecord({ line: 2, user, action: "deactivate" }, withColumn)).toMatchObject({
      ok: true,
      user,
    });
  });

  it.each([
    ["no field", undefined, "empty user"],
    ["empty", "", "empty user"],
    ["me", "me", "'me' is not allowed"],
    ["ME", "ME", "'me' is not allowed"],
    ["Me", "Me", "'me' is not allowed"],
    ["slash", "a/b", 'contains "/"'],
    ["path traversal", "../../accounts/x", 'contains "/"'],
    ["query", "user?x", 'contains "?"'],
    ["fragment", "x#y", 'contains "#"'],
    ["percent-encoding", "%2e%2e", 'contains "%"'],
    ["inner space", "has space@x.com", "whitespace"],
    ["no-break space", "a\u00a0b@x.com", "whitespace"],
    ["tab", "tab\there@x.com", "control"],
    ["bell", "bell\u0007@x.com", "control or invisible character (U+0007)"],
    ["zero-width space", "a\u200b@x.com", "U+200B"],
    ["bidi override", "a\u202e@x.com", "U+202E"],
    ["65-character ID", "a".repeat(65), "too long for a Zoom user ID (65 characters"],
    ["dot in an ID", "a.b", "neither an email nor a Zoom user ID"],
    ["formula", "+1", "neither an email nor a Zoom user ID"],
    ["nothing after @", "not-an-email@", "no domain"],
    ["nothing before @", "@SUM(1)", "nothing before the @"],
    ["two @", "a@b@c.io", "more than one @"],
    ["domain without a dot", "a@localhost", "has no dot"],
    ["empty domain label", "a@x..io", "empty part"],
    ["trailing dot", "a@x.io.", "empty part"],
    ["leading dot", "a@.io", "empty part"],
    ["email longer than 254", `${"a".repeat(250)}@x.io`, "too long for an email"],
  ])("invalid: %s", (_name, user, reason) => {
    const check = checkRecord({ line: 2, user, action: "deactivate" }, withColumn);
    expect(check).toMatchObject({ ok: false, action: "deactivate" });
    expect(check.ok ? "" : check.reason).toContain(reason);
  });
});

describe("userProblem: the whole reason", () => {
  it.each([
    ["empty domain label", "a@x..io", 'not an email: the domain "x..io" has an empty part'],
    ["domain without a dot", "a@localhost", 'not an email: the domain "localhost" has no dot'],
    [
      "a dot before the @ is not the domain's",
      "a.@localhost",
      'not an email: the domain "localhost" has no dot',
    ],
    [
      "64 characters that are not an ID",
      `${"a".repeat(63)}.`,
      "neither an email nor a Zoom user ID (letters, digits, _ and -, up to 64)",
    ],
    [
      "65 characters that are not an ID",
      `${"a".repeat(64)}.`,
      "too long for a Zoom user ID (65 characters, at most 64)",
    ],
    ["email longer than 254", `${"a".repeat(250)}@x.io`, "too long for an email (255 characters)"],
  ])("%s", (_name, user, reason) => {
    expect(userProblem(user)).toBe(reason);
  });
});

describe("checkRecord: actions", () => {
  type Case = [string, string | undefined, boolean, Action | undefined, string, string | undefined];
  it.each<Case>([
    // name, row action, file has action column, --action, expected action, expected reason (undefined = ok)
    ["column value decides", "deactivate", true, undefined, "deactivate", undefined],
    ["any case, trimmed by the reader", "Activate", true, undefined, "activate", undefined],
    ["empty value", "", true, undefined, "", "empty action"],
    ["row shorter than the header", undefined, true, undefined, "", "empty action"],
    [
      "unknown value, shown as given",
      "Suspend",
      true,
      undefined,
      "Suspend",
      'unknown action "Suspend" (use signout, downgrade, license, deactivate, activate, delete, disassociate)',
    ],
    [
      "unknown long value is cut",
      "x".repeat(60),
      true,
      undefined,
      "x".repeat(60),
      `unknown action "${"x".repeat(40)}…" (use signout, downgrade, license, deactivate, activate, delete, disassociate)`,
    ],
    ["--action agrees", "DEACTIVATE", true, "deactivate", "deactivate", undefined],
    [
      "--action differs: shown resolved",
      "Activate",
      true,
      "deactivate",
      "activate",
      "action activate differs from --action deactivate",
    ],
    ["no column: --action used", undefined, false, "activate", "activate", undefined],
    ["no column, no --action", undefined, false, undefined, "", "no action"],
    ["no column: a stray value is not shown", "Activate", false, undefined, "", "no action"],
    [
      "unknown value with spaces, shown trimmed",
      " Suspend ",
      true,
      undefined,
      "Suspend",
      'unknown action "Suspend" (use signout, downgrade, license, deactivate, activate, delete, disassociate)',
    ],
    [
      "unknown value of 40 characters is not cut",
      "x".repeat(40),
      true,
      undefined,
      "x".repeat(40),
      `unknown action "${"x".repeat(40)}" (use signout, downgrade, license, deactivate, activate, delete, disassociate)`,
    ],
  ])("%s", (_name, action, hasActionColumn, defaultAction, expectedAction, reason) => {
    const check = checkRecord({ line: 2, user: "a@x.io", action }, { defaultAction, hasActionColumn });
    if (reason === undefined)
      expect(check).toEqual({ ok: true, user: "a@x.io", key: "e:a@x.io", action: expectedAction });
    else expect(check).toEqual({ ok: false, reason, action: expectedAction });
  });

  it("names the user problem first and still shows the resolved action", () => {
    expect(checkRecord({ line: 2, user: "", action: "Deactivate" }, withColumn)).toEqual({
      ok: false,
      reason: "empty user",
      action: "deactivate",
    });
  });

  it("keeps reasons on one line whatever the cell held", () => {
    const check = checkRecord({ line: 2, user: "a@x.io", action: "de\nactivate" }, withColumn);
    expect(check.ok ? "" : check.reason).not.toMatch(/[\r\n]/);
  });
});

describe("resolveAction and actionProblem", () => {
  type Case = [
    string,
    string | undefined,
    boolean,
    Action | undefined,
    Action | undefined,
    string | undefined,
  ];
  it.each<Case>([
    // name, row action, file has action column, --action, resolved action, problem
    ["column value", "deactivate", true, undefined, "deactivate", undefined],
    ["column value agreeing with --action", "Activate", true, "activate", "activate", undefined],
    [
      "column value differing from --action",
      "activate",
      true,
      "deactivate",
      undefined,
      "action activate differs from --action deactivate",
    ],
    ["no value in the column", undefined, true, undefined, undefined, "empty action"],
    ["no value, with --action", undefined, true, "activate", undefined, "empty action"],
    ["no column: --action", undefined, false, "deactivate", "deactivate", undefined],
    ["no column, no --action", undefined, false, undefined, undefined, "no action"],
  ])("%s", (_name, value, hasActionColumn, defaultAction, resolved, problem) => {
    const options = { defaultAction, hasActionColumn };
    expect(resolveAction(value, options)).toBe(resolved);
    expect(actionProblem(value, options)).toBe(problem);
  });
});

describe("userKey", () => {
  it.each([
    ["email lower-cased", "Jane.Doe@Acme.Example", "e:jane.doe@acme.example"],
    ["ID as given", "AbC123", "i:AbC123"],
    ["ID and email never share a key", "abc", "i:abc"],
    ["non-ASCII email lower-cased", "ZOË@X.DE", "e:zoë@x.de"],
  ])("%s", (_name, user, key) => {
    expect(userKey(user)).toBe(key);
  });

  it("IDs are case-sensitive, emails are not", () => {
    expect(userKey("AbC")).not.toBe(userKey("abc"));
    expect(userKey("A@X.io")).toBe(userKey("a@x.IO"));
  });
});

describe("parseAction", () => {
  it.each([
    ["activate", "activate"],
    ["deactivate", "deactivate"],
    ["  DeActivate ", "deactivate"],
    ["ACTIVATE", "activate"],
    ["", undefined],
    ["delete", "delete"],
    ["Sign-Out", "signout"],
    ["logout", "signout"],
    ["unlicense", "downgrade"],
    ["relicense", "license"],
    ["unlink", "disassociate"],
    ["suspend", undefined],
    ["de activate", undefined],
  ])("%j → %s", (value, expected) => {
    expect(parseAction(value)).toBe(expected);
  });
});

describe("userProblem", () => {
  it("accepts what checkRecord accepts (same function underneath)", () => {
    expect(userProblem("a@x.io")).toBeUndefined();
    expect(userProblem("me")).toBe("'me' is not allowed: name the user");
  });
});

describe("checkRecord: removals and their transfer target", () => {
  const removal = (transferTo: string | undefined, options: Partial<CheckOptions> = {}) =>
    checkRecord(
      { line: 2, user: "leaver@acme.example", action: "delete", transferTo },
      { ...withColumn, ...options },
    );

  it.each([
    ["the row's own target", "boss@acme.example", {}, "boss@acme.example"],
    [
      "the row's own target over --transfer-to",
      "boss@acme.example",
      { defaultTransferTo: "it@acme.example" },
      "boss@acme.example",
    ],
    [
      "--transfer-to when the row names no one",
      undefined,
      { defaultTransferTo: "it@acme.example" },
      "it@acme.example",
    ],
    [
      "--transfer-to when the row's cell is empty",
      "",
      { defaultTransferTo: "it@acme.example" },
      "it@acme.example",
    ],
    ["none, with --no-transfer", undefined, { removalWithoutTransfer: true }, undefined],
    [
      "none, with --no-transfer and an empty --transfer-to",
      "",
      { defaultTransferTo: "", removalWithoutTransfer: true },
      undefined,
    ],
  ])("goes to %s", (_name, given, options, expected) => {
    expect(removal(given, options)).toEqual({
      ok: true,
      user: "leaver@acme.example",
      key: userKey("leaver@acme.example"),
      action: "delete",
      transferTo: expected,
      dueAt: undefined,
    });
  });

  it.each([
    [
      "no target at all",
      undefined,
      {},
      "would lose their recordings: give transfer_to, or pass --no-transfer",
    ],
    [
      "an empty cell and no --transfer-to",
      "",
      {},
      "would lose their recordings: give transfer_to, or pass --no-transfer",
    ],
    [
      "an empty --transfer-to",
      undefined,
      { defaultTransferTo: "" },
      "would lose their recordings: give transfer_to, or pass --no-transfer",
    ],
    [
      "--no-transfer given as false",
      undefined,
      { removalWithoutTransfer: false },
      "would lose their recordings: give transfer_to, or pass --no-transfer",
    ],
    [
      "a target that is not a user",
      "a/b",
      {},
      'transfer target "a/b": contains "/" (a path separator), which no user ID or email has here',
    ],
    ["the user themself", "Leaver@ACME.example", {}, "the transfer target is the user themself"],
  ])("is refused with %s", (_name, given, options, reason) => {
    expect(removal(given, options)).toEqual({ ok: false, reason, action: "delete" });
  });

  it("asks nothing of a row that removes no one", () => {
    expect(
      checkRecord(
        { line: 2, user: "a@acme.example", action: "deactivate", transferTo: "a@acme.example" },
        withColumn,
      ),
    ).toMatchObject({
      ok: true,
      transferTo: undefined,
    });
  });
});

describe("checkRecord: a row's date", () => {
  const dated = (effective: string | undefined, options: Partial<CheckOptions> = {}) =>
    checkRecord(
      { line: 2, user: "a@acme.example", action: "deactivate", effective },
      { ...withColumn, ...options },
    );

  it.each([
    ["no date", undefined],
    ["an empty cell", ""],
  ])("is due now with %s", (_name, effective) => {
    expect(dated(effective)).toMatchObject({ ok: true, dueAt: undefined });
  });

  it("reads a plain date at midnight in the zone given, UTC by default", () => {
    expect(dated("2026-12-31")).toMatchObject({ ok: true, dueAt: Date.UTC(2026, 11, 31) });
    expect(dated("2026-12-31", { timeZone: "Europe/Berlin" })).toMatchObject({
      ok: true,
      dueAt: Date.UTC(2026, 11, 30, 23),
    });
  });

  it("refuses a date it cannot read, naming it", () => {
    const check = dated("next friday");
    expect(check.ok).toBe(false);
    expect(check).toMatchObject({ action: "deactivate" });
    expect((check as { reason: string }).reason).toMatch(/^unreadable date "next friday": \S/);
  });
});
