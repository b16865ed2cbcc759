import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { type Simulator, startSimulator } from "../../src/sim/server.js";
import { maxLightInWindow } from "../helpers/arrivals.js";
import { expectEveryRowOnce, runCli, tempDir } from "../helpers/run-cli.js";
import { cliEnv, generatedInput, TEST_CREDENTIALS } from "../helpers/sim-env.js";

// Pacing against the simulator's sliding window. How close to the limit the tool gets is the benchmark's figure; here
// only what must never happen: more than the limit in a window, a lost row, two requests for one user at once.
let sim: Simulator | undefined;
afterEach(async () => {
  await sim?.close();
  sim = undefined;
});

describe("pacing under the Light limit", () => {
  it.each([
    { tier: "pro", limit: 30, rows: 100 },
    { tier: "business", limit: 80, rows: 260 },
  ] as const)(
    "$tier: never over $limit in a window, never two requests for one user, every row applied once",
    async ({ tier, limit, rows }) => {
      sim = await startSimulator({
        credentials: TEST_CREDENTIALS,
        tier,
        generateUsers: rows,
        latencyMs: 80,
        latencyJitterMs: 40,
        seed: 3,
      });
      const cwd = tempDir();
      const input = join(cwd, "people.csv");
      writeFileSync(input, generatedInput(rows));
      const report = join(cwd, "report.csv");
      const result = await runCli(
        ["run", "--yes", "--max-deactivations", "10000", input, "--tier", tier, "--report", report, "--json"],
        {
          env: cliEnv(sim),
          cwd,
        },
      );
      expect(result.code).toBe(0);
      const stats = sim.stats();
      expect(maxLightInWindow(sim)).toBeLessThanOrEqual(limit);
      // One PUT per row, and one more only for a row that a 429 refused.
      expect(stats.statusPuts).toBe(rows + stats.tooManyRequests);
      expect(stats.concurrentSameUser).toBe(0);
      expect(expectEveryRowOnce(report, rows).filter((row) => row.outcome !== "applied")).toEqual([]);
      const summary = JSON.parse(result.stdout) as { rate_rps: number };
      expect(summary.rate_rps).toBeLessThanOrEqual(limit);
    },
  );
});

describe("--share", () => {
  it("paces at that part of the budget, leaving the rest to the account's other apps", async () => {
    const rows = 40;
    sim = await startSimulator({ credentials: TEST_CREDENTIALS, generateUsers: rows, latencyMs: 20 });
    const cwd = tempDir();
    const input = join(cwd, "people.csv");
    writeFileSync(input, generatedInput(rows));
    const report = join(cwd, "report.csv");
    const result = await runCli(
      [
        "run",
        "--yes",
        input,
        "--tier",
        "custom",
        "--rps",
        "20",
        "--share",
        "50%",
        "--report",
        report,
        "--json",
      ],
      { env: cliEnv(sim), cwd },
    );
    expect(result.code).toBe(0);
    const summary = JSON.parse(result.stdout) as { rps_limit: number; rate_rps: number };
    expect(summary.rps_limit).toBe(10);
    expect(summary.rate_rps).toBeLessThanOrEqual(10);
    expect(maxLightInWindow(sim)).toBeLessThanOrEqual(10);
    expect(expectEveryRowOnce(report, rows).filter((row) => row.outcome !== "applied")).toEqual([]);
  });
});
