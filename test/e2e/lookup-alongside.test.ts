import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import type { SimRequestLogEntry, SimUser, Simulator } from "../../src/sim/server.js";
import { startSimulator } from "../../src/sim/server.js";
import { byLine, readReport, runCli, tempDir } from "../helpers/run-cli.js";
import { cliEnv, TEST_CREDENTIALS } from "../helpers/sim-env.js";

// Sending while the look-ups go on (issue 5: launch to first PUT): allowed only when no look-up could change whether
// the run goes on, and never at the cost of a row's outcome.
let sim: Simulator | undefined;
afterEach(async () => {
  await sim?.close();
  sim = undefined;
});

const member = (n: number, status: SimUser["status"] = "active"): SimUser => ({
  id: `member${String(n).padStart(14, "0")}`,
  email: `p${n}@acme.example`,
  status,
  role: "member",
});

/** 1,500 members (five directory pages of active users), a few already gone, an admin on the last page. */
function bigDirectory(): SimUser[] {
  const users: SimUser[] = [];
  for (let n = 1; n <= 1500; n += 1) users.push(member(n, n % 500 === 250 ? "inactive" : "active"));
  users.push({
    id: "admin0000000000000001",
    email: "it.admin@acme.example",
    status: "active",
    role: "admin",
  });
  return users;
}

const arrivals = (log: readonly SimRequestLogEntry[], route: SimRequestLogEntry["route"]): number[] =>
  log
    .filter((entry) => entry.route === route)
    .map((entry) => entry.atMs)
    .sort((a, b) => a - b);

async function run(rows: string[], extra: string[]) {
  const cwd = tempDir();
  const input = join(cwd, "leavers.csv");
  writeFileSync(input, `email,action\n${rows.join("\n")}\n`);
  const protect = join(cwd, "protect.txt");
  // Listed by id; the file names this person by email, so only the look-up can tell.
  writeFileSync(protect, `${member(1203).id}\n`);
  const report = join(cwd, "report.csv");
  if (sim === undefined) throw new Error("start the simulator first");
  const result = await runCli(["run", input, "--protect", protect, "--report", report, "--json", ...extra], {
    env: cliEnv(sim),
    cwd,
  });
  const outcomes = new Map([...byLine(readReport(report)).values()].map((row) => [row.user_id, row.outcome]));
  return { result, outcomes, log: sim.stats().log };
}

// Users on every page, page boundaries (where a page token that counts positions skips users once earlier ones
// leave the active list), an already-inactive user, an admin, a protected user and a stranger.
const ROWS = [
  ...[1, 2, 3, 4, 5, 6, 7, 8, 9, 10].map((n) => `p${n}@acme.example,deactivate`),
  ...[300, 301, 302, 600, 601, 602, 900, 901, 902, 1200, 1201, 1202, 1499, 1500].map(
    (n) => `p${n}@acme.example,deactivate`,
  ),
  "p250@acme.example,deactivate", // already inactive
  "it.admin@acme.example,deactivate", // the admin
  "p1203@acme.example,deactivate", // protected by id
  "ghost@acme.example,deactivate", // not in the account
];

function expectOutcomes(outcomes: Map<string | undefined, string | undefined>): void {
  const applied = ROWS.slice(0, 24).map((row) => row.split(",")[0]);
  for (const user of applied) expect([user, outcomes.get(user)]).toEqual([user, "applied"]);
  expect(outcomes.get("p250@acme.example")).toBe("already");
  expect(outcomes.get("it.admin@acme.example")).toBe("protected");
  expect(outcomes.get("p1203@acme.example")).toBe("protected");
  expect(outcomes.get("ghost@acme.example")).toBe("not_found");
  expect(outcomes.size).toBe(ROWS.length);
}

