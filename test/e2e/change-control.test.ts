import { existsSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { type PlanFile, planChecksum } from "../../src/plan/plan-file.js";
import { type SimStats, type SimUser, type Simulator, startSimulator } from "../../src/sim/server.js";
import { type CliResult, type ReportRecord, readReport, runCli, tempDir } from "../helpers/run-cli.js";
import { cliEnv, TEST_CREDENTIALS } from "../helpers/sim-env.js";

// Plan, approve, apply and verify, by the real CLI over real HTTP against one simulator that keeps its state
// between the commands, as Zoom does between a plan made on Monday and its apply on Tuesday.
let sim: Simulator | undefined;
afterEach(async () => {
  await sim?.close();
  sim = undefined;
});

function member(name: string, extra: Partial<SimUser> = {}): SimUser {
  return {
    id: `u-${name}`,
    email: `${name}@acme.example`,
    status: "active",
    role: "member",
    type: 2,
    ...extra,
  };
}

const email = (name: string): string => `${name}@acme.example`;

async function startSim(users: SimUser[]): Promise<Simulator> {
  sim = await startSimulator({ credentials: TEST_CREDENTIALS, users, logRequests: true });
  return sim;
}

function live(): Simulator {
  if (sim === undefined) throw new Error("start the simulator first");
  return sim;
}

/** Requests that change something, whatever their answer. */
function changeRequests(stats: SimStats): number {
  const { put_status, sign_out, update_user, delete_user } = stats.requestsByRoute;
  return put_status + sign_out + update_user + delete_user;
}

/** The users (by canonical id) that change requests were sent for, sorted. */
function changedUsers(stats: SimStats): string[] {
  const changes = new Set(["put_status", "sign_out", "update_user", "delete_user"]);
  return [
    ...new Set(stats.log.filter((entry) => changes.has(entry.route)).map((entry) => entry.user ?? "")),
  ].sort();
}

interface Workspace {
  cwd: string;
  input: string;
  plan: string;
}

/** A working directory with the input file written and where its plan goes. */
function workspace(csv: string): Workspace {
  const cwd = tempDir();
  const input = join(cwd, "leavers.csv");
  writeFileSync(input, csv);
  return { cwd, input, plan: join(cwd, "leavers.plan.json") };
}

function cli(args: string[], ws: Workspace, env: Record<string, string> = {}): Promise<CliResult> {
  return runCli(args, { env: cliEnv(live(), env), cwd: ws.cwd });
}

function readPlanFile(path: string): PlanFile {
  return JSON.parse(readFileSync(path, "utf8")) as PlanFile;
}

/** Rewrite a plan as someone with write access to it could, and seal it again with a fresh checksum. */
function rewritePlan(path: string, edit: (plan: PlanFile) => void, reseal: boolean): void {
  const plan = readPlanFile(path);
  edit(plan);
  if (reseal) plan.plan_sha256 = planChecksum(plan);
  writeFileSync(path, `${JSON.stringify(plan, null, 2)}\n`);
}

function rowsByLine(report: string): Map<number, ReportRecord> {
  return new Map(readReport(report).map((row) => [Number(row.line), row]));
}

const LEAVERS = [
  "email,action,transfer_to",
  `${email("ann")},deactivate,`,
  `${email("bob")},deactivate,`,
  `${email("cat")},downgrade,`,
  `${email("dan")},delete,${email("boss")}`,
  `${email("nobody")},deactivate,`,
  `${email("eve")},deactivate,`,
].join("\n");

const DIRECTORY = (): SimUser[] => [
  member("ann"),
  member("bob"),
  member("cat"),
  member("dan"),
  member("boss"),
  member("eve", { status: "inactive" }),
  member("fay"),
];

/** plan → approve by alice → the plan file, ready to apply. */
async function plannedAndApproved(ws: Workspace): Promise<void> {
  const planned = await cli(["plan", ws.input, "--out", ws.plan, "--max-deletions", "1"], ws);
  expect(planned.stderr).not.toContain("error");
  expect(planned.code).toBe(1); // the user Zoom does not have needs a look
  const approved = await cli(["approve", ws.plan, "--by", "alice", "--note", "CHG-1234"], ws);
  expect(approved.code).toBe(0);
}

describe("plan, approve, apply", () => {
  it("applies exactly the approved plan, names plan and approver, and verifies what it did", async () => {
    const zoom = await startSim(DIRECTORY());
    const ws = workspace(`${LEAVERS}\n`);
    const planned = await cli(["plan", ws.input, "--out", ws.plan, "--max-deletions", "1"], ws);
    expect(planned.code).toBe(1);
    expect(planned.stdout).toMatch(/would change 4 users \(2 deactivate, 1 downgrade, 1 delete\)/);
    expect(planned.stdout).toContain(`5      delete       ${email("dan")} → ${email("boss")}`);
    expect(changeRequests(zoom.stats())).toBe(0);

    const plan = readPlanFile(ws.plan);
    expect(statSync(ws.plan).mode & 0o777).toBe(0o600);
    expect(
      plan.changes.map((change) => [change.line, change.user, change.action, change.transfer_to]),
    ).toEqual([
      [2, email("ann"), "deactivate", undefined],
      [3, email("bob"), "deactivate", undefined],
      [4, email("cat"), "downgrade", undefined],
      [5, email("dan"), "delete", email("boss")],
    ]);
    expect(plan.changes[0]?.user_state).toEqual({ status: "active", role: "member", type: 2 });
    expect(plan.not_sent.map((row) => [row.line, row.outcome])).toEqual([
      [6, "not_found"],
      [7, "already"],
    ]);
    expect(plan.input.rows).toBe(6);
    expect(plan.options.max_deletions).toBe("1");
    // The account is named by a hash, never by its id.
    expect(readFileSync(ws.plan, "utf8")).not.toContain(TEST_CREDENTIALS.accountId);
    expect(readFileSync(ws.plan, "utf8")).not.toContain(TEST_CREDENTIALS.clientSecret);

    const approved = await cli(["approve", ws.plan, "--by", "alice", "--note", "CHG-1234"], ws);
    expect(approved.code).toBe(0);
    expect(approved.stdout).toContain("approvals that count: alice");
    expect(readPlanFile(ws.plan).approvals).toEqual([
      expect.objectContaining({ by: "alice", note: "CHG-1234", plan_sha256: plan.plan_sha256 }),
    ]);

    // The file changes after the plan: a new leaver appears. The apply sends the plan, not the file.
    writeFileSync(ws.input, `${LEAVERS}\n${email("fay")},deactivate,\n`);
    zoom.resetStats();
    const report = join(ws.cwd, "apply.csv");
    const applied = await cli(
      ["apply", ws.plan, "--approvals", "1", "--yes", "--json", "--report", report],
      ws,
    );
    expect(applied.stderr).not.toMatch(/"level":(50|60)/);
    expect(applied.code).toBe(0);
    const summary = JSON.parse(applied.stdout) as {
      outcomes: Record<string, number>;
      plan: { file: string; approvers: string[]; sha256: string };
      verification: { checked: number; not_in_state: number; failed: string | null };
    };
    expect(summary.outcomes.applied).toBe(4);
    expect(summary.plan).toEqual({ file: ws.plan, sha256: plan.plan_sha256, approvers: ["alice"] });
    expect(summary.verification).toEqual({ checked: 4, not_in_state: 0, unverifiable: 0, failed: null });

    const rows = rowsByLine(report);
    expect([...rows.keys()].sort()).toEqual([2, 3, 4, 5]);
    expect([...rows.values()].map((row) => row.outcome)).toEqual([
      "applied",
      "applied",
      "applied",
      "applied",
    ]);
    expect(changedUsers(zoom.stats())).toEqual(["u-ann", "u-bob", "u-cat", "u-dan"]);
    expect(zoom.user("u-fay")?.status).toBe("active");
    expect(zoom.user("u-ann")?.status).toBe("inactive");
    expect(zoom.user("u-cat")?.type).toBe(1);
    expect(zoom.user("u-dan")).toBeUndefined();
    // The verification read the directory (Medium) after the last change.
    const log = zoom.stats().log;
    const lastChange = log.findLastIndex(
      (entry) => entry.route !== "list_users" && entry.route !== "get_user",
    );
    expect(log.slice(lastChange + 1).filter((entry) => entry.route === "list_users").length).toBeGreaterThan(
      0,
    );

    const meta = JSON.parse(readFileSync(`${report}.meta.json`, "utf8")) as { run: Record<string, unknown> };
    expect(meta.run).toMatchObject({ command: "apply", planFile: ws.plan, approvers: ["alice"] });
    const page = readFileSync(report.replace(/\.csv$/, ".html"), "utf8");
    expect(page).toContain("Approved by");
    expect(page).toContain("alice");
  });

  describe("refuses, with nothing sent", () => {
    async function refused(ws: Workspace, args: string[], env: Record<string, string> = {}): Promise<string> {
      live().resetStats();
      const result = await cli(["apply", ws.plan, "--yes", ...args], ws, env);
      expect(result.code).toBe(2);
      expect(live().stats().requests).toBe(0);
      expect(existsSync(join(ws.cwd, "reports"))).toBe(false);
      return result.stderr;
    }

    it("a plan edited after it was made", async () => {
      await startSim(DIRECTORY());
      const ws = workspace(`${LEAVERS}\n`);
      await plannedAndApproved(ws);
      rewritePlan(
        ws.plan,
        (plan) => {
          if (plan.changes[0] !== undefined) plan.changes[0].user = email("fay");
        },
        false,
      );
      expect(await refused(ws, [])).toContain("it was edited after it was made");
      expect(live().user("u-fay")?.status).toBe("active");
    });

    it("a plan edited and sealed again after it was approved", async () => {
      await startSim(DIRECTORY());
      const ws = workspace(`${LEAVERS}\n`);
      await plannedAndApproved(ws);
      rewritePlan(
        ws.plan,
        (plan) => {
          const [first] = plan.changes;
          if (first !== undefined) plan.changes.push({ ...first, line: 9, user: email("fay") });
        },
        true,
      );
      expect(await refused(ws, [])).toContain("it was edited after alice approved it");
    });

    it("a plan that cannot be approved once edited", async () => {
      await startSim(DIRECTORY());
      const ws = workspace(`${LEAVERS}\n`);
      expect((await cli(["plan", ws.input, "--out", ws.plan, "--max-deletions", "1"], ws)).code).toBe(1);
      rewritePlan(ws.plan, (plan) => plan.changes.pop(), false);
      const approve = await cli(["approve", ws.plan, "--by", "alice"], ws);
      expect(approve.code).toBe(2);
      expect(approve.stderr).toContain("edited after it was made");
      expect(readPlanFile(ws.plan).approvals).toEqual([]);
    });

    it("a plan older than --max-plan-age", async () => {
      await startSim(DIRECTORY());
      const ws = workspace(`${LEAVERS}\n`);
      expect((await cli(["plan", ws.input, "--out", ws.plan, "--max-deletions", "1"], ws)).code).toBe(1);
      // Made 25 hours ago: as if the plan had waited a day and an hour for its apply.
      rewritePlan(
        ws.plan,
        (plan) => {
          plan.made_at = new Date(Date.now() - 25 * 3_600_000).toISOString();
        },
        true,
      );
      expect(await refused(ws, [])).toMatch(/made 25 h ago .*longer ago than --max-plan-age allows \(24 h\)/);
      const later = await cli(["apply", ws.plan, "--yes", "--max-plan-age", "2d"], ws);
      expect(later.code).toBe(0);
      expect(live().user("u-ann")?.status).toBe("inactive");
    });

    it("a plan made for a moment still to come (--as-of), before that moment", async () => {
      await startSim(DIRECTORY());
      const ws = workspace(`${LEAVERS}\n`);
      const friday = new Date(Date.now() + 2 * 86_400_000).toISOString().slice(0, 16);
      const planned = await cli(
        ["plan", ws.input, "--out", ws.plan, "--max-deletions", "1", "--as-of", friday, "--timezone", "UTC"],
        ws,
      );
      expect(planned.code).toBe(1);
      expect(await refused(ws, [])).toContain(`it holds the rows due at ${friday}`);
    });

    it("no plan is written that its own guards would stop", async () => {
      await startSim(DIRECTORY());
      const ws = workspace(`${LEAVERS}\n`);
      const planned = await cli(["plan", ws.input, "--out", ws.plan], ws);
      expect(planned.code).toBe(2);
      expect(planned.stderr).toContain("no plan was written: this file would delete or disassociate 1 users");
      expect(planned.stderr).toContain("--max-deletions 1");
      expect(existsSync(ws.plan)).toBe(false);
    });

    it("a plan for another account", async () => {
      await startSim(DIRECTORY());
      const ws = workspace(`${LEAVERS}\n`);
      await plannedAndApproved(ws);
      expect(await refused(ws, [], { ZOOM_ACCOUNT_ID: "another-account" })).toContain(
        "made for another Zoom account",
      );
    });

    it("a plan short of the approvals asked for; its maker's own approval does not count", async () => {
      await startSim(DIRECTORY());
      const ws = workspace(`${LEAVERS}\n`);
      await plannedAndApproved(ws);
      const maker = readPlanFile(ws.plan).made_by;
      expect((await cli(["approve", ws.plan, "--by", maker], ws)).stdout).toContain(
        "their own approval does not count",
      );
      expect((await cli(["approve", ws.plan, "--by", "ALICE"], ws)).stdout).toContain("already");
      expect(await refused(ws, ["--approvals", "2"])).toContain(
        `--approvals 2 needs that many distinct approvers other than its maker (${maker}); it has 1 (alice)`,
      );
    });
  });

  it("does not change a user whose state drifted since the plan, and says what changed", async () => {
    const zoom = await startSim([...DIRECTORY(), member("gus"), member("hal"), member("ivy")]);
    const ws = workspace(
      `${LEAVERS}\n${email("gus")},delete,${email("fay")}\n${email("hal")},deactivate,\n${email("ivy")},deactivate,\n`,
    );
    expect((await cli(["plan", ws.input, "--out", ws.plan, "--max-deletions", "2"], ws)).code).toBe(1);
    expect(readPlanFile(ws.plan).changes).toHaveLength(7);

    // Between the plan and its apply, someone else changes Zoom: bob is deactivated already, cat too (her
    // downgrade was planned for an active user), dan's transfer target leaves, hal is deleted.
    const elsewhere = workspace(
      [
        "email,action",
        `${email("bob")},deactivate`,
        `${email("cat")},deactivate`,
        `${email("boss")},deactivate`,
        `${email("hal")},delete`,
      ].join("\n"),
    );
    const meanwhile = await cli(
      ["run", elsewhere.input, "--yes", "--max-deletions", "1", "--no-transfer"],
      elsewhere,
    );
    expect(meanwhile.code).toBe(0);
    // And ivy is made an admin in the web portal.
    zoom.setRole(email("ivy"), "admin");
    zoom.resetStats();

    const report = join(ws.cwd, "apply.csv");
    const applied = await cli(["apply", ws.plan, "--yes", "--report", report], ws);
    expect(applied.code).toBe(1);
    const rows = rowsByLine(report);
    expect([...rows.keys()].sort((a, b) => a - b)).toEqual([2, 3, 4, 5, 8, 9, 10]);
    expect(rows.get(2)?.outcome).toBe("applied");
    expect(rows.get(3)).toMatchObject({ outcome: "drifted", attempts: "0" });
    expect(rows.get(3)?.message).toBe(
      `${email("bob")} is now inactive, was active since the plan: not changed`,
    );
    // To a downgrade the licence matters, so it is said too.
    expect(rows.get(4)?.message).toBe(
      `${email("cat")} is now inactive, was active; Basic, was Licensed since the plan: not changed`,
    );
    expect(rows.get(5)?.message).toContain(
      `the transfer target ${email("boss")} is now inactive, was active`,
    );
    expect(rows.get(8)?.outcome).toBe("applied"); // gus: nothing about him or his target changed
    expect(rows.get(9)).toMatchObject({ outcome: "drifted" });
    expect(rows.get(9)?.message).toContain(`${email("hal")} is no longer in the account`);
    expect(rows.get(10)).toMatchObject({
      outcome: "drifted",
      message: `${email("ivy")} is now an admin, was a member since the plan: not changed`,
    });
    // Only the users whose state still matched the plan were changed.
    expect(changedUsers(zoom.stats())).toEqual(["u-ann", "u-gus"]);
    expect(zoom.user("u-dan")?.status).toBe("active");
    expect(applied.stdout).toMatch(/changed since the plan\s+5/);

    // A resume keeps the drifted rows as they are: a new plan decides what happens to those users.
    zoom.resetStats();
    const again = await cli(
      ["apply", ws.plan, "--yes", "--resume", report, "--report", join(ws.cwd, "again.csv")],
      ws,
    );
    expect(again.code).toBe(1);
    expect(changeRequests(zoom.stats())).toBe(0);
  });
});

describe("verification", () => {
  it("flags a change Zoom accepted but did not make, and a resume sends it again", async () => {
    const zoom = await startSim(DIRECTORY());
    const ws = workspace(`${LEAVERS}\n`);
    await plannedAndApproved(ws);
    zoom.setUnappliedUsers([email("bob"), "u-cat"]);
    const report = join(ws.cwd, "apply.csv");
    const applied = await cli(["apply", ws.plan, "--yes", "--json", "--report", report], ws);
    expect(applied.code).toBe(1);
    expect(zoom.stats().unapplied).toBe(2);
    const summary = JSON.parse(applied.stdout) as {
      outcomes: Record<string, number>;
      verification: { checked: number; not_in_state: number };
    };
    expect(summary.outcomes).toMatchObject({ applied: 2, unverified: 2 });
    expect(summary.verification).toMatchObject({ checked: 4, not_in_state: 2 });
    const rows = rowsByLine(report);
    expect(rows.get(3)).toMatchObject({ outcome: "unverified", http_status: "204", attempts: "1" });
    expect(rows.get(3)?.message).toBe(
      `Zoom answered that it applied this, but ${email("bob")} shows active, Licensed`,
    );
    expect(rows.get(4)?.message).toContain("shows active, Licensed");
    expect(rows.get(2)?.outcome).toBe("applied");
    const page = readFileSync(report.replace(/\.csv$/, ".html"), "utf8");
    expect(page).toContain("not verified");

    zoom.setUnappliedUsers([]);
    zoom.resetStats();
    const resumed = join(ws.cwd, "resumed.csv");
    const again = await cli(["apply", ws.plan, "--yes", "--resume", report, "--report", resumed], ws);
    expect(again.code).toBe(0);
    expect(changedUsers(zoom.stats())).toEqual(["u-bob", "u-cat"]);
    expect(zoom.user("u-bob")?.status).toBe("inactive");
    expect(zoom.user("u-cat")?.type).toBe(1);
    expect(rowsByLine(resumed).get(2)?.message).toContain("carried over from");
  });

  it("run --verify holds a plain run to what Zoom shows afterwards", async () => {
    const zoom = await startSim(DIRECTORY());
    const ws = workspace(`email,action\n${email("ann")},deactivate\n${email("bob")},deactivate\n`);
    zoom.setUnappliedUsers(["u-ann"]);
    const report = join(ws.cwd, "run.csv");
    const run = await cli(["run", ws.input, "--yes", "--verify", "--report", report], ws);
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/not verified \(Zoom shows otherwise\)\s+1/);
    expect(run.stdout).toContain("verified: 2 applied rows read back; 1 not in that state");
    expect(rowsByLine(report).get(2)?.outcome).toBe("unverified");
    expect(rowsByLine(report).get(3)?.outcome).toBe("applied");

    // Without --verify the same lie goes unnoticed: that is what the flag is for.
    zoom.setUnappliedUsers(["u-fay"]);
    const plain = workspace(`email,action\n${email("fay")},deactivate\n`);
    const unverified = await cli(["run", plain.input, "--yes"], plain);
    expect(unverified.code).toBe(0);
    expect(zoom.user("u-fay")?.status).toBe("active");
  });
});

