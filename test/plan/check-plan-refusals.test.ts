import { describe, expect, it } from "vitest";
import { OffboardError } from "../../src/domain/errors.js";
import { addApproval, countingApprovers, refusalsOf } from "../../src/plan/check-plan.js";
import { type PlanFile, planChecksum } from "../../src/plan/plan-file.js";
import { ACCOUNT_ID, change, HOUR, MADE_AT, MADE_AT_MS, plan } from "./plan-fixture.js";

const demands = (over: Partial<Parameters<typeof refusalsOf>[1]> = {}) => ({
  now: MADE_AT_MS + HOUR,
  maxAgeMs: 24 * HOUR,
  accountId: ACCOUNT_ID,
  approvals: 0,
  ...over,
});

const approve = (p: PlanFile, by: string) =>
  addApproval(p, { by, at: "2024-05-01T11:00:00.000Z", note: null }, "plan.json");

describe("refusalsOf", () => {
  it("refuses nothing for a fresh, unedited plan of this account", () => {
    expect(refusalsOf(plan(), demands())).toEqual([]);
  });

  it("refuses nothing with enough approvals by others", () => {
    const p = plan();
    expect(approve(p, "bob")).toBe(true);
    expect(approve(p, "carol")).toBe(true);
    expect(refusalsOf(p, demands({ approvals: 2 }))).toEqual([]);
  });

  it("refuses a plan edited after it was made", () => {
    const p = plan();
    p.users = 99;
    expect(refusalsOf(p, demands())).toEqual([
      "it was edited after it was made (its checksum does not match what it says)",
    ]);
  });

  it("does not also blame approvers when the plan's own checksum is wrong", () => {
    const p = plan();
    approve(p, "bob");
    p.changes.push(change(9, "z@x.com", "delete"));
    expect(refusalsOf(p, demands())).toEqual([
      "it was edited after it was made (its checksum does not match what it says)",
    ]);
  });

  it("refuses a plan edited (and resealed) after an approval, naming the approvers", () => {
    const p = plan();
    approve(p, "bob");
    approve(p, "bob2");
    p.users = 7;
    p.plan_sha256 = planChecksum(p);
    expect(refusalsOf(p, demands({ approvals: 1 }))).toEqual([
      "it was edited after bob, bob2 approved it",
      "--approvals 1 needs that many distinct approvers other than its maker (alice); it has none",
    ]);
  });

  it("refuses a plan older than maxAgeMs", () => {
    expect(refusalsOf(plan(), demands({ now: MADE_AT_MS + 30 * HOUR }))).toEqual([
      `it was made 30 h ago (${MADE_AT}), longer ago than --max-plan-age allows (24 h): Zoom may have changed since; make a new plan`,
    ]);
  });

  it("states short ages in minutes", () => {
    expect(refusalsOf(plan(), demands({ now: MADE_AT_MS + 45 * 60_000, maxAgeMs: 30 * 60_000 }))).toEqual([
      `it was made 45 min ago (${MADE_AT}), longer ago than --max-plan-age allows (30 min): Zoom may have changed since; make a new plan`,
    ]);
  });

  it("accepts a plan exactly maxAgeMs old", () => {
    expect(refusalsOf(plan(), demands({ now: MADE_AT_MS + 24 * HOUR }))).toEqual([]);
  });

  it("refuses a plan made in the future beyond the clock slack, but not within it", () => {
    const p = plan({ options: { ...plan().options, as_of: "2024-05-01T00:00:00.000Z" } });
    expect(refusalsOf(p, demands({ now: MADE_AT_MS - 10 * 60_000 }))).toEqual([
      `it says it was made in the future (${MADE_AT}): check the clocks`,
    ]);
    expect(refusalsOf(p, demands({ now: MADE_AT_MS - 4 * 60_000 }))).toEqual([]);
  });

  it("refuses a plan whose as_of is still in the future", () => {
    const asOf = "2024-05-01T12:00:00.000Z";
    const p = plan({ options: { ...plan().options, as_of: asOf } });
    expect(refusalsOf(p, demands({ now: MADE_AT_MS + HOUR }))).toEqual([
      `it holds the rows due at ${asOf} (--as-of): apply it then or later`,
    ]);
    expect(refusalsOf(p, demands({ now: Date.parse(asOf) }))).toEqual([]);
  });

  it("refuses a plan made for another account", () => {
    expect(refusalsOf(plan(), demands({ accountId: "acct-other" }))).toEqual([
      "it was made for another Zoom account than these credentials'",
    ]);
  });

  it("refuses when approvals are short, not counting the maker, counting one name once", () => {
    const p = plan();
    const sum = p.plan_sha256;
    p.approvals.push(
      { by: "bob", at: "t1", note: null, plan_sha256: sum },
      { by: " ALICE ", at: "t2", note: null, plan_sha256: sum },
      { by: "Bob ", at: "t3", note: "again", plan_sha256: sum },
    );
    expect(countingApprovers(p)).toEqual(["bob"]);
    expect(refusalsOf(p, demands({ approvals: 2 }))).toEqual([
      "--approvals 2 needs that many distinct approvers other than its maker (alice); it has 1 (bob)",
    ]);
  });

  it("lists several refusals together", () => {
    const p = plan();
    p.users = 3;
    expect(refusalsOf(p, demands({ accountId: "x", approvals: 1 }))).toEqual([
      "it was edited after it was made (its checksum does not match what it says)",
      "it was made for another Zoom account than these credentials'",
      "--approvals 1 needs that many distinct approvers other than its maker (alice); it has none",
    ]);
  });
});

