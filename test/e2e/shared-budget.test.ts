import { existsSync, mkdirSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { type Simulator, type SimulatorOptions, startSimulator } from "../../src/sim/server.js";
import { maxLightInWindow } from "../helpers/arrivals.js";
import { freePort, type RedisServer, startRedisServer } from "../helpers/redis-server.js";
import { byLine, type CliResult, readReport, startCli, tempDir } from "../helpers/run-cli.js";
import { cliEnv, TEST_CREDENTIALS } from "../helpers/sim-env.js";
import { describeWith } from "../helpers/system-tools.js";

// Several `run` processes against one simulator, sharing one Light budget through a real redis-server. The budget
// is small (50/s) so that a few hundred rows make full windows; the precise rates go to the benchmark.
const BUDGET = 50;
/** No terminal to confirm on, more deactivations than the default guard, and only the PUTs (no look-ups). */
const REAL_RUN = ["--yes", "--max-deactivations", "10000", "--lookup", "none"];

let sim: Simulator | undefined;
let redis: RedisServer | undefined;
afterEach(async () => {
  await sim?.close();
  await redis?.stop();
  sim = undefined;
  redis = undefined;
});

interface Summary {
  rate_rps: number;
  requests: number;
  rate_limited: number;
  min_rps: number;
  rate_changes: number;
  stop_reason: string | null;
}

/** Users from..to of the simulator's generated directory, one file per runner. */
function rangeInput(dir: string, name: string, from: number, to: number): string {
  const lines = ["email,action"];
  for (let n = from; n <= to; n += 1) lines.push(`user${n}@example.com,deactivate`);
  const path = join(dir, `${name}.csv`);
  writeFileSync(path, `${lines.join("\n")}\n`);
  return path;
}

async function startAll(
  runners: number,
  rowsEach: number,
  simOptions: SimulatorOptions,
  extraArgs: string[] = [],
): Promise<{ results: CliResult[]; reports: string[]; simulator: Simulator }> {
  const simulator = await startSimulator({
    credentials: TEST_CREDENTIALS,
    tier: "business",
    lightRps: BUDGET,
    generateUsers: runners * rowsEach,
    latencyMs: 40,
    latencyJitterMs: 20,
    seed: 11,
    ...simOptions,
  });
  sim = simulator;
  const server = await startRedisServer();
  redis = server;
  const cwd = tempDir();
  const reports: string[] = [];
  const runs = Array.from({ length: runners }, (_, i) => {
    const input = rangeInput(cwd, `part${i + 1}`, i * rowsEach + 1, (i + 1) * rowsEach);
    // Each runner its own report directory: the run lock (one run per report directory) is for runs of one file.
    const report = join(cwd, `runner${i + 1}`, "report.csv");
    mkdirSync(join(cwd, `runner${i + 1}`));
    reports.push(report);
    return startCli(
      [
        "run",
        ...REAL_RUN,
        input,
        "--tier",
        "custom",
        "--rps",
        String(BUDGET),
        "--report",
        report,
        "--json",
        ...extraArgs,
      ],
      { env: cliEnv(simulator, { ZOOM_OFFBOARD_REDIS_URL: server.url }), cwd },
    );
  });
  const results = await Promise.all(runs.map((run) => run.done));
  return { results, reports, simulator };
}

/** Status PUTs per second over the span from the first to the last, as the simulator saw them. */
function combinedRate(simulator: Simulator): number {
  const times = simulator
    .stats()
    .log.filter((entry) => entry.route === "put_status")
    .map((entry) => entry.atMs);
  const span = (Math.max(...times) - Math.min(...times)) / 1000;
  return (times.length - 1) / span;
}

// Several CLI processes and a Redis server on two cores: give each case room beyond the suite default.
describeWith(
  "redis-server",
  "one Light budget shared through Redis",
  () => {
    it.each([
      { runners: 2, rowsEach: 150 },
      { runners: 3, rowsEach: 100 },
    ])(
      "$runners runners at once: never over the budget together, every row applied",
      async ({ runners, rowsEach }) => {
        const { results, reports, simulator } = await startAll(runners, rowsEach, {});
        for (const result of results) expect(result.code, result.stderr).toBe(0);
        for (const report of reports) {
          const rows = readReport(report);
          expect(rows).toHaveLength(rowsEach);
          expect(rows.filter((row) => row.outcome !== "applied")).toEqual([]);
        }
        const stats = simulator.stats();
        expect(stats.statusChangesApplied).toBe(runners * rowsEach);
        // Together never over the budget (how close they come to it is the benchmark's figure).
        expect(maxLightInWindow(simulator)).toBeLessThanOrEqual(BUDGET);
        expect(stats.concurrentSameUser).toBe(0);
        expect(combinedRate(simulator)).toBeLessThanOrEqual(BUDGET);
      },
    );

    it("an other app using 40 % of the budget: all applied, few 429s, the rate yields to what is left", async () => {
      const { results, reports, simulator } = await startAll(2, 150, { otherAppShare: 0.4 });
      for (const result of results) expect(result.code, result.stderr).toBe(0);
      for (const report of reports)
        expect(readReport(report).filter((row) => row.outcome !== "applied")).toEqual([]);
      const stats = simulator.stats();
      expect(stats.statusChangesApplied).toBe(300);
      expect(stats.tooManyRequests).toBeLessThanOrEqual(stats.statusPuts * 0.1);
      // What is left is 30/s: the runners yield to it (the rate they reach beside it is the benchmark's figure).
      expect(combinedRate(simulator)).toBeLessThanOrEqual(BUDGET * 0.6 * 1.15);
      const summaries = results.map((result) => JSON.parse(result.stdout) as Summary);
      expect(summaries.reduce((sum, summary) => sum + summary.rate_limited, 0)).toBe(stats.tooManyRequests);
      expect(Math.min(...summaries.map((summary) => summary.min_rps))).toBeLessThan(BUDGET * 0.7);
      expect(results.map((result) => result.stderr).join("\n")).toContain("Light pace changed");
    });

    it("Redis killed mid-run: exit 3, every row once, the unsent ones not_attempted", async () => {
      const simulator = await startSimulator({
        credentials: TEST_CREDENTIALS,
        tier: "business",
        lightRps: BUDGET,
        generateUsers: 400,
        latencyMs: 20,
      });
      sim = simulator;
      const server = await startRedisServer();
      redis = server;
      const cwd = tempDir();
      const input = rangeInput(cwd, "people", 1, 400);
      const report = join(cwd, "report.csv");
      const run = startCli(
        [
          "run",
          ...REAL_RUN,
          input,
          "--tier",
          "custom",
          "--rps",
          String(BUDGET),
          "--report",
          report,
          "--json",
        ],
        {
          env: cliEnv(simulator, { ZOOM_OFFBOARD_REDIS_URL: server.url }),
          cwd,
        },
      );
      for (let i = 0; i < 400 && simulator.stats().statusChangesApplied < 50; i += 1) {
        await new Promise((resolve) => setTimeout(resolve, 25));
      }
      await server.stop();
      const result = await run.done;
      expect(result.code, result.stderr).toBe(3);
      const rows = byLine(readReport(report));
      expect(rows.size).toBe(400);
      const applied = [...rows.values()].filter((row) => row.outcome === "applied").length;
      const notAttempted = [...rows.values()].filter((row) => row.outcome === "not_attempted").length;
      expect(applied).toBeGreaterThanOrEqual(50);
      expect(notAttempted).toBeGreaterThan(0);
      expect(applied + notAttempted).toBe(400);
      expect(applied).toBe(simulator.stats().statusChangesApplied);
      const summary = JSON.parse(result.stdout) as Summary;
      expect(summary.stop_reason).toMatch(/shared rate limit/);
    });
  },
  { timeout: 90_000 },
);

describe("a shared budget without Redis", () => {
  it("Redis down at start: exit 2, not one request (not even for a token), no report", async () => {
    const simulator = await startSimulator({ credentials: TEST_CREDENTIALS, generateUsers: 5 });
    sim = simulator;
    const cwd = tempDir();
    const input = rangeInput(cwd, "people", 1, 5);
    const port = await freePort();
    const result = await startCli(["run", ...REAL_RUN, input], {
      env: cliEnv(simulator, { ZOOM_OFFBOARD_REDIS_URL: `redis://:hunter2-secret@127.0.0.1:${port}` }),
      cwd,
    }).done;
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/cannot reach Redis at 127\.0\.0\.1:\d+/);
    expect(result.stderr).not.toContain("hunter2");
    expect(simulator.stats().requests).toBe(0);
    expect(existsSync(join(cwd, "reports")) ? readdirSync(join(cwd, "reports")) : []).toEqual([]);
  });
});
