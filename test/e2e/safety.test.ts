import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { type SimUser, type Simulator, startSimulator } from "../../src/sim/server.js";
import { byLine, readReport, runCli, tempDir } from "../helpers/run-cli.js";
import { cliEnv, generatedInput, TEST_CREDENTIALS } from "../helpers/sim-env.js";
import { describeWith } from "../helpers/system-tools.js";
import { runOnTerminal } from "../helpers/terminal.js";

// Look before leaping: previews, pre-checks, guards, the prompt and undo — the real CLI against the simulator.
let sim: Simulator | undefined;
afterEach(async () => {
  await sim?.close();
  sim = undefined;
});

/** A small company: 40 active members, an owner, an admin, two people already gone. */
function directory(): SimUser[] {
  const users: SimUser[] = [
    { id: "owner0000000000000001", email: "owner@acme.example", status: "active", role: "owner" },
    { id: "admin0000000000000001", email: "it.admin@acme.example", status: "active", role: "admin" },
    { id: "gone00000000000000001", email: "gone1@acme.example", status: "inactive", role: "member" },
    { id: "gone00000000000000002", email: "gone2@acme.example", status: "inactive", role: "member" },
    { id: "svcbot00000000000001", email: "robot@svc.acme.example", status: "active", role: "member" },
  ];
  for (let n = 1; n <= 40; n += 1) {
    users.push({
      id: `member${String(n).padStart(14, "0")}`,
      email: `p${n}@acme.example`,
      status: "active",
      role: "member",
    });
  }
  return users;
}

function inputFile(cwd: string, rows: string[]): string {
  const path = join(cwd, "leavers.csv");
  writeFileSync(path, `email,action\n${rows.join("\n")}\n`);
  return path;
}

const MIXED = [
  "p1@acme.example,deactivate", // 2 would apply
  "p2@acme.example,deactivate", // 3 would apply
  "gone1@acme.example,deactivate", // 4 already
  "owner@acme.example,deactivate", // 5 protected (owner)
  "it.admin@acme.example,deactivate", // 6 protected (admin)
  "ghost@acme.example,deactivate", // 7 not found
  "robot@svc.acme.example,deactivate", // 8 protected by *@svc.acme.example
  "member00000000000003,deactivate", // 9 protected by id (its email is p3@acme.example)
  "gone2@acme.example,activate", // 10 would apply
];

async function mixedRun(extra: string[], lookup: string) {
  sim = await startSimulator({ credentials: TEST_CREDENTIALS, users: directory() });
  const cwd = tempDir();
  const protect = join(cwd, "protect.txt");
  writeFileSync(protect, "# never touch\n*@svc.acme.example\np3@acme.example\n");
  const report = join(cwd, "report.csv");
  const result = await runCli(
    [
      "run",
      inputFile(cwd, MIXED),
      "--protect",
      protect,
      "--lookup",
      lookup,
      "--report",
      report,
      "--json",
      ...extra,
    ],
    { env: cliEnv(sim), cwd },
  );
  const rows = byLine(readReport(report));
  return {
    result,
    rows,
    outcomes: [...rows.values()].sort((a, b) => Number(a.line) - Number(b.line)).map((r) => r.outcome),
    sim,
  };
}

describe("live dry run", () => {
  it.each(["directory", "per-user"])(
    "previews from Zoom's state with --lookup %s and sends no status change",
    async (lookup) => {
      const { result, outcomes, sim } = await mixedRun(["--dry-run"], lookup);
      expect(outcomes).toEqual([
        "would_apply",
        "would_apply",
        "already",
        "protected",
        "protected",
        "not_found",
        "protected",
        "protected",
        "would_apply",
      ]);
      const stats = sim.stats();
      expect(stats.statusPuts).toBe(0);
      if (lookup === "directory") {
        // The directory is read on the Medium budget: not one Light request for the look-ups.
        expect(stats.getUserRequests).toBe(0);
        expect(stats.listUsersRequests).toBeGreaterThanOrEqual(3);
      } else {
        expect(stats.listUsersRequests).toBe(0);
        // Every row that passed the file's checks, less the one the protect list holds by its own value.
        expect(stats.getUserRequests).toBe(8);
      }
      expect(JSON.parse(result.stdout)).toMatchObject({ lookup, exit_code: 1, dry_run: true });
    },
  );

  it("prints a preview table: counts, then who would be deactivated, who is not found, who is protected", async () => {
    sim = await startSimulator({ credentials: TEST_CREDENTIALS, users: directory() });
    const cwd = tempDir();
    const result = await runCli(["run", inputFile(cwd, MIXED), "--dry-run", "--report", join(cwd, "r.csv")], {
      env: cliEnv(sim),
      cwd,
    });
    // No protect list here: only the owner and the admin are protected.
    expect(result.stdout).toMatch(/would apply \(dry run\)\s+5/);
    expect(result.stdout).toMatch(
      /would apply \(dry run\) \(5\):\n\s+line 2\s+deactivate\s+p1@acme\.example/,
    );
    expect(result.stdout).toMatch(/not found \(1\):\n\s+line 7\s+deactivate\s+ghost@acme\.example/);
    expect(result.stdout).toMatch(
      /protected \(2\):\n\s+line 5\s+deactivate\s+owner@acme\.example\s+the account's owner/,
    );
    expect(sim.stats().statusPuts).toBe(0);
  });
});

