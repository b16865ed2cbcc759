import { describe, expect, it } from "vitest";
import { OffboardError } from "../../src/domain/errors.js";
import { type ApplyDemands, addApproval, countingApprovers, refusalsOf } from "../../src/plan/check-plan.js";
import { type Approval, type PlanFile, planChecksum } from "../../src/plan/plan-file.js";
import { ACCOUNT_ID, change, MADE_AT, MADE_AT_MS, planBody, sealedPlan } from "./plan-samples.js";

const HOUR = 3_600_000;
const MINUTE = 60_000;

/** An apply an hour after the plan was made, for its own account, with no approvals asked for. */
const demands = (overrides: Partial<ApplyDemands> = {}): ApplyDemands => ({
  now: MADE_AT_MS + HOUR,
  maxAgeMs: 24 * HOUR,
  accountId: ACCOUNT_ID,
  approvals: 0,
  ...overrides,
});

/** An approval of the plan as it is now. */
const approvalOf = (plan: PlanFile, by: string, note: string | null = null): Approval => ({
  by,
  at: "2026-11-29T11:00:00.000Z",
  note,
  plan_sha256: planChecksum(plan),
});

/** A plan approved by `approvers` (as it was then). */
function approved(...approvers: string[]): PlanFile {
  const plan = sealedPlan();
  for (const by of approvers) plan.approvals.push(approvalOf(plan, by));
  return plan;
}

/** Edit a change of the plan and seal it again: what someone who knows the checksum could do. */
function editAndReseal(plan: PlanFile): void {
  plan.changes.push(change(9, "mallory@acme.example"));
  plan.plan_sha256 = planChecksum(plan);
}

const EDITED_AFTER_MADE = "it was edited after it was made (its checksum does not match what it says)";

