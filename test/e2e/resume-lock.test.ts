import { appendFileSync, existsSync, readdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import type { Simulator } from "../../src/sim/server.js";
import { expectEveryRowOnce, faultScenario, startRun, summaryOf, until } from "../faults/harness.js";
import { readReport } from "../helpers/run-cli.js";

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
    expect(rows.map((row) => row.outcome)).toEqual(
      expect.arrayContaining(["applied", "applied", "applied", "applied", "applied", "conflict", "conflict"]),
    );
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

describe("run lock and signals", () => {
  it("a second run on the same input stops with exit 2 naming the first; a second Ctrl-C quits at once, unlocks, and resume finishes", async () => {
    const rows = 60;
    const scenario = await faultScenario(rows, { lightRps: 100, latencyMs: 1500 });
    sim = scenario.sim;
    const first = scenario.nextReport();
    const run = startRun(scenario, ["--tier", "custom", "--rps", "20", "--report", first]);
    const s = sim;
    await until(() => s.stats().statusChangesApplied >= 5);

    // Same input, another report directory: still refused, by the input's lock.
    const other = join(scenario.cwd, "elsewhere", "r.csv");
    const second = await startRun(scenario, ["--report", other]).done;
    expect(second.code).toBe(2);
    expect(second.stderr).toMatch(
      new RegExp(`another run is going: pid ${run.child.pid} on .*, started \\d{4}-`),
    );
    expect(existsSync(other)).toBe(false);

    // Ctrl-C twice: the first drains (requests take 1.5 s), the second leaves at once.
    run.child.kill("SIGINT");
    await new Promise((resolve) => setTimeout(resolve, 100));
    run.child.kill("SIGINT");
    const result = await run.done;
    expect(result.code).toBe(3);
    const written = readReport(first);
    expect(written.length).toBeLessThan(rows); // rows in flight stay out of the report…
    expect(existsSync(join(scenario.cwd, "reports", ".zoom-offboard.lock"))).toBe(false);

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
    expect(expectEveryRowOnce(last, rows).every((row) => row.outcome === "applied")).toBe(true);
  }, 60_000);
});
