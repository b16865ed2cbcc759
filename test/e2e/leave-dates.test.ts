import { existsSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import {
  type SimRoute,
  type SimStats,
  type SimUser,
  type Simulator,
  startSimulator,
} from "../../src/sim/server.js";
import { type CliResult, type ReportRecord, readReport, runCli, tempDir } from "../helpers/run-cli.js";
import { cliEnv, TEST_CREDENTIALS } from "../helpers/sim-env.js";
import { describeWith } from "../helpers/system-tools.js";
import { runOnTerminal } from "../helpers/terminal.js";

// Leave dates, end to end: the same dated file run by the real CLI on successive simulated nights (--as-of) against
// one simulator, judged by which requests reached it and what it holds afterwards as much as by the report.
let sim: Simulator | undefined;
afterEach(async () => {
  await sim?.close();
  sim = undefined;
});

/** An active Licensed member `<name>@acme.example` with id `u-<name>`; `extra` overrides any field. */
function member(name: string, extra: Partial<SimUser> = {}): SimUser {
  return { id: `u-${name}`, email: `${name}@acme.example`, status: "active", role: "member", ...extra };
}

const email = (name: string): string => `${name}@acme.example`;

async function startSim(users: SimUser[]): Promise<Simulator> {
  sim = await startSimulator({ credentials: TEST_CREDENTIALS, users });
  return sim;
}

function live(): Simulator {
  if (sim === undefined) throw new Error("start the simulator first");
  return sim;
}

/** The routes that change something in Zoom. */
const CHANGE_ROUTES = ["put_status", "sign_out", "update_user", "delete_user"] as const;
type ChangeRoute = (typeof CHANGE_ROUTES)[number];

interface JsonSummary {
  outcomes: Record<string, number>;
  exit_code: number;
  stop_reason: string | null;
}

interface Night {
  result: CliResult;
  /** Report rows by input line. */
  rows: Map<number, ReportRecord>;
  /** The outcome of each row, in line order. */
  outcomes: string[];
  json: JsonSummary | undefined;
  /** Requests the simulator received during this run on the routes that change something. */
  changes: Record<ChangeRoute, number>;
}

/** Write the input file (header and rows) into `cwd`. */
function writeInput(cwd: string, header: string, rows: readonly string[]): string {
  const path = join(cwd, `leavers-${Math.random().toString(36).slice(2)}.csv`);
  writeFileSync(path, `${[header, ...rows].join("\n")}\n`);
  return path;
}

/**
 * One night's run of `input` (a real run with --yes unless `args` say --dry-run), with what the simulator received
 * during it. `json: false` leaves the table on stdout.
 */
async function runNight(input: string, cwd: string, args: string[], json = true): Promise<Night> {
  const target = live();
  const before = target.stats().requestsByRoute;
  const report = join(cwd, `report-${Math.random().toString(36).slice(2)}.csv`);
  const flags = [...(args.includes("--dry-run") ? [] : ["--yes"]), ...(json ? ["--json"] : [])];
  const result = await runCli(["run", input, "--report", report, ...flags, ...args], {
    env: cliEnv(target),
    cwd,
  });
  const after = target.stats().requestsByRoute;
  const received = Object.fromEntries(
    Object.entries(after).map(([route, n]) => [route, n - before[route as SimRoute]]),
  ) as Record<SimRoute, number>;
  const changes = Object.fromEntries(CHANGE_ROUTES.map((route) => [route, received[route]])) as Record<
    ChangeRoute,
    number
  >;
  const records = existsSync(report) ? readReport(report) : [];
  const rows = new Map(records.map((row) => [Number(row.line), row]));
  const outcomes = [...rows.entries()].sort(([a], [b]) => a - b).map(([, row]) => row.outcome);
  return { result, rows, outcomes, json: json ? parseJson(result.stdout) : undefined, changes };
}

function parseJson(stdout: string): JsonSummary | undefined {
  try {
    return JSON.parse(stdout) as JsonSummary;
  } catch {
    return undefined;
  }
}

/** Nothing that changes a user reached the simulator. */
const NO_CHANGES: Record<ChangeRoute, number> = {
  put_status: 0,
  sign_out: 0,
  update_user: 0,
  delete_user: 0,
};

/** Every request the simulator logged for one user (by canonical id), whatever the route. */
function requestsFor(stats: SimStats, userId: string): string[] {
  return stats.log.filter((entry) => entry.user === userId).map((entry) => entry.route);
}

describe("the same file every night converges", () => {
  it("sends each step once, on its day, and nothing once everything is done", async () => {
    await startSim([
      member("jane", { data: { meetings: 5, recordings: 3 } }),
      member("maria"),
      member("sam"),
      member("pat"),
      member("olga"),
    ]);
    const cwd = tempDir();
    const input = writeInput(cwd, "email,action,effective_date,transfer_to", [
      "jane@acme.example,signout,2026-12-01,", // 2
      "jane@acme.example,deactivate,2026-12-01,", // 3
      "sam@acme.example,downgrade,2026-12-02,", // 4
      "pat@acme.example,downgrade,2026-12-01,", // 5
      "olga@acme.example,deactivate,,", // 6: undated, due every night
      "jane@acme.example,delete,2026-12-31,maria@acme.example", // 7
    ]);
    // Per-user look-ups name the user in the simulator's log, so a row that is not even looked up shows.
    const nightOf = (asOf: string, extra: string[] = []) =>
      runNight(input, cwd, [
        "--timezone",
        "Europe/Berlin",
        "--lookup",
        "per-user",
        "--as-of",
        asOf,
        ...extra,
      ]);

    // Night 1: jane's last day, pat's downgrade and olga's undated row are due; sam's and the deletion are not.
    const first = await nightOf("2026-12-01T02:15");
    expect(first.result.code).toBe(0);
    expect(first.outcomes).toEqual(["applied", "applied", "scheduled", "applied", "applied", "scheduled"]);
    expect(first.changes).toEqual({ put_status: 2, sign_out: 1, update_user: 1, delete_user: 0 });
    expect(first.rows.get(4)).toMatchObject({
      message: "due 2026-12-02 00:00 Europe/Berlin (in 22 hours): nothing sent before then",
      attempts: "0",
      http_status: "",
    });
    expect(first.rows.get(7)?.message).toBe(
      "due 2026-12-31 00:00 Europe/Berlin (in 30 days): nothing sent before then",
    );
    // A scheduled row costs no request at all: sam is not even looked up, nor the deletion's transfer target.
    expect(requestsFor(live().stats(), "u-sam")).toEqual([]);
    expect(requestsFor(live().stats(), "u-maria")).toEqual([]);
    expect(first.json?.outcomes).toMatchObject({ applied: 4, scheduled: 2, superseded: 0 });
    expect(live().user("jane@acme.example")?.status).toBe("inactive");

    // Night 2: what was done comes back `already` from the look-ups; only sam's downgrade, due today, is sent.
    const second = await nightOf("2026-12-02T02:15");
    expect(second.result.code).toBe(0);
    expect(second.outcomes).toEqual(["already", "already", "applied", "already", "already", "scheduled"]);
    expect(second.changes).toEqual({ ...NO_CHANGES, update_user: 1 });
    expect(second.rows.get(2)?.message).toBe("inactive in Zoom: no session to end");
    expect(second.rows.get(3)?.message).toBe("already inactive in Zoom");
    expect(second.rows.get(5)?.message).toBe("already Basic in Zoom");
    expect(second.rows.get(7)?.message).toMatch(/^due 2026-12-31 00:00 Europe\/Berlin \(in 29 days\)/);
    const afterTwo = live().stats();
    expect(afterTwo.signOutsByUser).toEqual({ "u-jane": 1 });
    expect(afterTwo.typeChanges.map((change) => [change.user, change.from, change.to])).toEqual([
      ["u-pat", 2, 1],
      ["u-sam", 2, 1],
    ]);

    // Night 3, the deletion's day: the deletion overrides jane's earlier steps, and it alone is sent.
    const third = await nightOf("2026-12-31T02:15", ["--max-deletions", "1"]);
    expect(third.result.code).toBe(0);
    expect(third.outcomes).toEqual(["superseded", "superseded", "already", "already", "already", "applied"]);
    expect(third.changes).toEqual({ ...NO_CHANGES, delete_user: 1 });
    for (const line of [2, 3]) {
      expect(third.rows.get(line)).toMatchObject({
        message: "overridden by line 7 (delete on 2026-12-31 00:00): nothing sent",
        attempts: "0",
      });
    }
    expect(third.json?.outcomes).toMatchObject({ applied: 1, already: 3, scheduled: 0, superseded: 2 });
    expect(live().stats().removals).toEqual([
      {
        user: "u-jane",
        email: email("jane"),
        action: "delete",
        transferTo: "u-maria",
        moved: { meetings: 5, recordings: 3 },
        lost: {},
      },
    ]);
    expect(live().user("jane@acme.example")).toBeUndefined();
    expect(live().user("maria@acme.example")?.data).toMatchObject({ meetings: 5, recordings: 3 });

    // Night 4: nothing left to do. The deletion is `already` (gone), so even without --max-deletions the run is clean.
    const fourth = await nightOf("2027-01-01T02:15");
    expect(fourth.result.code).toBe(0);
    expect(fourth.json?.exit_code).toBe(0);
    expect(fourth.outcomes).toEqual(["superseded", "superseded", "already", "already", "already", "already"]);
    expect(fourth.rows.get(7)?.message).toBe("not in the account: already gone");
    expect(fourth.changes).toEqual(NO_CHANGES);
    expect(live().stats().removals).toHaveLength(1);
  });
});

describe("a rehire: deactivate on day 1, activate on day 10", () => {
  it.each([
    {
      night: "day 11, user inactive",
      status: "inactive" as const,
      asOf: "2026-12-11T02:00",
      outcomes: ["superseded", "applied"],
      puts: 1,
      after: "active",
      counts: { superseded: 1, scheduled: 0 },
    },
    {
      night: "day 5, user inactive",
      status: "inactive" as const,
      asOf: "2026-12-05T02:00",
      outcomes: ["already", "scheduled"],
      puts: 0,
      after: "inactive",
      counts: { superseded: 0, scheduled: 1 },
    },
    {
      night: "day 5, user still active",
      status: "active" as const,
      asOf: "2026-12-05T02:00",
      outcomes: ["applied", "scheduled"],
      puts: 1,
      after: "inactive",
      counts: { superseded: 0, scheduled: 1 },
    },
  ])("$night", async ({ status, asOf, outcomes, puts, after, counts }) => {
    await startSim([member("rita", { status })]);
    const cwd = tempDir();
    const input = writeInput(cwd, "email,action,leave_date", [
      "rita@acme.example,deactivate,2026-12-01",
      "rita@acme.example,activate,2026-12-10",
    ]);
    const night = await runNight(input, cwd, ["--timezone", "UTC", "--as-of", asOf]);
    expect(night.result.code).toBe(0);
    expect(night.outcomes).toEqual(outcomes);
    // The two rows contradict each other, but on different dates that is a rehire, not a conflict.
    expect(night.changes).toEqual({ ...NO_CHANGES, put_status: puts });
    expect(live().user("rita@acme.example")?.status).toBe(after);
    expect(night.json?.outcomes).toMatchObject(counts);
    if (counts.superseded === 1) {
      expect(night.rows.get(2)?.message).toBe(
        "overridden by line 3 (activate on 2026-12-10 00:00): nothing sent",
      );
    } else {
      expect(night.rows.get(3)?.message).toBe(
        "due 2026-12-10 00:00 UTC (in 5 days): nothing sent before then",
      );
    }
  });

  it("an undated row takes effect tonight: it overrides an earlier-dated step, and names no date of its own", async () => {
    await startSim([member("rita")]);
    const cwd = tempDir();
    const input = writeInput(cwd, "email,action,leave_date", [
      "rita@acme.example,activate,2026-12-01",
      "rita@acme.example,deactivate,",
    ]);
    const night = await runNight(input, cwd, ["--timezone", "UTC", "--as-of", "2026-12-05T03:00"]);
    expect(night.result.code).toBe(0);
    expect(night.outcomes).toEqual(["superseded", "applied"]);
    // The run's moment is not the row's date: the message must not pretend the undated row was dated tonight.
    expect(night.rows.get(2)?.message).toBe("overridden by line 3 (deactivate): nothing sent");
    expect(night.changes).toEqual({ ...NO_CHANGES, put_status: 1 });
    expect(live().user("rita@acme.example")?.status).toBe("inactive");
  });
});

describe("contradicting steps on the same date", () => {
  it("are both conflicts, and nothing is sent for that user while the others go on", async () => {
    await startSim([member("bob"), member("dan"), member("carl")]);
    const cwd = tempDir();
    const input = writeInput(cwd, "email,action,effective_date", [
      "bob@acme.example,deactivate,2026-12-01", // 2
      "bob@acme.example,activate,2026-12-01", // 3
      // The same moment written two ways (midnight in Berlin is 23:00 UTC the day before) is the same date.
      "dan@acme.example,deactivate,2026-12-01", // 4
      "dan@acme.example,activate,2026-11-30T23:00:00Z", // 5
      "carl@acme.example,deactivate,2026-12-01", // 6
    ]);
    const night = await runNight(input, cwd, ["--timezone", "Europe/Berlin", "--as-of", "2026-12-02T02:00"]);
    expect(night.result.code).toBe(1);
    expect(night.outcomes).toEqual(["conflict", "conflict", "conflict", "conflict", "applied"]);
    expect(night.rows.get(2)?.message).toBe(
      "user has both actions: activate at line 3, deactivate at line 2",
    );
    expect(night.rows.get(4)?.message).toBe(
      "user has both actions: activate at line 5, deactivate at line 4",
    );
    expect(night.changes).toEqual({ ...NO_CHANGES, put_status: 1 });
    const stats = live().stats();
    expect(requestsFor(stats, "u-bob")).toEqual([]);
    expect(requestsFor(stats, "u-dan")).toEqual([]);
    expect(Object.keys(stats.putsByUser)).toEqual(["u-carl"]);
  });
});

describe("a plain date is the start of that day in --timezone", () => {
  // 01:00 UTC on 10 December is still the evening of the 9th in Los Angeles.
  const ROWS = [
    "ann@acme.example,deactivate,2026-12-10", // 2: a plain date, read in the zone
    "bea@acme.example,deactivate,2026-12-09T16:30:00-08:00", // 3: 00:30 UTC, whatever the zone
    "cid@acme.example,deactivate,2026-12-10T01:30:00Z", // 4: 01:30 UTC, whatever the zone
  ];
  it.each([
    {
      zone: "America/Los_Angeles",
      asOf: "2026-12-10T01:00:00Z",
      outcomes: ["scheduled", "applied", "scheduled"],
      ann: "due 2026-12-10 00:00 America/Los_Angeles (in 7 hours)",
      cid: "due 2026-12-09 17:30 America/Los_Angeles (in 30 minutes)",
    },
    {
      // --as-of without an offset is a wall-clock time in the zone too: the same moment as the row above.
      zone: "America/Los_Angeles",
      asOf: "2026-12-09T17:00",
      outcomes: ["scheduled", "applied", "scheduled"],
      ann: "due 2026-12-10 00:00 America/Los_Angeles (in 7 hours)",
      cid: "due 2026-12-09 17:30 America/Los_Angeles (in 30 minutes)",
    },
    {
      zone: "UTC",
      asOf: "2026-12-10T01:00:00Z",
      outcomes: ["applied", "applied", "scheduled"],
      ann: undefined,
      cid: "due 2026-12-10 01:30 UTC (in 30 minutes)",
    },
    {
      // A row dated exactly the run's moment is due; half an hour later is not.
      zone: "UTC",
      asOf: "2026-12-10",
      outcomes: ["applied", "scheduled", "scheduled"],
      ann: undefined,
      cid: "due 2026-12-10 01:30 UTC (in 90 minutes)",
    },
  ])("--timezone $zone --as-of $asOf", async ({ zone, asOf, outcomes, ann, cid }) => {
    await startSim([member("ann"), member("bea"), member("cid")]);
    const cwd = tempDir();
    const night = await runNight(writeInput(cwd, "email,action,date", ROWS), cwd, [
      "--timezone",
      zone,
      "--as-of",
      asOf,
    ]);
    expect(night.result.code).toBe(0);
    expect(night.outcomes).toEqual(outcomes);
    const applied = outcomes.filter((outcome) => outcome === "applied").length;
    expect(night.changes).toEqual({ ...NO_CHANGES, put_status: applied });
    if (ann !== undefined) expect(night.rows.get(2)?.message).toBe(`${ann}: nothing sent before then`);
    expect(night.rows.get(4)?.message).toBe(`${cid}: nothing sent before then`);
    expect(live().user("cid@acme.example")?.status).toBe("active");
  });
});

describe("dates and moments that cannot be read", () => {
  it("an unreadable date makes its row invalid, with the reason, and nothing is sent for it", async () => {
    await startSim([member("ann"), member("bea"), member("cid"), member("dan"), member("eve")]);
    const cwd = tempDir();
    const input = writeInput(cwd, "email,action,termination_date", [
      "ann@acme.example,deactivate,31/12/2026",
      "bea@acme.example,deactivate,2026-02-30",
      "cid@acme.example,deactivate,2026-12-01T24:00",
      "dan@acme.example,deactivate,2026-12-01T00:00+19:00",
      "eve@acme.example,deactivate,2026-12-01",
    ]);
    const night = await runNight(input, cwd, ["--timezone", "UTC", "--as-of", "2026-12-02"]);
    expect(night.result.code).toBe(1);
    expect(night.outcomes).toEqual(["invalid", "invalid", "invalid", "invalid", "applied"]);
    expect(night.rows.get(2)?.message).toBe(
      'unreadable date "31/12/2026": not a date: write 2026-12-31, or 2026-12-31T17:00:00-05:00 for a moment',
    );
    expect(night.rows.get(3)?.message).toMatch(/^unreadable date "2026-02-30": no such day: 2026-02-30$/);
    expect(night.rows.get(4)?.message).toMatch(/no such time/);
    expect(night.rows.get(5)?.message).toMatch(/no such UTC offset: \+19:00/);
    expect(night.changes).toEqual({ ...NO_CHANGES, put_status: 1 });
    expect(Object.keys(live().stats().putsByUser)).toEqual(["u-eve"]);
  });

  it.each([
    {
      what: "an unknown zone",
      flags: ["--timezone", "Mars/Olympus_Mons", "--as-of", "2026-12-01"],
      says: /Mars\/Olympus_Mons/,
    },
    {
      what: "--as-of in words",
      flags: ["--timezone", "UTC", "--as-of", "next friday"],
      says: /--as-of next friday.*not a date/,
    },
    {
      what: "--as-of on no such day",
      flags: ["--timezone", "UTC", "--as-of", "2026-13-01"],
      says: /no such day: 2026-13-01/,
    },
  ])("$what is a usage error: exit 2, and not even a token is asked for", async ({ flags, says }) => {
    await startSim([member("ann")]);
    const cwd = tempDir();
    const input = writeInput(cwd, "email,action,effective_date", ["ann@acme.example,deactivate,"]);
    const night = await runNight(input, cwd, flags);
    expect(night.result.code).toBe(2);
    expect(night.result.stderr).toMatch(says);
    expect(live().stats().requests).toBe(0);
    expect(night.rows.size).toBe(0);
    expect(live().user("ann@acme.example")?.status).toBe("active");
  });
});

describe("the guards count only rows that are due", () => {
  it.each([
    {
      action: "delete",
      cell: ",maria@acme.example",
      guard: [] as string[],
      stop: /would delete or disassociate 3 users, more than the limit of 0 \(--max-deletions\)/,
    },
    {
      action: "deactivate",
      cell: ",",
      guard: ["--max-deactivations", "2"],
      stop: /would deactivate 3 users, more than the limit of 2 \(--max-deactivations\)/,
    },
  ])(
    "three future $action rows run clean before their day and stop the run on it",
    async ({ action, cell, guard, stop }) => {
      await startSim([member("maria"), member("ann"), member("bea"), member("cid")]);
      const cwd = tempDir();
      const input = writeInput(
        cwd,
        "email,action,effective_date,transfer_to",
        ["ann", "bea", "cid"].map((name) => `${email(name)},${action},2026-12-20${cell}`),
      );
      const args = ["--timezone", "Europe/Berlin", ...guard];

      const before = await runNight(input, cwd, [...args, "--as-of", "2026-12-19T02:00"]);
      expect(before.result.code).toBe(0);
      expect(before.outcomes).toEqual(["scheduled", "scheduled", "scheduled"]);
      expect(before.changes).toEqual(NO_CHANGES);
      expect(before.json?.outcomes).toMatchObject({ scheduled: 3, not_attempted: 0 });

      const onTheDay = await runNight(input, cwd, [...args, "--as-of", "2026-12-20T02:00"]);
      expect(onTheDay.result.code).toBe(3);
      expect(onTheDay.json?.stop_reason).toMatch(stop);
      expect(onTheDay.outcomes).toEqual(["not_attempted", "not_attempted", "not_attempted"]);
      expect(onTheDay.changes).toEqual(NO_CHANGES);
      expect(
        live()
          .allUsers()
          .map((user) => [user.email, user.status]),
      ).toEqual(["maria", "ann", "bea", "cid"].map((name) => [email(name), "active"]));
    },
  );
});

describe("a dry run as of a later moment previews that night", () => {
  it("lists what would apply then and what is still to come, earliest first, and sends nothing", async () => {
    await startSim(["ann", "bea", "cid", "dan", "eve"].map((name) => member(name)));
    const cwd = tempDir();
    const input = writeInput(cwd, "email,action,last_day", [
      "ann@acme.example,deactivate,2026-12-20", // 2: third to come
      "bea@acme.example,deactivate,2026-12-04", // 3: due on Friday
      "cid@acme.example,deactivate,2026-12-08", // 4: first to come
      "dan@acme.example,deactivate,2026-12-01", // 5: already due
      "eve@acme.example,deactivate,2026-12-10", // 6: second to come
    ]);
    // What will Friday night's run do?
    const night = await runNight(
      input,
      cwd,
      ["--dry-run", "--timezone", "Europe/Berlin", "--as-of", "2026-12-04T02:15"],
      false,
    );
    expect(night.result.code).toBe(0);
    expect(night.outcomes).toEqual(["scheduled", "would_apply", "scheduled", "would_apply", "scheduled"]);
    const out = night.result.stdout;
    expect(out).toMatch(/scheduled for later\s+3\n/);
    expect(out).toMatch(
      new RegExp(
        [
          String.raw`scheduled for later \(3\):`,
          String.raw`\s+line 4\s+deactivate\s+cid@acme\.example\s+due 2026-12-08 00:00 Europe/Berlin \(in 4 days\)`,
          String.raw`\s+line 6\s+deactivate\s+eve@acme\.example\s+due 2026-12-10 00:00 Europe/Berlin \(in 6 days\)`,
          String.raw`\s+line 2\s+deactivate\s+ann@acme\.example\s+due 2026-12-20 00:00 Europe/Berlin \(in 16 days\)`,
        ].join("\n"),
      ),
    );
    expect(out).toMatch(
      /would apply \(dry run\) \(2\):\n\s+line 3\s+deactivate\s+bea@acme\.example[^\n]*\n\s+line 5\s+deactivate\s+dan@acme\.example/,
    );
    expect(night.changes).toEqual(NO_CHANGES);
    expect(
      live()
        .allUsers()
        .filter((user) => user.status !== "active"),
    ).toEqual([]);
  });
});

describeWith("script", "the confirmation on a terminal", () => {
  it("shows the rows to come, earliest first, under the plan", async () => {
    await startSim(["ann", "bea", "cid"].map((name) => member(name)));
    const cwd = tempDir();
    const input = writeInput(cwd, "email,action,effective_date", [
      "ann@acme.example,deactivate,2026-12-20",
      "bea@acme.example,deactivate,2026-12-01",
      "cid@acme.example,deactivate,2026-12-08",
    ]);
    const report = join(cwd, "report.csv");
    // Answering something other than the number declines: the plan is all this test wants to see.
    const { code, screen } = await runOnTerminal(
      ["run", input, "--report", report, "--timezone", "Europe/Berlin", "--as-of", "2026-12-04T02:15"],
      { cwd, env: cliEnv(live()), answer: "no" },
    );
    expect(code).toBe(3);
    expect(screen).toMatch(
      /scheduled for later 2 \(nothing is sent for them now\); the next:\r?\n\s+2026-12-08 00:00 Europe\/Berlin \(in 4 days\)\s+deactivate\s+cid@acme\.example \(line 4\)\r?\n\s+2026-12-20 00:00 Europe\/Berlin \(in 16 days\)\s+deactivate\s+ann@acme\.example \(line 2\)/,
    );
    expect(screen).toMatch(/Type 1 to go ahead with 1 deactivation/);
    expect(live().stats().statusPuts).toBe(0);
  });
});