describe("refusalsOf", () => {
  it("is empty for a fresh plan of this account, when no approvals are asked for", () => {
    expect(refusalsOf(sealedPlan(), demands())).toEqual([]);
  });

  it("is empty for a plan with as many approvals as asked for", () => {
    expect(refusalsOf(approved("bob", "carol"), demands({ approvals: 2 }))).toEqual([]);
  });

  it("is empty for a plan approved through addApproval by as many others as asked for", () => {
    const plan = sealedPlan();
    expect(addApproval(plan, { by: "bob", at: "2026-11-29T11:00:00.000Z", note: null }, "p.json")).toBe(true);
    expect(addApproval(plan, { by: "carol", at: "2026-11-29T11:00:00.000Z", note: null }, "p.json")).toBe(
      true,
    );
    expect(refusalsOf(plan, demands({ approvals: 2 }))).toEqual([]);
  });

  it("refuses a plan edited after it was made", () => {
    const plan = sealedPlan();
    plan.changes.push(change(9, "mallory@acme.example"));
    expect(refusalsOf(plan, demands())).toEqual([EDITED_AFTER_MADE]);
  });

  it.each<[string, (plan: PlanFile) => void]>([
    [
      "an option",
      (plan) => {
        plan.options.rps = 1;
      },
    ],
    [
      "a transfer target",
      (plan) => {
        (plan.changes[1] as { transfer_to?: string }).transfer_to = "x@y.z";
      },
    ],
    [
      "its count of users",
      (plan) => {
        plan.users = 99;
      },
    ],
    [
      "its maker",
      (plan) => {
        plan.made_by = "bob";
      },
    ],
    [
      "its checksum",
      (plan) => {
        plan.plan_sha256 = "0".repeat(64);
      },
    ],
  ])("refuses a plan whose %s was edited", (_what, edit) => {
    const plan = sealedPlan();
    edit(plan);
    expect(refusalsOf(plan, demands())).toEqual([EDITED_AFTER_MADE]);
  });

  it("an edited plan says only that it was edited, not also that it was edited after the approvals", () => {
    const plan = approved("bob");
    plan.changes.pop();
    expect(refusalsOf(plan, demands())).toEqual([EDITED_AFTER_MADE]);
  });

  it("refuses a plan edited (and sealed again) after it was approved, naming the approvers", () => {
    const plan = approved("bob");
    editAndReseal(plan);
    expect(refusalsOf(plan, demands())).toEqual(["it was edited after bob approved it"]);
  });

  it("names each approver of an older version once", () => {
    const plan = approved("bob", "carol", "bob");
    editAndReseal(plan);
    plan.approvals.push(approvalOf(plan, "dave"));
    expect(refusalsOf(plan, demands())).toEqual(["it was edited after bob, carol approved it"]);
  });

  it("refuses a plan older than --max-plan-age, with its age and the limit", () => {
    expect(refusalsOf(sealedPlan(), demands({ now: MADE_AT_MS + 25 * HOUR }))).toEqual([
      `it was made 25 h ago (${MADE_AT}), longer ago than --max-plan-age allows (24 h): Zoom may have changed since; make a new plan`,
    ]);
  });

  it("says the age in minutes under an hour, and in tenths of an hour above", () => {
    expect(
      refusalsOf(sealedPlan(), demands({ now: MADE_AT_MS + 45 * MINUTE, maxAgeMs: 30 * MINUTE })),
    ).toEqual([
      `it was made 45 min ago (${MADE_AT}), longer ago than --max-plan-age allows (30 min): Zoom may have changed since; make a new plan`,
    ]);
    expect(refusalsOf(sealedPlan(), demands({ now: MADE_AT_MS + 90 * MINUTE, maxAgeMs: HOUR }))[0]).toMatch(
      /^it was made 1\.5 h ago .* allows \(1 h\)/,
    );
  });

  it("accepts a plan exactly as old as --max-plan-age, and refuses it a millisecond later", () => {
    expect(refusalsOf(sealedPlan(), demands({ now: MADE_AT_MS + 24 * HOUR }))).toEqual([]);
    expect(refusalsOf(sealedPlan(), demands({ now: MADE_AT_MS + 24 * HOUR + 1 }))).toHaveLength(1);
  });

  it("allows five minutes of clock difference, and refuses a plan made further in the future", () => {
    // Made --as-of a day before: only made_at is in the future here.
    const plan = sealedPlan({ options: { ...planBody().options, as_of: "2026-11-28T10:00:00.000Z" } });
    expect(refusalsOf(plan, demands({ now: MADE_AT_MS }))).toEqual([]);
    expect(refusalsOf(plan, demands({ now: MADE_AT_MS - 5 * MINUTE }))).toEqual([]);
    expect(refusalsOf(plan, demands({ now: MADE_AT_MS - 5 * MINUTE - 1 }))).toEqual([
      `it says it was made in the future (${MADE_AT}): check the clocks`,
    ]);
    expect(refusalsOf(plan, demands({ now: MADE_AT_MS - 20 * HOUR }))).toEqual([
      `it says it was made in the future (${MADE_AT}): check the clocks`,
    ]);
  });

  it("refuses a plan made --as-of a moment more than five minutes ahead", () => {
    const asOf = "2026-12-01T00:00:00.000Z";
    const plan = sealedPlan({ options: { ...planBody().options, as_of: asOf } });
    const asOfMs = Date.parse(asOf);
    expect(refusalsOf(plan, demands())).toEqual([
      `it holds the rows due at ${asOf} (--as-of): apply it then or later`,
    ]);
    expect(refusalsOf(plan, demands({ now: asOfMs - 5 * MINUTE - 1, maxAgeMs: 7 * 24 * HOUR }))).toEqual([
      `it holds the rows due at ${asOf} (--as-of): apply it then or later`,
    ]);
    expect(refusalsOf(plan, demands({ now: asOfMs - 5 * MINUTE, maxAgeMs: 7 * 24 * HOUR }))).toEqual([]);
    expect(refusalsOf(plan, demands({ now: asOfMs + HOUR, maxAgeMs: 7 * 24 * HOUR }))).toEqual([]);
  });

  it("refuses a plan made for another account", () => {
    expect(refusalsOf(sealedPlan(), demands({ accountId: "acc-9999" }))).toEqual([
      "it was made for another Zoom account than these credentials'",
    ]);
    // The hash is of the id as given: not trimmed, case counts.
    expect(refusalsOf(sealedPlan(), demands({ accountId: ACCOUNT_ID.toUpperCase() }))).toHaveLength(1);
  });

  it("refuses a plan short of approvals, saying it has none", () => {
    expect(refusalsOf(sealedPlan(), demands({ approvals: 1 }))).toEqual([
      "--approvals 1 needs that many distinct approvers other than its maker (alice); it has none",
    ]);
  });

  it("does not count the maker's own approval, however they spell their name", () => {
    const plan = approved("alice", " Alice ", "ALICE");
    expect(refusalsOf(plan, demands({ approvals: 1 }))).toEqual([
      "--approvals 1 needs that many distinct approvers other than its maker (alice); it has none",
    ]);
  });

  it("counts one approval per person, names compared without case", () => {
    const plan = approved("bob", "Bob", " BOB ");
    expect(refusalsOf(plan, demands({ approvals: 2 }))).toEqual([
      "--approvals 2 needs that many distinct approvers other than its maker (alice); it has 1 (bob)",
    ]);
    expect(refusalsOf(plan, demands({ approvals: 1 }))).toEqual([]);
  });

  it("does not count approvals of an older version of the plan", () => {
    const plan = approved("bob");
    editAndReseal(plan);
    plan.approvals.push(approvalOf(plan, "carol"));
    expect(refusalsOf(plan, demands({ approvals: 2 }))).toEqual([
      "it was edited after bob approved it",
      "--approvals 2 needs that many distinct approvers other than its maker (alice); it has 1 (carol)",
    ]);
  });

  it("lists every refusal, in a fixed order", () => {
    const plan = approved("bob");
    editAndReseal(plan);
    expect(
      refusalsOf(plan, demands({ now: MADE_AT_MS + 48 * HOUR, accountId: "other", approvals: 1 })),
    ).toEqual([
      "it was edited after bob approved it",
      `it was made 48 h ago (${MADE_AT}), longer ago than --max-plan-age allows (24 h): Zoom may have changed since; make a new plan`,
      "it was made for another Zoom account than these credentials'",
      "--approvals 1 needs that many distinct approvers other than its maker (alice); it has none",
    ]);
  });

  it("still lists the other refusals for a plan edited after it was made", () => {
    const plan = sealedPlan();
    plan.users = 3;
    expect(refusalsOf(plan, demands({ accountId: "x", approvals: 1 }))).toEqual([
      EDITED_AFTER_MADE,
      "it was made for another Zoom account than these credentials'",
      "--approvals 1 needs that many distinct approvers other than its maker (alice); it has none",
    ]);
  });
});

