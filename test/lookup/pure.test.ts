import { describe, expect, it } from "vitest";
import { confirmationWord, describePlan } from "../../src/cli/plan-text.js";
import { chooseStrategy, LOOKUP_CHOICES, worthReadingAgain } from "../../src/lookup/choose-strategy.js";
import { checkDeactivations, checkDeletions, parseDeactivationLimit } from "../../src/lookup/guard.js";
import type { Plan } from "../../src/lookup/plan.js";
import { emptyPlan } from "../../src/lookup/planned.js";
import { parseProtectList } from "../../src/lookup/protect-list.js";
import { decideFromState, packFound, type UserState, unpackFound } from "../../src/lookup/user-state.js";
import { UserStateTable } from "../../src/lookup/user-state-table.js";

const found = (
  status: "active" | "inactive" | "pending",
  role: "owner" | "admin" | "member" | "room" = "member",
  listed = false,
  type: number | undefined = undefined,
): UserState => ({
  kind: "found",
  status,
  role,
  type,
  protectedByList: listed,
});

describe("decideFromState", () => {
  it.each([
    ["deactivate", undefined, "send"],
    ["deactivate", found("active"), "send"],
    ["deactivate", found("inactive"), "already"],
    ["activate", found("inactive"), "send"],
    ["activate", found("active"), "already"],
    ["deactivate", found("pending"), "send"],
    ["deactivate", found("active", "owner"), "protected"],
    ["deactivate", found("active", "admin"), "protected"],
    ["activate", found("inactive", "admin"), "protected"],
    ["deactivate", found("active", "member", true), "protected"],
    // Protection wins over "already": the report says why it was never touched.
    ["deactivate", found("inactive", "member", true), "protected"],
    ["deactivate", { kind: "not_found", message: "User does not exist: x." }, "not_found"],
    ["deactivate", { kind: "unknown", message: "look-up failed" }, "unknown"],
  ] as const)("%s with %j → %s", (action, state, kind) => {
    expect(decideFromState(action, state).kind).toBe(kind);
  });

  it.each([
    ["active", "member", false],
    ["inactive", "owner", true],
    ["pending", "admin", false],
  ] as const)("packs %s/%s/%s and back", (status, role, listed) => {
    expect(unpackFound(packFound(status, role, listed))).toEqual(found(status, role, listed));
  });
});

describe("UserStateTable", () => {
  it("stores values by user, emails case-insensitively, ids exactly, and grows", () => {
    const table = new UserStateTable(4);
    for (let n = 0; n < 5000; n += 1) table.set(`user${n}@Example.com`, (n % 200) + 1);
    table.set("AbC123", 7);
    expect(table.get("USER42@example.COM")).toBe(43);
    expect(table.get("user4999@example.com")).toBe((4999 % 200) + 1);
    expect(table.get("AbC123")).toBe(7);
    expect(table.get("abc123")).toBeUndefined();
    expect(table.get("nobody@example.com")).toBeUndefined();
    expect(table.size).toBe(5001);
    table.set("AbC123", 9);
    expect(table.get("AbC123")).toBe(9);
    expect(table.size).toBe(5001);
  });
});

describe("parseProtectList", () => {
  const list = parseProtectList(
    [
      "# break-glass and service accounts",
      "breakglass@acme.example",
      "KdYKjnimT4KPd8FFgQt9FQ  # the CEO",
      "",
      "*@svc.acme.example",
    ].join("\n"),
    "protect.txt",
  );

  it.each([
    ["breakglass@acme.example", true],
    ["BreakGlass@ACME.example", true],
    ["KdYKjnimT4KPd8FFgQt9FQ", true],
    ["kdykjnimt4kpd8ffgqt9fq", false],
    ["robot@svc.acme.example", true],
    ["robot@SVC.ACME.EXAMPLE", true],
    ["robot@other.svc.acme.example", false],
    ["alice@acme.example", false],
  ])("%s protected: %s", (user, expected) => {
    expect(list.matches(user)).toBe(expected);
  });

  it("counts its entries", () => {
    expect(list.size).toBe(3);
  });

  it.each([
    ["a/b", /protect\.txt:2: "a\/b" is not a user ID or email/],
    ["*@", /protect\.txt:2: "\*@" is not a \*@domain pattern/],
    ["*@nodot", /protect\.txt:2:/],
    ["me", /protect\.txt:2:/],
  ])("refuses %s, naming the line", (entry, message) => {
    expect(() => parseProtectList(`ok@acme.example\n${entry}`, "protect.txt")).toThrow(message);
  });
});

