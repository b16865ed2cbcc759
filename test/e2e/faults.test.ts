import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { type Simulator, type SimulatorOptions, startSimulator } from "../../src/sim/server.js";
import { expectEveryRowOnce, runCli, startCli, tempDir } from "../helpers/run-cli.js";
import { cliEnv, generatedInput, TEST_CREDENTIALS } from "../helpers/sim-env.js";
import { until } from "../helpers/wait.js";

// Each scenario: the real CLI over real HTTP against a simulator told to misbehave in one way.
let sim: Simulator | undefined;
afterEach(async () => {
  await sim?.close();
  sim = undefined;
});

async function scenario(rows: number, options: SimulatorOptions) {
  sim = await startSimulator({ credentials: TEST_CREDENTIALS, generateUsers: rows, ...options });
  const cwd = tempDir();
  const input = join(cwd, "people.csv");
  writeFileSync(input, generatedInput(rows));
  return { sim, cwd, input, report: join(cwd, "report.csv") };
}

describe("faults the run must absorb", () => {
  it("10% 5xx, dropped connections and lost responses: every row ends applied", async () => {
    const { sim, input, report, cwd } = await scenario(150, {
      tier: "business",
      faults: { serverErrorRate: 0.1, dropRate: 0.05, lostResponseRate: 0.05 },
      seed: 7,
    });
    const result = await runCli(
      [
        "run",
        "--yes",
        "--max-deactivations",
        "10000",
        input,
        "--tier",
        "business",
        "--report",
        report,
        "--timeout",
        "2000",
        "--max-attempts",
        "8",
        "--json",
      ],
      { env: cliEnv(sim), cwd },
    );
    expect(result.stderr).not.toContain("internal error");
    expect(result.code).toBe(0);
    const records = expectEveryRowOnce(report, 150);
    expect(records.filter((row) => row.outcome !== "applied")).toEqual([]);
    // Retries happened, so the faults were real; and every user really is inactive now.
    expect(Math.max(...records.map((row) => Number(row.attempts)))).toBeGreaterThan(1);
    // Retried rows finished late, yet the finished report is in input order.
    expect(records.map((row) => Number(row.line))).toEqual(Array.from({ length: 150 }, (_, i) => i + 2));
    for (let n = 1; n <= 150; n += 1) expect(sim.user(`user${n}@example.com`)?.status).toBe("inactive");
    expect(sim.stats().concurrentSameUser).toBe(0);
  });

  it("tokens that expire every 2 s and a revocation mid-run: no row fails, one refresh at a time", async () => {
    const { sim, input, report, cwd } = await scenario(120, {
      tier: "pro",
      tokenLifetimeSec: 2,
      tokenLatencyMs: 150,
    });
    const run = startCli(
      ["run", "--yes", "--max-deactivations", "10000", input, "--rps", "30", "--report", report],
      {
        env: cliEnv(sim),
        cwd,
      },
    );
    // Revoked once a quarter of the rows are done: the token in use becomes invalid in the middle of the run.
    await until(() => sim.stats().statusChangesApplied >= 30, "30 changes applied before the revocation");
    const atRevocation = sim.stats();
    sim.revokeTokens();
    const result = await run.done;
    expect(result.code).toBe(0);
    const records = expectEveryRowOnce(report, 120);
    expect(records.filter((row) => row.outcome !== "applied")).toEqual([]);
    const stats = sim.stats();
    expect(atRevocation.statusChangesApplied).toBeLessThan(120);
    // Requests made with the revoked token were refused (401, code 124), and the run got a new one.
    expect(stats.tokenExpiredAnswers).toBeGreaterThan(atRevocation.tokenExpiredAnswers);
    expect(stats.tokenRequests).toBeGreaterThan(atRevocation.tokenRequests);
    expect(stats.maxConcurrentTokenRequests).toBe(1);
    // 4 s of run with 2 s tokens and a revocation: several refreshes, but not one per row.
    expect(stats.tokenRequests).toBeGreaterThanOrEqual(3);
    expect(stats.tokenRequests).toBeLessThan(20);
  });

  it("a 429 storm from a budget smaller than --rps: every row still ends applied", async () => {
    const { sim, input, report, cwd } = await scenario(40, { tier: "pro", lightRps: 8 });
    const result = await runCli(
      ["run", "--yes", "--max-deactivations", "10000", input, "--rps", "30", "--report", report, "--json"],
      {
        env: cliEnv(sim),
        cwd,
      },
    );
    expect(result.code).toBe(0);
    const records = expectEveryRowOnce(report, 40);
    expect(records.filter((row) => row.outcome !== "applied")).toEqual([]);
    const summary = JSON.parse(result.stdout) as { rate_limited: number };
    expect(sim.stats().tooManyRequests).toBeGreaterThan(0);
    expect(summary.rate_limited).toBe(sim.stats().tooManyRequests);
  });

  it("the daily limit: exit 3, nothing sent after it, the rest not_attempted, the reset time said", async () => {
    const { sim, input, report, cwd } = await scenario(30, { tier: "free", dailyLightLimit: 10 });
    const result = await runCli(
      ["run", "--yes", "--max-deactivations", "10000", input, "--tier", "free", "--report", report, "--json"],
      {
        env: cliEnv(sim),
        cwd,
      },
    );
    expect(result.code).toBe(3);
    const records = expectEveryRowOnce(report, 30);
    const applied = records.filter((row) => row.outcome === "applied");
    expect(applied).toHaveLength(10);
    expect(records.filter((row) => row.outcome === "not_attempted")).toHaveLength(20);
    expect(sim.stats().dailyLimited).toBe(1);
    const summary = JSON.parse(result.stdout) as { stopped_early: boolean; stop_reason: string };
    expect(summary.stopped_early).toBe(true);
    expect(summary.stop_reason).toMatch(/daily rate limit.*resets at \d{4}-\d{2}-\d{2}T00:00:00/);
  });

  it("SIGTERM mid-run: in-flight rows finish, the rest are not_attempted, exit 3, complete report", async () => {
    const { sim, input, report, cwd } = await scenario(200, { tier: "pro", latencyMs: 30 });
    const run = startCli(
      ["run", "--yes", "--max-deactivations", "10000", input, "--report", report, "--json"],
      { env: cliEnv(sim), cwd },
    );
    // Wait until some rows were applied, then ask it to stop.
    for (let i = 0; i < 200 && sim.stats().statusChangesApplied < 20; i += 1) {
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    run.child.kill("SIGTERM");
    const result = await run.done;
    expect(result.code).toBe(3);
    const records = expectEveryRowOnce(report, 200);
    const applied = records.filter((row) => row.outcome === "applied").length;
    const notAttempted = records.filter((row) => row.outcome === "not_attempted").length;
    expect(applied).toBeGreaterThanOrEqual(20);
    expect(notAttempted).toBeGreaterThan(0);
    expect(applied + notAttempted).toBe(200);
    // The report agrees with Zoom: exactly the rows marked applied were changed.
    expect(sim.stats().statusChangesApplied).toBe(applied);
    expect(JSON.parse(result.stdout)).toMatchObject({ stopped_early: true, exit_code: 3 });
  });
});