describe("countingApprovers", () => {
  it("is empty for a plan nobody approved", () => {
    expect(countingApprovers(sealedPlan())).toEqual([]);
  });

  it("lists the approvers other than the maker, once each, trimmed, in the order they approved", () => {
    const plan = approved(" carol ", "alice", "bob", "CAROL", "Bob");
    expect(countingApprovers(plan)).toEqual(["carol", "bob"]);
  });

  it("keeps each approver's first spelling (trimmed, case kept), leaving out the maker and stale approvals", () => {
    const plan = sealedPlan();
    const sum = plan.plan_sha256;
    plan.approvals.push(
      { by: "  Carol ", at: "t", note: null, plan_sha256: sum },
      { by: "dave", at: "t", note: null, plan_sha256: "stale" },
      { by: "carol", at: "t", note: null, plan_sha256: sum },
      { by: "Alice", at: "t", note: null, plan_sha256: sum },
      { by: "erin", at: "t", note: null, plan_sha256: sum },
    );
    expect(countingApprovers(plan)).toEqual(["Carol", "erin"]);
  });

  it("leaves out approvals of an older version", () => {
    const plan = approved("bob", "carol");
    editAndReseal(plan);
    plan.approvals.push(approvalOf(plan, "dave"));
    expect(countingApprovers(plan)).toEqual(["dave"]);
  });

  it("counts nobody on a plan edited after it was made (no approval matches what it says now)", () => {
    const plan = approved("bob");
    plan.options.rps = 1;
    expect(countingApprovers(plan)).toEqual([]);
  });
});