describe("countingApprovers", () => {
  it("counts approvals of the plan as it is now, by others, once per person, trimmed", () => {
    const p = plan();
    const sum = p.plan_sha256;
    p.approvals.push(
      { by: "  Carol ", at: "t", note: null, plan_sha256: sum },
      { by: "dave", at: "t", note: null, plan_sha256: "stale" },
      { by: "carol", at: "t", note: null, plan_sha256: sum },
      { by: "Alice", at: "t", note: null, plan_sha256: sum },
      { by: "erin", at: "t", note: null, plan_sha256: sum },
    );
    expect(countingApprovers(p)).toEqual(["Carol", "erin"]);
  });

  it("counts none on a fresh plan", () => {
    expect(countingApprovers(plan())).toEqual([]);
  });
});

describe("addApproval", () => {
  it("records an approval with the plan's checksum", () => {
    const p = plan();
    expect(addApproval(p, { by: "bob", at: "2024-05-01T11:00:00.000Z", note: "ok" }, "plan.json")).toBe(true);
    expect(p.approvals).toEqual([
      { by: "bob", at: "2024-05-01T11:00:00.000Z", note: "ok", plan_sha256: p.plan_sha256 },
    ]);
  });

  it("returns false for a repeat by the same person (in any case), adding nothing", () => {
    const p = plan();
    expect(approve(p, "bob")).toBe(true);
    expect(approve(p, " BOB")).toBe(false);
    expect(p.approvals).toHaveLength(1);
  });

  it("accepts a new approval by someone whose earlier approval was of another version", () => {
    const p = plan();
    p.approvals.push({ by: "bob", at: "t", note: null, plan_sha256: "old" });
    expect(approve(p, "bob")).toBe(true);
    expect(p.approvals).toHaveLength(2);
  });

  it("refuses a plan edited after it was made, with PLAN_REFUSED and the path", () => {
    const p = plan();
    p.warnings.push("sneaky");
    let caught: unknown;
    try {
      approve(p, "bob");
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(OffboardError);
    expect((caught as OffboardError).code).toBe("PLAN_REFUSED");
    expect((caught as OffboardError).message).toBe(
      "plan.json: not approved: it was edited after it was made (its checksum does not match what it says)",
    );
    expect(p.approvals).toEqual([]);
  });
});