describe("pre-checks in a real run", () => {
  it.each(["directory", "per-user"])(
    "already, not found and protected rows cost no PUT (--lookup %s)",
    async (lookup) => {
      const { result, outcomes, sim } = await mixedRun(["--yes"], lookup);
      expect(result.code).toBe(1); // the not-found row
      expect(outcomes).toEqual([
        "applied",
        "applied",
        "already",
        "protected",
        "protected",
        "not_found",
        "protected",
        "protected",
        "applied",
      ]);
      const stats = sim.stats();
      expect(stats.statusPuts).toBe(3);
      expect(Object.keys(stats.putsByUser).sort()).toEqual([
        "gone00000000000000002",
        "member00000000000001",
        "member00000000000002",
      ]);
      expect(sim.user("owner@acme.example")?.status).toBe("active");
      expect(sim.user("robot@svc.acme.example")?.status).toBe("active");
      expect(sim.user("gone2@acme.example")?.status).toBe("active");
    },
  );

  it("--lookup none sends every valid row and lets Zoom decide", async () => {
    const { outcomes, sim } = await mixedRun(["--yes"], "none");
    // Only the protect list (by the row's own value) holds without look-ups; Zoom refuses the owner and admin.
    expect(outcomes).toEqual([
      "applied",
      "applied",
      "applied",
      "rejected",
      "rejected",
      "not_found",
      "protected",
      "applied",
      "applied",
    ]);
    expect(sim.stats().getUserRequests + sim.stats().listUsersRequests).toBe(0);
  });
});

describe("a row a look-up decides carries the look-up's answer", () => {
  const TRACKING = /^v=2\.0;clid=us06;rid=SIM\d+_\d+$/;

  it.each([
    { mode: "dry run", extra: ["--dry-run"] },
    { mode: "real run", extra: ["--yes"] },
  ])(
    "per-user look-ups, $mode: status, Zoom's code and the tracking id of each row's own GET",
    async ({ extra }) => {
      const { rows } = await mixedRun(extra, "per-user");
      const ghost = rows.get(7);
      expect(ghost).toMatchObject({
        outcome: "not_found",
        http_status: "404",
        zoom_code: "1001",
        attempts: "0",
      });
      expect(ghost?.tracking_id).toMatch(TRACKING);
      for (const line of [4, 5, 6]) {
        // already (line 4), the owner and the admin (5, 6): Zoom answered the look-up with the user.
        expect(rows.get(line)).toMatchObject({ http_status: "200", zoom_code: "" });
        expect(rows.get(line)?.tracking_id).toMatch(TRACKING);
      }
      // Held by the protect list on the row's own value: never asked about, so no answer to show.
      expect(rows.get(8)).toMatchObject({ outcome: "protected", http_status: "", tracking_id: "" });
    },
  );

  it("a user the directory did not list is looked up alone while sending: its 404 is in the report", async () => {
    const { rows, sim } = await mixedRun(["--yes"], "directory");
    const ghost = rows.get(7);
    expect(ghost).toMatchObject({ outcome: "not_found", http_status: "404", zoom_code: "1001" });
    expect(ghost?.tracking_id).toMatch(TRACKING);
    expect(sim.stats().getUserRequests).toBeGreaterThanOrEqual(1);
    // Rows decided from the directory's pages alone have no answer of their own.
    expect(rows.get(4)).toMatchObject({
      outcome: "already",
      http_status: "",
      zoom_code: "",
      tracking_id: "",
    });
  });

  it("rows decided from a complete directory read carry no answer", async () => {
    const { rows, sim } = await mixedRun(["--dry-run"], "directory");
    expect(sim.stats().getUserRequests).toBe(0);
    for (const line of [4, 5, 7]) {
      expect(rows.get(line)).toMatchObject({ http_status: "", zoom_code: "", tracking_id: "" });
    }
    expect(rows.get(7)?.outcome).toBe("not_found");
  });
});