describe("addApproval", () => {
  it("records the approval with the plan's checksum, and says it was added", () => {
    const plan = sealedPlan();
    const added = addApproval(plan, { by: "bob", at: "2026-11-29T11:00:00.000Z", note: "checked" }, "p.json");
    expect(added).toBe(true);
    expect(plan.approvals).toEqual([
      { by: "bob", at: "2026-11-29T11:00:00.000Z", note: "checked", plan_sha256: plan.plan_sha256 },
    ]);
    expect(countingApprovers(plan)).toEqual(["bob"]);
    // Approving changes no checksum: the approvals are not part of it.
    expect(planChecksum(plan)).toBe(plan.plan_sha256);
  });

  it("returns false, and records nothing, for a second approval by the same person", () => {
    const plan = sealedPlan();
    expect(addApproval(plan, { by: "bob", at: "2026-11-29T11:00:00.000Z", note: null }, "p.json")).toBe(true);
    expect(addApproval(plan, { by: "BOB", at: "2026-11-29T12:00:00.000Z", note: "again" }, "p.json")).toBe(
      false,
    );
    expect(addApproval(plan, { by: " bob ", at: "2026-11-29T12:00:00.000Z", note: null }, "p.json")).toBe(
      false,
    );
    expect(plan.approvals).toHaveLength(1);
    expect(plan.approvals[0]?.at).toBe("2026-11-29T11:00:00.000Z");
    expect(addApproval(plan, { by: "carol", at: "2026-11-29T12:00:00.000Z", note: null }, "p.json")).toBe(
      true,
    );
    expect(plan.approvals.map((approval) => approval.by)).toEqual(["bob", "carol"]);
  });

  it("records the maker's own approval, which then does not count", () => {
    const plan = sealedPlan();
    expect(addApproval(plan, { by: "alice", at: "2026-11-29T11:00:00.000Z", note: null }, "p.json")).toBe(
      true,
    );
    expect(plan.approvals).toHaveLength(1);
    expect(countingApprovers(plan)).toEqual([]);
  });

  it("takes a new approval from someone who approved an older version", () => {
    const plan = approved("bob");
    editAndReseal(plan);
    expect(addApproval(plan, { by: "bob", at: "2026-11-29T12:00:00.000Z", note: null }, "p.json")).toBe(true);
    expect(plan.approvals.map((approval) => approval.plan_sha256)).toEqual([
      expect.not.stringMatching(plan.plan_sha256),
      plan.plan_sha256,
    ]);
    expect(countingApprovers(plan)).toEqual(["bob"]);
  });

  it("refuses a plan edited after it was made, with PLAN_REFUSED and the path, and records nothing", () => {
    const plan = sealedPlan();
    plan.changes.pop();
    let thrown: unknown;
    try {
      addApproval(plan, { by: "bob", at: "2026-11-29T11:00:00.000Z", note: null }, "plans/p.json");
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(OffboardError);
    expect(thrown).toMatchObject({
      code: "PLAN_REFUSED",
      message:
        "plans/p.json: not approved: it was edited after it was made (its checksum does not match what it says)",
    });
    expect(plan.approvals).toEqual([]);
  });
});