describe("--max-deactivations", () => {
  it.each([
    ["100", { kind: "count", max: 100 }],
    ["0", { kind: "count", max: 0 }],
    ["5%", { kind: "percent", percent: 5 }],
    ["100%", { kind: "percent", percent: 100 }],
    [" 2.5% ", { kind: "percent", percent: 2.5 }],
    ["2.25%", { kind: "percent", percent: 2.25 }],
  ])("parses %j", (value, expected) => {
    expect(parseDeactivationLimit(value)).toEqual(expected);
  });

  it.each(["abc", "150%", "0%", "-1", "1.5", "%", "", "x5%", "5%x", "5%%"])("refuses %j", (value) => {
    expect(() => parseDeactivationLimit(value)).toThrow(/--max-deactivations/);
  });

  it.each([
    [{ kind: "count", max: 100 }, 100, undefined, true],
    [{ kind: "count", max: 100 }, 101, undefined, false],
    [{ kind: "percent", percent: 10 }, 20, 200, true],
    [{ kind: "percent", percent: 10 }, 21, 200, false],
    // Without the active count a percentage cannot vouch for the file.
    [{ kind: "percent", percent: 10 }, 1, undefined, false],
  ] as const)("%j with %i deactivations of %s active users → ok %s", (limit, deactivations, active, ok) => {
    const check = checkDeactivations(limit, deactivations, active);
    expect(check.ok).toBe(ok);
    if (!check.ok) expect(check.message).toMatch(/--max-deactivations|--lookup directory/);
  });

  it("says how to proceed", () => {
    const check = checkDeactivations({ kind: "count", max: 100 }, 101, undefined);
    expect(check.ok ? "" : check.message).toContain("--max-deactivations 101");
  });

  it.each([
    {
      limit: { kind: "count", max: 100 },
      deactivations: 101,
      active: undefined,
      expected: {
        ok: false,
        limit: 100,
        message:
          "this file would deactivate 101 users, more than the limit of 100 (--max-deactivations). Nothing was sent. " +
          "Check the file with --dry-run; if it is right, run again with --max-deactivations 101",
      },
    },
    {
      limit: { kind: "percent", percent: 10 },
      deactivations: 21,
      active: 205,
      expected: {
        ok: false,
        limit: 20,
        message:
          "this file would deactivate 21 users, more than the limit of 20 (10% of 205 active users, --max-deactivations). " +
          "Nothing was sent. Check the file with --dry-run; if it is right, run again with --max-deactivations 21",
      },
    },
    {
      limit: { kind: "percent", percent: 5 },
      deactivations: 1,
      active: undefined,
      expected: {
        ok: false,
        limit: undefined,
        message:
          "--max-deactivations 5% needs the account's active user count, which the look-up did not give " +
          "(use --lookup directory, or a plain number)",
      },
    },
    {
      limit: { kind: "percent", percent: 10 },
      deactivations: 20,
      active: 205,
      expected: { ok: true, limit: 20 },
    },
  ] as const)(
    "$limit, $deactivations of $active: the whole verdict",
    ({ limit, deactivations, active, expected }) => {
      expect(checkDeactivations(limit, deactivations, active)).toEqual(expected);
    },
  );
});

describe("checkDeletions", () => {
  it("refuses more removals than allowed, in words of its own", () => {
    expect(checkDeletions({ kind: "count", max: 0 }, 2, 500)).toEqual({
      ok: false,
      limit: 0,
      message:
        "this file would delete or disassociate 2 users, more than the limit of 0 (--max-deletions). Nothing was " +
        "sent. Check the file with --dry-run; if it is right, run again with --max-deletions 2",
    });
  });

  it("lets a file with no removals through whatever the limit, even a percentage with no user count", () => {
    expect(checkDeletions({ kind: "percent", percent: 1 }, 0, undefined)).toEqual({
      ok: true,
      limit: undefined,
    });
    expect(checkDeactivations({ kind: "percent", percent: 1 }, 0, undefined)).toEqual({
      ok: true,
      limit: undefined,
    });
  });
});