describe("the deactivation guard", () => {
  it("stops a 101-deactivation file by default: nothing sent, every row not_attempted, exit 3, how to proceed", async () => {
    sim = await startSimulator({ credentials: TEST_CREDENTIALS, generateUsers: 101 });
    const cwd = tempDir();
    const input = join(cwd, "everyone.csv");
    writeFileSync(input, generatedInput(101));
    const report = join(cwd, "r.csv");
    const result = await runCli(["run", input, "--yes", "--report", report, "--json"], {
      env: cliEnv(sim),
      cwd,
    });
    expect(result.code).toBe(3);
    expect(sim.stats().statusPuts).toBe(0);
    const rows = readReport(report);
    expect(rows).toHaveLength(101);
    expect(rows.filter((row) => row.outcome !== "not_attempted")).toEqual([]);
    const summary = JSON.parse(result.stdout) as { stop_reason: string };
    expect(summary.stop_reason).toContain("--max-deactivations 101");
  });

  it("a dry run of a file the guard would stop says so, and still previews every row", async () => {
    sim = await startSimulator({ credentials: TEST_CREDENTIALS, generateUsers: 101 });
    const cwd = tempDir();
    const input = join(cwd, "many.csv");
    writeFileSync(input, generatedInput(101));
    const json = await runCli(["run", input, "--dry-run", "--report", join(cwd, "r1.csv"), "--json"], {
      env: cliEnv(sim),
      cwd,
    });
    expect(json.code).toBe(0);
    const summary = JSON.parse(json.stdout) as { warnings: string[]; outcomes: Record<string, number> };
    expect(summary.warnings).toEqual([
      expect.stringMatching(/^a real run would stop: this file would deactivate 101 users/),
    ]);
    expect(summary.outcomes.would_apply).toBe(101);
    const table = await runCli(["run", input, "--dry-run", "--report", join(cwd, "r2.csv")], {
      env: cliEnv(sim),
      cwd,
    });
    expect(table.stdout).toMatch(/warning: a real run would stop: .*--max-deactivations 101/);
    expect(sim.stats().statusPuts).toBe(0);
  });

  it("lets exactly 100 through", async () => {
    sim = await startSimulator({ credentials: TEST_CREDENTIALS, generateUsers: 100 });
    const cwd = tempDir();
    const input = join(cwd, "hundred.csv");
    writeFileSync(input, generatedInput(100));
    const result = await runCli(["run", input, "--yes", "--rps", "30", "--report", join(cwd, "r.csv")], {
      env: cliEnv(sim),
      cwd,
    });
    expect(result.code).toBe(0);
    expect(sim.stats().statusChangesApplied).toBe(100);
  });

  it("counts after look-ups, and takes a percentage of the account's active users", async () => {
    const { result, sim } = await mixedRun(["--yes", "--max-deactivations", "2%"], "directory");
    // 3 changes would go out, 2 of them deactivations; 2% of 43 active users is 0.
    expect(result.code).toBe(3);
    expect(sim.stats().statusPuts).toBe(0);
    expect(JSON.parse(result.stdout).stop_reason).toMatch(/2% of 43 active users/);
  });
});

describe("asking first", () => {
  it("without a terminal and without --yes: exit 2 and not one request", async () => {
    sim = await startSimulator({ credentials: TEST_CREDENTIALS, users: directory() });
    const cwd = tempDir();
    const result = await runCli(["run", inputFile(cwd, MIXED)], { env: cliEnv(sim), cwd });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("--yes");
    expect(sim.stats().requests).toBe(0);
  });
});

describeWith("script", "asking on a terminal", () => {
  it.each([
    { typed: "4", code: 1, puts: 5 },
    { typed: "yes", code: 3, puts: 0 },
  ])("typing $typed", async ({ typed, code, puts }) => {
    sim = await startSimulator({ credentials: TEST_CREDENTIALS, users: directory() });
    const cwd = tempDir();
    const report = join(cwd, "r.csv");
    const { code: exit, screen } = await runOnTerminal(["run", inputFile(cwd, MIXED), "--report", report], {
      cwd,
      env: cliEnv(sim),
      answer: typed,
    });
    expect(screen).toMatch(/deactivate\s+4/);
    expect(screen).toMatch(/protected\s+2/);
    expect(screen).toContain("Type 4 to go ahead with 4 deactivations");
    expect(exit).toBe(code);
    expect(sim.stats().statusPuts).toBe(puts);
    expect(readReport(report)).toHaveLength(MIXED.length);
  });
});