describe("sending while the directory is read", () => {
  it("sends the first change before the last directory page, and every row ends as a full read would decide it", async () => {
    sim = await startSimulator({ credentials: TEST_CREDENTIALS, users: bigDirectory(), latencyMs: 60 });
    const { result, outcomes, log } = await run(ROWS, ["--yes", "--lookup", "directory"]);
    expect(result.code).toBe(1); // the stranger
    expectOutcomes(outcomes);
    const puts = arrivals(log, "put_status");
    const pages = arrivals(log, "list_users");
    expect(puts).toHaveLength(24);
    expect(pages.length).toBeGreaterThanOrEqual(7); // five active pages, inactive, pending
    expect(puts[0]).toBeLessThan(pages.at(-1) ?? 0);
    // The stranger, and users our own changes pushed past a page boundary (unless the lists were read again: see
    // the next case), were looked up one by one.
    expect(log.filter((entry) => entry.route === "get_user").length).toBeGreaterThanOrEqual(1);
    expect(sim.user("it.admin@acme.example")?.status).toBe("active");
    expect(sim.user("p1203@acme.example")?.status).toBe("active");
  }, 30_000);

  it("users a page token skipped while the directory was read are listed by a second read, not looked up alone", async () => {
    sim = await startSimulator({
      credentials: TEST_CREDENTIALS,
      users: bigDirectory(),
      latencyMs: 60,
      tier: "business",
    });
    // A hundred and twenty users of the first page go out while the other four active pages are read, so each of
    // those pages starts past users our changes moved up; the file names the users at each page's start.
    const firstPage = Array.from({ length: 120 }, (_, n) => `p${n + 1}@acme.example,deactivate`);
    const pageStarts = [302, 602, 902, 1202].flatMap((first) =>
      Array.from({ length: 10 }, (_, n) => `p${first + n}@acme.example,deactivate`),
    );
    const rows = [...firstPage, ...pageStarts, "ghost@acme.example,deactivate"];
    const { result, outcomes, log } = await run(rows, [
      "--yes",
      "--lookup",
      "directory",
      "--tier",
      "business",
      "--max-deactivations",
      "200",
    ]);
    expect(result.code).toBe(1); // the stranger
    for (const row of [...firstPage, ...pageStarts]) {
      const [user = ""] = row.split(",");
      // p1203 is on the protect list (by id).
      expect([user, outcomes.get(user)]).toEqual([
        user,
        user === "p1203@acme.example" ? "protected" : "applied",
      ]);
    }
    expect(outcomes.get("ghost@acme.example")).toBe("not_found");
    expect(result.stderr).toContain("lists changed while they were read: reading them again");
    // Five active pages twice, the first pages of the inactive and pending lists once.
    expect(arrivals(log, "list_users").length).toBeGreaterThanOrEqual(12);
    expect(log.filter((entry) => entry.route === "get_user").map((entry) => entry.user)).toEqual([
      "ghost@acme.example",
    ]);
  }, 30_000);

  it("reads the whole directory first when the file's own count is over the guard (the count after look-ups decides)", async () => {
    sim = await startSimulator({ credentials: TEST_CREDENTIALS, users: bigDirectory(), latencyMs: 20 });
    // 28 deactivation rows in the file, 24 after the look-ups.
    const { result, outcomes, log } = await run(ROWS, [
      "--yes",
      "--lookup",
      "directory",
      "--max-deactivations",
      "24",
    ]);
    expect(result.code).toBe(1);
    expectOutcomes(outcomes);
    const puts = arrivals(log, "put_status");
    expect(puts[0]).toBeGreaterThan(arrivals(log, "list_users").at(-1) ?? Number.POSITIVE_INFINITY);
  }, 30_000);

  it("a percentage guard: the directory's first pages give the active count, then the rows go alongside the rest", async () => {
    sim = await startSimulator({ credentials: TEST_CREDENTIALS, users: bigDirectory(), latencyMs: 60 });
    // 5 % of 1,498 active users is 74: the file's 28 deactivation rows are within it before any look-up.
    const { result, outcomes, log } = await run(ROWS, [
      "--yes",
      "--lookup",
      "directory",
      "--max-deactivations",
      "5%",
    ]);
    expect(result.code).toBe(1);
    expectOutcomes(outcomes);
    expect(arrivals(log, "put_status")[0]).toBeLessThan(arrivals(log, "list_users").at(-1) ?? 0);
  }, 30_000);

  it("per-user look-ups: each row's look-up just before its change, not all look-ups first", async () => {
    sim = await startSimulator({ credentials: TEST_CREDENTIALS, users: bigDirectory(), latencyMs: 40 });
    // Two requests at a time, so 16 rows in flight: fewer than the file's 28 rows.
    const { result, outcomes, log } = await run(ROWS, [
      "--yes",
      "--lookup",
      "per-user",
      "--concurrency",
      "2",
    ]);
    expect(result.code).toBe(1);
    expectOutcomes(outcomes);
    const gets = arrivals(log, "get_user");
    // The protect list names its user by id and the file by email: every row, that one included, looks up.
    expect(gets).toHaveLength(28);
    expect(arrivals(log, "put_status")[0]).toBeLessThan(gets.at(-1) ?? 0);
    expect(arrivals(log, "list_users")).toHaveLength(0);
  }, 30_000);
});
