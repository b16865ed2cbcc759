import { existsSync } from "node:fs";
import { afterEach, describe, expect, it } from "vitest";
import type { Simulator } from "../../src/sim/server.js";
import {
  expectAllInactive,
  expectEveryRowOnce,
  expectNothingSentForFinalRows,
  faultScenario,
  seeded,
  startRun,
  summaryOf,
  until,
  wait,
} from "./harness.js";

let sim: Simulator | undefined;
afterEach(async () => {
  await sim?.close();
  sim = undefined;
});

// The headline: kill -9 at random points of a 1,000-row run, resume from the latest report each time.
// A fast custom tier keeps a full pass near 3 s. --concurrency 1 makes "at most one request whose answer is not
// on disk" exact, so the bound below is the documented one re-send per kill; with concurrency c it is c per kill.
describe("kill -9 and resume", () => {
  it("four kills at seeded points: every row once in the last report, all applied, ≤ one re-send per kill", async () => {
    const rows = 1000;
    const scenario = await faultScenario(rows, { lightRps: 400, latencyMs: 1 });
    sim = scenario.sim;
    const random = seeded(20261129);
    const args = ["--tier", "custom", "--rps", "400", "--concurrency", "1"];
    let latest: string | undefined;
    let kills = 0;
    const killedAt: number[] = [];

    for (let k = 0; k < 4; k += 1) {
      const report = scenario.nextReport();
      const target = sim.stats().statusChangesApplied + 60 + Math.floor(random() * 160);
      const run = startRun(scenario, [...args, "--report", report, ...(latest ? ["--resume", latest] : [])]);
      const s = sim;
      await until(
        () => s.stats().statusChangesApplied >= target,
        `${target} changes applied before the kill`,
      );
      await wait(random() * 5); // not always right after a row finished
      run.child.kill("SIGKILL");
      const result = await run.done;
      expect(result.signal).toBe("SIGKILL");
      kills += 1;
      killedAt.push(sim.stats().statusChangesApplied);
      // A killed run leaves its report cut short (maybe mid-line); the next one resumes from it.
      if (existsSync(report)) latest = report;
    }
    expect(killedAt.at(-1)).toBeLessThan(rows); // the kills really happened mid-run

    const last = scenario.nextReport();
    const putsWhileKilling = sim.stats().statusPuts;
    sim.resetStats();
    const result = await startRun(scenario, [...args, "--report", last, "--resume", latest ?? ""]).done;
    expect(result.code).toBe(0);
    const summary = summaryOf(result);
    expect(summary).toMatchObject({ resumed_from: latest, exit_code: 0, rows });
    expect(summary.carried_over as number).toBeGreaterThan(0);

    const records = expectEveryRowOnce(last, rows);
    expect(records.filter((row) => row.outcome !== "applied")).toEqual([]);
    expect(records.filter((row) => row.message.startsWith("carried over from ")).length).toBe(
      summary.carried_over,
    );
    expectAllInactive(sim, rows);
    // The final run sent nothing for rows the killed runs had recorded as final.
    expectNothingSentForFinalRows([sim], latest, rows);
    // Every PUT of all five runs: one per row, plus at most one re-send per kill (the row in flight when it hit).
    const puts = putsWhileKilling + sim.stats().statusPuts;
    expect(puts).toBeGreaterThanOrEqual(rows);
    expect(puts).toBeLessThanOrEqual(rows + kills);
  }, 120_000);
});