describe("undo", () => {
  it("restores the simulator to its state before the run, and an undo of the undo is the run again", async () => {
    sim = await startSimulator({ credentials: TEST_CREDENTIALS, users: directory() });
    // Undo restores statuses; licences lost by a deactivation stay lost (type 1), as in Zoom.
    const statuses = () => JSON.stringify(sim?.allUsers().map(({ id, status }) => [id, status]));
    const before = statuses();
    const cwd = tempDir();
    const first = join(cwd, "run.csv");
    expect(
      (await runCli(["run", inputFile(cwd, MIXED), "--yes", "--report", first], { env: cliEnv(sim), cwd }))
        .code,
    ).toBe(1);
    const afterRun = statuses();
    expect(afterRun).not.toBe(before);
    const deactivated = sim.allUsers().filter((user) => user.status === "inactive" && user.type === 1);

    const undo = join(cwd, "undo.csv");
    const undone = await runCli(["undo", first, "--yes", "--report", undo], { env: cliEnv(sim), cwd });
    expect(undone.code).toBe(0);
    expect(undone.stderr).toMatch(/does not give back the licences/);
    expect(statuses()).toBe(before);
    const reactivated = deactivated
      .map((user) => sim?.user(user.id))
      .filter((user) => user?.status === "active");
    expect(reactivated.length).toBeGreaterThan(0);
    for (const user of reactivated) expect(user?.type).toBe(1);
    // Exactly the applied rows, reversed, each naming the line of the report it undoes.
    const reverse: Record<string, string> = { activate: "deactivate", deactivate: "activate" };
    const expected = readReport(first)
      .map((row, index) => ({ row, line: String(index + 2) }))
      .filter(({ row }) => row.outcome === "applied")
      .map(({ row, line }) => [line, row.user_id, reverse[row.action], "applied"]);
    expect(expected).toHaveLength(5);
    const undoRows = readReport(undo).sort((a, b) => Number(a.line) - Number(b.line));
    expect(undoRows.map((row) => [row.line, row.user_id, row.action, row.outcome])).toEqual(
      expected.sort((a, b) => Number(a[0]) - Number(b[0])),
    );

    const redo = await runCli(["undo", undo, "--yes", "--report", join(cwd, "redo.csv")], {
      env: cliEnv(sim),
      cwd,
    });
    expect(redo.code).toBe(0);
    expect(statuses()).toBe(afterRun);
  });

  it.each([
    ["a report from another tool", "email,status\nx@y.com,done\n", /not a zoom-offboard report/],
    [
      "a report with nothing applied",
      "line,user_id,action,outcome,http_status,zoom_code,message,attempts,tracking_id,finished_at\n2,a@x.com,deactivate,failed,503,,x,5,,2026-11-29T10:00:00.000Z\n",
      /nothing to undo/,
    ],
  ])("refuses %s: exit 2, nothing sent", async (_, text, message) => {
    sim = await startSimulator({ credentials: TEST_CREDENTIALS, users: directory() });
    const cwd = tempDir();
    const path = join(cwd, "other.csv");
    writeFileSync(path, text);
    const result = await runCli(["undo", path, "--yes"], { env: cliEnv(sim), cwd });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(message);
    expect(sim.stats().requests).toBe(0);
  });
});

describe("bad safety input", () => {
  it.each([
    [["--protect", "/nonexistent/protect.txt"], /cannot read the protect list/],
    [["--max-deactivations", "abc"], /--max-deactivations/],
    [["--max-deactivations", "150%"], /--max-deactivations/],
    [["--lookup", "guess"], /--lookup/],
  ])("%j: exit 2, nothing sent", async (flags, message) => {
    sim = await startSimulator({ credentials: TEST_CREDENTIALS, users: directory() });
    const cwd = tempDir();
    const result = await runCli(["run", inputFile(cwd, MIXED), "--yes", ...flags], { env: cliEnv(sim), cwd });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(message);
    expect(sim.stats().requests).toBe(0);
  });

  it("an unreadable undo report: exit 2", async () => {
    const result = await runCli(["undo", "/nonexistent/report.csv", "--yes"]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/report\.csv: cannot open/);
  });
});