describe("nightly quarantine: run --plan-required-over", () => {
  const NIGHT = [
    "email,action",
    `${email("ann")},deactivate`,
    `${email("bob")},deactivate`,
    `${email("cat")},signout`,
  ].join("\n");

  it("writes a plan instead of sending when the night would change more users, then the plan applies", async () => {
    const zoom = await startSim(DIRECTORY());
    const ws = workspace(`${NIGHT}\n`);
    const preview = await cli(["run", ws.input, "--dry-run", "--plan-required-over", "2"], ws);
    expect(preview.code).toBe(0);
    expect(preview.stdout).toContain(
      "warning: a real run would write a plan for approval instead of sending: it would change 3 users, more than --plan-required-over 2",
    );
    const report = join(ws.cwd, "night.csv");
    const night = await cli(["run", ws.input, "--yes", "--plan-required-over", "2", "--report", report], ws);
    expect(night.code).toBe(3);
    expect(night.stdout).toContain(
      "Quarantined: the file would change 3 users, more than --plan-required-over 2: nothing was sent",
    );
    const planPath = join(ws.cwd, "night.plan.json");
    expect(night.stdout).toContain(`zoom-offboard approve ${planPath}`);
    expect(night.stdout).toContain(`zoom-offboard apply ${planPath}`);
    expect(changeRequests(zoom.stats())).toBe(0);
    expect(existsSync(report)).toBe(false);
    expect(readPlanFile(planPath).users).toBe(3);

    expect((await cli(["approve", planPath, "--by", "alice"], ws)).code).toBe(0);
    const applied = await cli(["apply", planPath, "--yes", "--approvals", "1"], ws);
    expect(applied.code).toBe(0);
    expect(zoom.user("u-bob")?.status).toBe("inactive");
    expect(changedUsers(zoom.stats())).toEqual(["u-ann", "u-bob", "u-cat"]);
  });

  it("runs as usual when the night is within the limit", async () => {
    const zoom = await startSim(DIRECTORY());
    const ws = workspace(`${NIGHT}\n`);
    const report = join(ws.cwd, "night.csv");
    const night = await cli(["run", ws.input, "--yes", "--plan-required-over", "3", "--report", report], ws);
    expect(night.code).toBe(0);
    expect(readReport(report).map((row) => row.outcome)).toEqual(["applied", "applied", "applied"]);
    expect(existsSync(join(ws.cwd, "night.plan.json"))).toBe(false);
    expect(zoom.user("u-ann")?.status).toBe("inactive");
  });
});
