import { spawnSync } from "node:child_process";
import {
  appendFileSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { hostname } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import type { Simulator } from "../../src/sim/server.js";
import { expectEveryRowOnce, faultScenario, startRun, summaryOf, until } from "../faults/harness.js";
import { cliBaseEnv, readReport, startCli } from "../helpers/run-cli.js";
import { cliEnv } from "../helpers/sim-env.js";

let sim: Simulator | undefined;
afterEach(async () => {
  await sim?.close();
  sim = undefined;
});

describe("--resume against another file", () => {
  it("is refused (exit 2, nothing sent) naming both files; --force carries over only rows with the same content", async () => {
    const scenario = await faultScenario(6, { lightRps: 100 });
    sim = scenario.sim;
    const first = scenario.nextReport();
    expect((await startRun(scenario, ["--report", first]).done).code).toBe(0);
    appendFileSync(scenario.input, "user6@example.com,activate\n"); // now a conflict with line 7
    const before = sim.stats();

    const refused = await startRun(scenario, ["--report", scenario.nextReport(), "--resume", first]).done;
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain(scenario.input);
    expect(refused.stderr).toContain(first);
    expect(refused.stderr).toContain("--force");
    expect(sim.stats().requests).toBe(before.requests); // not even a token request
    expect(readdirSync(join(scenario.cwd, "reports")).filter((name) => name.startsWith("r2"))).toEqual([]);

    const forced = scenario.nextReport();
    const result = await startRun(scenario, ["--report", forced, "--resume", first, "--force"]).done;
    expect(result.code).toBe(1); // the new conflict
    expect(summaryOf(result)).toMatchObject({ carried_over: 5, requests: 0 });
    const rows = readReport(forced);
    expect(rows.map((row) => `${row.line} ${row.outcome}`)).toEqual([
      "2 applied",
      "3 applied",
      "4 applied",
      "5 applied",
      "6 applied",
      "7 conflict",
      "8 conflict",
    ]);
    expect(rows.find((row) => row.line === "7")?.message).toMatch(/both actions/); // not carried: now a conflict
  }, 60_000);

  it("without the .meta.json sidecar: warns and matches rows by content", async () => {
    const scenario = await faultScenario(5, { lightRps: 100 });
    sim = scenario.sim;
    const first = scenario.nextReport();
    expect((await startRun(scenario, ["--report", first]).done).code).toBe(0);
    rmSync(`${first}.meta.json`);
    const second = scenario.nextReport();
    const result = await startRun(scenario, ["--report", second, "--resume", first]).done;
    expect(result.code).toBe(0);
    expect(result.stderr).toContain("no .meta.json");
    expect(summaryOf(result)).toMatchObject({ carried_over: 5, requests: 0, resumed_from: first });
  }, 60_000);

  it("refuses a report that is not one of ours (exit 2)", async () => {
    const scenario = await faultScenario(3, { lightRps: 100 });
    sim = scenario.sim;
    const result = await startRun(scenario, ["--resume", scenario.input]).done;
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/not a zoom-offboard report/);
  }, 60_000);
});

/** The run locks a run of `scenario` takes: its report directory's, and its input's (in the CLI's TMPDIR). */
function locksOf(cwd: string): string[] {
  const tmp = cliBaseEnv().TMPDIR ?? "";
  return [
    ...(existsSync(join(cwd, "reports", ".zoom-offboard.lock"))
      ? [join(cwd, "reports", ".zoom-offboard.lock")]
      : []),
    ...readdirSync(tmp).filter((name) => name.startsWith("zoom-offboard-input-") && name.endsWith(".lock")),
  ];
}