describe("chooseStrategy", () => {
  const rates = { lightRps: 30, mediumRps: 20 };
  it.each([
    [0, undefined, "none"],
    [2, undefined, "per-user"],
    [50, undefined, "probe"],
    [50, 3, "directory"],
    [50, 200, "per-user"],
    [100_000, 2000, "directory"],
  ])("%i users, %s directory pages → %s", (usersToLookUp, directoryPages, strategy) => {
    const decision = chooseStrategy({ usersToLookUp, directoryPages, ...rates });
    expect(decision.strategy).toBe(strategy);
    expect(decision.reason.length).toBeGreaterThan(5);
  });

  it.each([
    // A tie goes to the per-user look-ups before the probe, and to the directory once its size is known.
    [{ usersToLookUp: 3, directoryPages: undefined, lightRps: 30, mediumRps: 30 }, "per-user"],
    [{ usersToLookUp: 3, directoryPages: 3, lightRps: 30, mediumRps: 30 }, "directory"],
  ])("a tie: %j → %s", (input, strategy) => {
    expect(chooseStrategy(input).strategy).toBe(strategy);
  });

  it.each([
    [
      { usersToLookUp: 0, directoryPages: 3 },
      { strategy: "none", reason: "no row would be sent" },
    ],
    [
      { usersToLookUp: 2, directoryPages: undefined },
      {
        strategy: "per-user",
        reason: "2 users: per-user look-ups (0.07 s of Light budget) cost less than reading the directory",
      },
    ],
    [
      { usersToLookUp: 50, directoryPages: undefined },
      { strategy: "probe", reason: "reading the directory's size to compare" },
    ],
    [
      { usersToLookUp: 300, directoryPages: 3 },
      {
        strategy: "directory",
        reason:
          "3 directory pages (0.15 s of the separate Medium budget) cost less than 300 per-user look-ups (10 s of Light budget)",
      },
    ],
    [
      { usersToLookUp: 50, directoryPages: 400 },
      {
        strategy: "per-user",
        reason:
          "50 per-user look-ups (1.67 s of Light budget) cost less than 400 directory pages (20 s of Medium budget)",
      },
    ],
    [
      { usersToLookUp: 299, directoryPages: 400 },
      {
        strategy: "per-user",
        reason:
          "299 per-user look-ups (9.97 s of Light budget) cost less than 400 directory pages (20 s of Medium budget)",
      },
    ],
  ])("%j: the reason in seconds, two decimals below 10 s", (counts, expected) => {
    expect(chooseStrategy({ ...counts, ...rates })).toEqual(expected);
  });

  it("offers auto and the three strategies on the command line", () => {
    expect(LOOKUP_CHOICES).toEqual(["auto", "per-user", "directory", "none"]);
  });
});

describe("worthReadingAgain", () => {
  const rates = { lightRps: 80, mediumRps: 60 };
  it.each([
    // 6,000 users (20 pages) that lost 150 while paged: 0.33 s of Medium budget against up to 1.9 s of Light.
    [20, 150, true],
    // 100,000 users (334 pages) that lost 40: 5.6 s of Medium budget against at most 0.5 s of Light.
    [334, 40, false],
    [3, 4, true],
    [3, 3, false],
  ])("%i pages, %i users lost → %s", (pages, lost, worth) => {
    expect(worthReadingAgain({ pages, lost, ...rates })).toBe(worth);
  });
});

describe("the confirmation", () => {
  const plan: Plan = {
    ...emptyPlan({ invalid: 2, duplicate: 1, conflict: 0 }),
    changes: { ...emptyPlan({ invalid: 0, duplicate: 0, conflict: 0 }).changes, deactivate: 31, activate: 1 },
    already: 2,
    notFound: 1,
    protected: 2,
    unknown: 0,
    invalid: 2,
    duplicate: 1,
    conflict: 0,
  };

  it("asks for the number of deactivations, or of activations when there are none", () => {
    expect(confirmationWord(plan)).toEqual({ answer: "31", what: "31 deactivations" });
    expect(confirmationWord({ ...plan, changes: { ...plan.changes, deactivate: 0 } })).toEqual({
      answer: "1",
      what: "1 activation",
    });
  });

  it("asks for the number of removals first: nothing can take those back", () => {
    const removing: Plan = {
      ...plan,
      changes: { ...plan.changes, delete: 2, disassociate: 1 },
      removals: [
        { user: "a@x.com", action: "delete", transferTo: "boss@x.com" },
        { user: "b@x.com", action: "delete", transferTo: undefined },
      ],
    };
    expect(confirmationWord(removing)).toEqual({ answer: "3", what: "3 deletions" });
    const text = describePlan(removing, ["meeting", "recording"]).join("\n");
    expect(text).toMatch(/delete\s+2/);
    expect(text).toMatch(/disassociate\s+1/);
    expect(text).toContain("where their data goes (meetings, recordings):");
    expect(text).toMatch(/delete\s+a@x\.com → boss@x\.com/);
    expect(text).toContain("b@x.com → no one: the data is lost");
    expect(text).toContain("… and 1 more");
  });

  it("shows every count", () => {
    const text = describePlan(plan).join("\n");
    expect(text).toMatch(/deactivate\s+31/);
    expect(text).toMatch(/protected\s+2/);
    expect(text).toContain("invalid 2, duplicate 1, conflict 0");
  });
});
