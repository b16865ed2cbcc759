import { describe, expect, it } from "vitest";
import { formatPlanTable } from "../../src/cli/plan-table.js";
import type { NotSentRow, PlanFile } from "../../src/plan/plan-file.js";
import { change, sealedPlan } from "../plan/plan-samples.js";

const PATH = "plans/leavers.plan.json";

/** A column of the table: the text and spaces up to `width`. */
const col = (text: string, width: number) => text.padEnd(width);

const notSent = (line: number): NotSentRow => ({
  line,
  user: `u${line}@acme.example`,
  action: "deactivate",
  outcome: "not_found",
  message: "User does not exist",
});

describe("formatPlanTable", () => {
  it("shows the plan: its making, counts, changes with their state, rows not sent, and what next", () => {
    const plan = sealedPlan();
    expect(formatPlanTable(plan, PATH)).toBe(
      [
        `Plan ${PATH}`,
        "  made 2026-11-29T10:00:00.000Z by alice, from leavers.csv (3 rows)",
        `  sha256 ${plan.plan_sha256}`,
        "  would change 2 users (1 deactivate, 1 delete)",
        "",
        "  changes (2):",
        `    line   action       ${col("user", 44)} state now`,
        `    2      deactivate   ${col("bob@acme.example", 44)} active member Licensed`,
        `    4      delete       ${col("carol@acme.example → dave@acme.example", 44)} inactive member Basic`,
        "",
        "  not sent (1):",
        `    3      already      ${col("erin@acme.example", 34)} already inactive in Zoom`,
        "",
        "  next:",
        `    zoom-offboard approve ${PATH} --by <name> --note <why>`,
        `    zoom-offboard apply ${PATH}`,
        "",
      ].join("\n"),
    );
  });

  it("shows the approvals, with their notes when given, and the warnings", () => {
    const plan = sealedPlan({ warnings: ["a real run would stop: more than 10% of active users"] });
    plan.approvals.push(
      { by: "bob", at: "2026-11-29T11:00:00.000Z", note: "checked with HR", plan_sha256: plan.plan_sha256 },
      { by: "carol", at: "2026-11-29T12:00:00.000Z", note: null, plan_sha256: plan.plan_sha256 },
    );
    const text = formatPlanTable(plan, PATH);
    expect(text).toContain(
      [
        `    3      already      ${col("erin@acme.example", 34)} already inactive in Zoom`,
        "  warning: a real run would stop: more than 10% of active users",
        "",
        "  approvals:",
        "    bob at 2026-11-29T11:00:00.000Z: checked with HR",
        "    carol at 2026-11-29T12:00:00.000Z",
        "",
        "  next:",
      ].join("\n"),
    );
  });

  it("has no approvals section for a plan nobody approved", () => {
    expect(formatPlanTable(sealedPlan(), PATH)).not.toContain("approvals");
  });

  it("shows each state as status, role and the licence when it is Basic or Licensed", () => {
    const plan = sealedPlan({
      changes: [
        change(2, "a@acme.example", { user_state: { status: "active", role: "member", type: 4 } }),
        change(3, "b@acme.example", { user_state: { status: "pending", role: "member", type: null } }),
        change(4, "c@acme.example", {
          action: "license",
          user_state: { status: "inactive", role: "member", type: 1 },
        }),
      ],
    });
    const lines = formatPlanTable(plan, PATH).split("\n");
    expect(lines).toContain(`    2      deactivate   ${col("a@acme.example", 44)} active member`);
    expect(lines).toContain(`    3      deactivate   ${col("b@acme.example", 44)} pending member`);
    expect(lines).toContain(`    4      license      ${col("c@acme.example", 44)} inactive member Basic`);
  });

  it("says one user and one row in the singular, and no counts by action when there are none", () => {
    const one = sealedPlan({ users: 1, input: { path: "one.csv", sha256: "00", rows: 1 } });
    expect(formatPlanTable(one, PATH)).toContain("from one.csv (1 row)\n");
    expect(formatPlanTable(one, PATH)).toContain("  would change 1 user (1 deactivate, 1 delete)\n");
    const none = sealedPlan({ users: 0, changes_by_action: {}, changes: [], not_sent: [] });
    const text = formatPlanTable(none, PATH);
    expect(text).toContain("  would change 0 users\n");
    expect(text).not.toContain("changes (");
    expect(text).not.toContain("not sent (");
    const next = `  next:\n    zoom-offboard approve ${PATH} --by <name> --note <why>\n    zoom-offboard apply ${PATH}\n`;
    expect(text.slice(-next.length)).toBe(next);
  });

  it("shows the first 50 changes and says how many more the plan file holds", () => {
    const changes = Array.from({ length: 53 }, (_, index) =>
      change(index + 2, `user${index + 2}@acme.example`),
    );
    const lines = formatPlanTable(sealedPlan({ changes, not_sent: [] }), PATH).split("\n");
    expect(lines).toContain("  changes (53):");
    const shown = lines.filter((line) => /^ {4}\d+ +deactivate +user\d+@acme\.example/.test(line));
    expect(shown).toHaveLength(50);
    expect(shown[0]).toMatch(/^ {4}2 +deactivate +user2@acme\.example /);
    expect(shown[49]).toMatch(/^ {4}51 +deactivate +user51@acme\.example /);
    expect(lines).not.toContain(
      `    52     deactivate   ${col("user52@acme.example", 44)} active member Licensed`,
    );
    expect(lines[lines.indexOf(shown[49] as string) + 1]).toBe("    … and 3 more in the plan file");
  });

  it("shows exactly 50 changes without a 'more' line", () => {
    const changes = Array.from({ length: 50 }, (_, index) =>
      change(index + 2, `user${index + 2}@acme.example`),
    );
    const text = formatPlanTable(sealedPlan({ changes, not_sent: [] }), PATH);
    expect(text).not.toContain("more in the plan file");
    expect(text).toContain(
      `    51     deactivate   ${col("user51@acme.example", 44)} active member Licensed\n`,
    );
  });

  it("shows the first 50 rows not sent, with outcome and message, and says how many more", () => {
    const rows = Array.from({ length: 51 }, (_, index) => notSent(index + 2));
    const lines = formatPlanTable(sealedPlan({ changes: [], not_sent: rows }), PATH).split("\n");
    expect(lines).toContain("  not sent (51):");
    const shown = lines.filter((line) => line.includes("not_found"));
    expect(shown).toHaveLength(50);
    expect(shown[0]).toBe(`    2      not_found    ${col("u2@acme.example", 34)} User does not exist`);
    expect(shown[49]).toBe(`    51     not_found    ${col("u51@acme.example", 34)} User does not exist`);
    expect(lines[lines.indexOf(shown[49] as string) + 1]).toBe("    … and 1 more in the plan file");
  });

  it("shows the rows in the order the plan holds them", () => {
    const plan: PlanFile = sealedPlan({
      changes: [change(9, "z@acme.example"), change(3, "c@acme.example")],
    });
    const text = formatPlanTable(plan, PATH);
    expect(text.indexOf("z@acme.example")).toBeLessThan(text.indexOf("c@acme.example"));
  });
});
