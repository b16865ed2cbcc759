import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Simulator, startSimulator } from "../../src/sim/server.js";
import { byLine, FIXTURES, ROOT, readReport, runCli, tempDir } from "../helpers/run-cli.js";
import { cliEnv, TEST_CREDENTIALS } from "../helpers/sim-env.js";

// The real CLI over real HTTP against the simulator on loopback.
let sim: Simulator;
beforeAll(async () => {
  sim = await startSimulator({ credentials: TEST_CREDENTIALS, generateUsers: 20 });
});
afterAll(async () => {
  await sim.close();
});

describe("zoom-offboard --help / --version", () => {
  it("documents every run option, each of them also in README's table of run options", async () => {
    const result = await runCli(["run", "--help"]);
    expect(result.code).toBe(0);
    const inHelp = new Set(result.stdout.match(/(?<=^\s*(?:-\w, )?)--[a-z-]+/gm) ?? []);
    const readme = readFileSync(join(ROOT, "README.md"), "utf8");
    const start = readme.indexOf("### `run` options");
    const table = readme.slice(start, readme.indexOf("\n### ", start));
    const inReadme = new Set(table.match(/(?<=^\| `)--[a-z-]+/gm) ?? []);
    // --help itself is commander's; every other flag is documented in both places.
    inHelp.delete("--help");
    expect([...inHelp].sort()).toEqual([...inReadme].sort());
    expect(inHelp.size).toBeGreaterThanOrEqual(23);
  });

  it("prints the version of package.json", async () => {
    const result = await runCli(["--version"]);
    expect(result.code).toBe(0);
    const pkg = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as { version: string };
    expect(result.stdout.trim()).toBe(pkg.version);
  });

  it("simulate exits 2 on a usage error too", async () => {
    const unknown = await runCli(["simulate", "--bogus"]);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain("unknown option");
    expect((await runCli(["simulate", "--tier", "gold"])).code).toBe(2);
  });

  it("exits 2 on an unknown option, sending nothing", async () => {
    const result = await runCli(["run", "--yes", join(FIXTURES, "clean.csv"), "--frobnicate"]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("unknown option");
  });
});

describe("files that cannot be read", () => {
  it.each([
    ["binary.csv", /binary\.csv:\d+: .*(binary|UTF-8)/i],
    ["utf16.csv", /utf16\.csv:1: .*(binary|UTF-8)/i],
    ["empty.csv", /empty\.csv:1: /],
    ["missing-user-column.csv", /missing-user-column\.csv:1: .*user_id/],
    ["unclosed-quote.csv", /unclosed-quote\.csv:4: /],
    ["does-not-exist.csv", /does-not-exist\.csv/],
  ])("%s: exit 2, no request at all, no report", async (name, message) => {
    sim.resetStats();
    const cwd = tempDir();
    const result = await runCli(["run", "--yes", join(FIXTURES, name)], { env: cliEnv(sim), cwd });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(message);
    expect(sim.stats().requests).toBe(0);
    expect(existsSync(join(cwd, "reports")) ? readdirSync(join(cwd, "reports")) : []).toEqual([]);
  });
});

describe("a header and no rows", () => {
  it("is a valid, empty batch: exit 0, an empty report, nothing sent", async () => {
    sim.resetStats();
    const cwd = tempDir();
    const report = join(cwd, "r.csv");
    const result = await runCli(["run", "--yes", join(FIXTURES, "header-only.csv"), "--report", report], {
      env: cliEnv(sim),
      cwd,
    });
    expect(result.code).toBe(0);
    expect(readReport(report)).toEqual([]);
    expect(sim.stats().statusPuts).toBe(0);
  });
});

describe("configuration errors", () => {
  it("bad credentials: exit 2, zero PUTs, and the secret is printed nowhere", async () => {
    sim.resetStats();
    const cwd = tempDir();
    const wrongSecret = "wR0ng-sEcReT-do-not-print-91c2";
    const result = await runCli(["run", "--yes", join(FIXTURES, "clean.csv"), "--log-level", "trace"], {
      env: cliEnv(sim, { ZOOM_CLIENT_SECRET: wrongSecret }),
      cwd,
    });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/credentials|invalid_client/i);
    expect(sim.stats().statusPuts).toBe(0);
    expect(sim.stats().tokenRequests).toBe(1);
    expect(result.stdout + result.stderr).not.toContain(wrongSecret);
    expect(result.stdout + result.stderr).not.toContain(
      Buffer.from(`${TEST_CREDENTIALS.clientId}:${wrongSecret}`).toString("base64"),
    );
    expect(existsSync(join(cwd, "reports"))).toBe(false);
  });

  it("a real run without credentials: exit 2 and no request", async () => {
    sim.resetStats();
    const result = await runCli(["run", "--yes", join(FIXTURES, "clean.csv"), "--api-url", sim.apiUrl]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("ZOOM_ACCOUNT_ID");
    expect(sim.stats().requests).toBe(0);
  });

  it.each<{ what: string; args: string[]; env: Record<string, string> }>([
    { what: "--api-url", args: ["--api-url", "http://zoom.example.invalid/v2"], env: {} },
    { what: "--oauth-url", args: ["--oauth-url", "http://zoom.example.invalid/oauth/token"], env: {} },
    { what: "ZOOM_API_URL", args: [], env: { ZOOM_API_URL: "http://zoom.example.invalid/v2" } },
    { what: "ZOOM_OAUTH_URL", args: [], env: { ZOOM_OAUTH_URL: "http://zoom.example.invalid/oauth/token" } },
  ])(
    "plain http:// for a host that is not loopback ($what): exit 2 and nothing sent",
    async ({ what, args, env }) => {
      // Its own simulator: the other URL points at it, so any request the run made would show up in its stats.
      const own = await startSimulator({ credentials: TEST_CREDENTIALS, generateUsers: 3 });
      try {
        const cwd = tempDir();
        const result = await runCli(["run", "--yes", join(FIXTURES, "clean.csv"), ...args], {
          env: cliEnv(own, env),
          cwd,
        });
        expect(result.code).toBe(2);
        expect(result.stderr).toContain(`\`${what}\` to use https://`);
        expect(result.stderr).toContain("unencrypted");
        expect(own.stats().requests).toBe(0);
        expect(existsSync(join(cwd, "reports"))).toBe(false);
      } finally {
        await own.close();
      }
    },
  );

  it("a file without an action column needs --action", async () => {
    sim.resetStats();
    const result = await runCli(["run", "--yes", join(FIXTURES, "no-action-column.csv")], {
      env: cliEnv(sim),
    });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("--action");
    expect(sim.stats().requests).toBe(0);
  });

  it("--rps above the tier's limit is a usage error", async () => {
    const result = await runCli(
      ["run", "--yes", join(FIXTURES, "clean.csv"), "--tier", "free", "--rps", "5"],
      {
        env: cliEnv(sim),
      },
    );
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("--tier custom");
  });
});

describe("a batch with bad rows", () => {
  it("reports invalid, duplicate and conflicting rows exactly once and never sends them", async () => {
    const cwd = tempDir();
    const input = join(cwd, "mixed.csv");
    writeFileSync(
      input,
      [
        "email,action",
        "user1@example.com,deactivate", // 2 applied
        "USER1@example.com,deactivate", // 3 duplicate of 2 (emails are case-insensitive)
        "user2@example.com,deactivate", // 4 conflict
        "user2@example.com,activate", // 5 conflict
        "me,deactivate", // 6 invalid
        "../../accounts/x,deactivate", // 7 invalid
        "a/b,deactivate", // 8 invalid
        "=cmd|' /C calc'!A0,deactivate", // 9 invalid, escaped in the report
        "user3@example.com,suspend", // 10 invalid action
        "'tricky+tag'@example.com,deactivate", // 11 valid, unknown to Zoom: must arrive encoded and decoded intact
        "user4@example.com,deactivate", // 12 applied
      ].join("\n"),
    );
    sim.resetStats();
    const report = join(cwd, "out.csv");
    // Without look-ups, so that the unknown user's PUT shows how its value travels in the path.
    const result = await runCli(["run", "--yes", input, "--lookup", "none", "--report", report, "--json"], {
      env: cliEnv(sim),
      cwd,
    });
    expect(result.code).toBe(1);
    const rows = byLine(readReport(report));
    expect([...rows.keys()].sort((a, b) => a - b)).toEqual([2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
    const outcome = (line: number) => rows.get(line)?.outcome;
    expect([2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12].map(outcome)).toEqual([
      "applied",
      "duplicate",
      "conflict",
      "conflict",
      "invalid",
      "invalid",
      "invalid",
      "invalid",
      "invalid",
      "not_found",
      "applied",
    ]);
    expect(rows.get(3)?.message).toContain("line 2");
    expect(rows.get(9)?.user_id).toBe("'=cmd|' /C calc'!A0");
    expect(rows.get(11)?.message).toContain("'tricky+tag'@example.com");
    // Only the three valid, unique rows reached Zoom; nothing was sent for the rest.
    const stats = sim.stats();
    expect(stats.statusPuts).toBe(3);
    expect(
      stats.log
        .filter((entry) => entry.route === "put_status")
        .map((entry) => entry.user)
        .sort(),
    ).toEqual(
      // The simulator logs known users by their canonical id, and unknown values as they arrived, decoded.
      [
        "'tricky+tag'@example.com",
        sim.user("user1@example.com")?.id,
        sim.user("user4@example.com")?.id,
      ].sort(),
    );
    const summary = JSON.parse(result.stdout) as Record<string, unknown>;
    expect(summary).toMatchObject({
      rows: 11,
      exit_code: 1,
      report,
      stopped_early: false,
      stop_reason: null,
      outcomes: {
        applied: 2,
        duplicate: 1,
        conflict: 2,
        invalid: 5,
        not_found: 1,
        failed: 0,
        not_attempted: 0,
      },
    });
    expect(typeof summary.duration_ms).toBe("number");
    // Two changes a few milliseconds apart are two in a second, not a pace over the limit.
    expect(summary.rate_rps).toBeGreaterThan(0);
    expect(summary.rate_rps).toBeLessThanOrEqual(2);
  });
});

describe("dry run without credentials", () => {
  it("checks the file offline: valid rows would_apply, nothing is sent, exit as for a real run", async () => {
    const cwd = tempDir();
    sim.resetStats();
    const result = await runCli(
      ["run", "--yes", join(FIXTURES, "demo.csv"), "--dry-run", "--json", "--api-url", sim.apiUrl],
      {
        cwd,
      },
    );
    expect(result.code).toBe(1); // the demo has invalid rows
    const summary = JSON.parse(result.stdout) as {
      outcomes: Record<string, number>;
      report: string;
      rows: number;
    };
    expect(summary.outcomes.would_apply).toBe(37);
    expect(summary.outcomes.applied).toBe(0);
    expect(sim.stats().requests).toBe(0);
    const rows = readReport(join(cwd, summary.report));
    // fixtures/demo.csv: 40 data rows.
    expect(summary.rows).toBe(40);
    expect(rows).toHaveLength(40);
    expect(rows.filter((row) => row.attempts !== "0")).toEqual([]);
  });
  it("holds the protect list offline too: listed users are protected, not would_apply", async () => {
    const cwd = tempDir();
    const protect = join(cwd, "protect.txt");
    writeFileSync(protect, "person01@acme.example\n*@acme.example\n");
    const report = join(cwd, "r.csv");
    const result = await runCli(
      ["run", join(FIXTURES, "demo.csv"), "--dry-run", "--protect", protect, "--report", report, "--json"],
      { cwd },
    );
    // The demo's invalid rows make it 1, as a real run would.
    expect(result.code).toBe(1);
    const summary = JSON.parse(result.stdout) as { outcomes: Record<string, number> };
    // Every valid demo row is an @acme.example address.
    expect(summary.outcomes.protected).toBe(37);
    expect(summary.outcomes.would_apply).toBe(0);
    expect(readReport(report).find((row) => row.user_id === "person01@acme.example")?.outcome).toBe(
      "protected",
    );
  });

  it("refuses a --report that is already there, exit 2, and leaves it as it was", async () => {
    const cwd = tempDir();
    const report = join(cwd, "r.csv");
    writeFileSync(report, "an earlier audit record\n");
    const result = await runCli(["run", join(FIXTURES, "demo.csv"), "--dry-run", "--report", report], {
      cwd,
    });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(
      `cannot create the report ${report}: it already exists (reports are never overwritten; choose another --report)`,
    );
    expect(readFileSync(report, "utf8")).toBe("an earlier audit record\n");
  });
});

describe("--simulate", () => {
  it("runs the file against an embedded simulator without credentials", async () => {
    const cwd = tempDir();
    const result = await runCli(["run", "--yes", join(FIXTURES, "clean.csv"), "--simulate", "--json"], {
      cwd,
    });
    expect(result.code).toBe(0);
    const summary = JSON.parse(result.stdout) as { outcomes: Record<string, number>; rows: number };
    // fixtures/clean.csv: 8 valid rows, every user made to exist in the opposite state.
    expect(summary).toMatchObject({ rows: 8, outcomes: { applied: 8 } });
    expect(result.stderr).toContain("running against the local simulator");
  });
});

describe("the demo (what npm start runs)", () => {
  it("--simulate --sim-users: every kind of outcome, exit 1 for the rows that need a person", async () => {
    const cwd = tempDir();
    const result = await runCli(
      [
        "run",
        join(FIXTURES, "demo.csv"),
        "--simulate",
        "--sim-users",
        join(FIXTURES, "demo-directory.csv"),
        "--yes",
        "--json",
      ],
      { cwd },
    );
    expect(result.code).toBe(1);
    const summary = JSON.parse(result.stdout) as { outcomes: Record<string, number>; report: string };
    expect(summary.outcomes).toEqual({
      applied: 30,
      already: 1,
      would_apply: 0,
      invalid: 2,
      duplicate: 1,
      conflict: 0,
      not_found: 1,
      rejected: 2,
      failed: 0,
      not_attempted: 0,
      // The owner, an admin, and a Zoom Rooms account the look-up recognises (Zoom would refuse it with code 200).
      protected: 3,
      irreversible: 0,
      scheduled: 0,
      superseded: 0,
      drifted: 0,
      unverified: 0,
    });
    expect(readReport(join(cwd, summary.report))).toHaveLength(40);
  });
});