describe("run lock and signals", () => {
  it("one Ctrl-C: requests in flight finish and decide their rows, the rest are not_attempted, exit 3, no lock left", async () => {
    const rows = 60;
    const scenario = await faultScenario(rows, { lightRps: 100, latencyMs: 400 });
    sim = scenario.sim;
    const report = scenario.nextReport();
    const run = startRun(scenario, ["--tier", "custom", "--rps", "20", "--report", report]);
    const s = sim;
    await until(() => s.stats().statusChangesApplied >= 5, "5 changes applied before Ctrl-C");
    run.child.kill("SIGINT");
    const result = await run.done;
    expect(result.code).toBe(3);
    expect(summaryOf(result)).toMatchObject({
      stopped_early: true,
      stop_reason: expect.stringMatching(/SIGINT/),
    });
    const records = expectEveryRowOnce(report, rows);
    const applied = records.filter((row) => row.outcome === "applied");
    // Every change Zoom made is reported applied (none lost in flight), and nothing else was sent.
    expect(applied).toHaveLength(s.stats().statusChangesApplied);
    expect(s.stats().statusPuts).toBe(applied.length);
    expect(records.filter((row) => row.outcome !== "applied" && row.outcome !== "not_attempted")).toEqual([]);
    expect(records.filter((row) => row.outcome === "not_attempted").length).toBeGreaterThan(0);
    expect(locksOf(scenario.cwd)).toEqual([]);
  }, 60_000);

  it("two runs of different files into one report directory: the second stops with exit 2, nothing sent", async () => {
    const scenario = await faultScenario(40, { lightRps: 100, latencyMs: 300 });
    sim = scenario.sim;
    const run = startRun(scenario, ["--tier", "custom", "--rps", "20", "--report", scenario.nextReport()]);
    const s = sim;
    await until(() => s.stats().statusChangesApplied >= 1, "the first run sending");
    const other = join(scenario.cwd, "other.csv");
    writeFileSync(other, "email,action\nuser1@example.com,deactivate\n");
    const second = await startCli(
      ["run", other, "--yes", "--report", join(scenario.cwd, "reports", "o.csv")],
      {
        env: cliEnv(s),
        cwd: scenario.cwd,
      },
    ).done;
    expect(second.code).toBe(2);
    expect(second.stderr).toMatch(new RegExp(`another run is going: pid ${run.child.pid} on `));
    expect(second.stderr).toContain(".zoom-offboard.lock");
    expect(existsSync(join(scenario.cwd, "reports", "o.csv"))).toBe(false);
    run.child.kill("SIGINT");
    expect((await run.done).code).toBe(3);
    // The refused run sent nothing, not even a token request: the one token is the first run's.
    expect(s.stats().tokenRequests).toBe(1);
  }, 60_000);

  it("a lock left by a run that died is taken over, with a warning, and the run goes on", async () => {
    const scenario = await faultScenario(5, { lightRps: 100 });
    sim = scenario.sim;
    // A pid that surely belongs to no process any more: one that has just exited.
    const dead = spawnSync(process.execPath, ["-e", "0"]).pid;
    mkdirSync(join(scenario.cwd, "reports"), { recursive: true });
    const lock = join(scenario.cwd, "reports", ".zoom-offboard.lock");
    const bootId = existsSync("/proc/sys/kernel/random/boot_id")
      ? readFileSync("/proc/sys/kernel/random/boot_id", "utf8").trim()
      : null;
    writeFileSync(
      lock,
      `${JSON.stringify({ pid: dead, started_at: "2026-01-01T02:15:00.000Z", host: hostname(), boot_id: bootId, input: scenario.input, report_dir: "reports" })}\n`,
    );
    const result = await startRun(scenario, ["--report", scenario.nextReport()]).done;
    expect(result.code).toBe(0);
    expect(result.stderr).toContain("taking over a lock left by a run that died");
    expect(summaryOf(result)).toMatchObject({ outcomes: { applied: 5 } });
    expect(existsSync(lock)).toBe(false);
  }, 60_000);

  it("a second run on the same input stops with exit 2 naming the first; a second Ctrl-C quits at once, unlocks, and resume finishes", async () => {
    const rows = 60;
    const scenario = await faultScenario(rows, { lightRps: 100, latencyMs: 5000 });
    sim = scenario.sim;
    const first = scenario.nextReport();
    const run = startRun(scenario, ["--tier", "custom", "--rps", "20", "--report", first]);
    const s = sim;
    await until(() => s.stats().statusChangesApplied >= 5, "5 changes applied before Ctrl-C");

    // Same input, another report directory: still refused, by the input's lock.
    const other = join(scenario.cwd, "elsewhere", "r.csv");
    const second = await startRun(scenario, ["--report", other]).done;
    expect(second.code).toBe(2);
    expect(second.stderr).toMatch(
      new RegExp(`another run is going: pid ${run.child.pid} on .*, started \\d{4}-`),
    );
    expect(existsSync(other)).toBe(false);

    // Ctrl-C twice: the first drains (requests take 5 s), the second leaves at once, without waiting for them.
    run.child.kill("SIGINT");
    await new Promise((resolve) => setTimeout(resolve, 100));
    const secondAt = Date.now();
    run.child.kill("SIGINT");
    const result = await run.done;
    expect(Date.now() - secondAt).toBeLessThan(2500);
    expect(result.code).toBe(3);
    const written = readReport(first);
    expect(written.length).toBeLessThan(rows); // rows in flight stay out of the report…
    // …both locks are released (the report directory's and the input's)…
    expect(locksOf(scenario.cwd)).toEqual([]);

    // …and a resume (no lock left behind) decides them.
    const last = scenario.nextReport();
    const resumed = await startRun(scenario, [
      "--tier",
      "custom",
      "--rps",
      "100",
      "--concurrency",
      "60",
      "--report",
      last,
      "--resume",
      first,
    ]).done;
    expect(resumed.code).toBe(0);
    expect(expectEveryRowOnce(last, rows).filter((row) => row.outcome !== "applied")).toEqual([]);
  }, 60_000);
});
