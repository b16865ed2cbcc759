import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { type SimRefusal, type Simulator, startSimulator } from "../../src/sim/server.js";
import { expectEveryRowOnce, runCli, tempDir } from "../helpers/run-cli.js";
import { cliEnv, generatedInput, TEST_CREDENTIALS } from "../helpers/sim-env.js";

// Answers that would fail every row alike: the run stops (exit 3) instead of spending the rest of the file, since
// Zoom disables apps with a high error ratio. The simulator refuses after a few changes, as if an admin had taken
// a scope away from the app (or blocked it) while the run was going.
let sim: Simulator | undefined;
afterEach(async () => {
  await sim?.close();
  sim = undefined;
});

describe("run-wide refusals stop the run", () => {
  it.each<{ name: string; refusal: SimRefusal; status: string; code: string; reason: RegExp }>([
    {
      name: "a scope taken away (400, code 4711)",
      refusal: { code: 4711, afterRequests: 5 },
      status: "400",
      code: "4711",
      reason: /lacks a required scope/,
    },
    {
      name: "access denied (403 without code 124)",
      refusal: { status: 403, afterRequests: 5 },
      status: "403",
      code: "403",
      reason: /refused the app's access/,
    },
  ])(
    "$name: exit 3, the refused rows rejected, the rest not_attempted",
    async ({ refusal, status, code, reason }) => {
      const rows = 40;
      sim = await startSimulator({ credentials: TEST_CREDENTIALS, generateUsers: rows, latencyMs: 20 });
      sim.setRefusal("put_status", refusal);
      const cwd = tempDir();
      const input = join(cwd, "people.csv");
      writeFileSync(input, generatedInput(rows));
      const report = join(cwd, "r.csv");
      const result = await runCli(
        [
          "run",
          input,
          "--yes",
          "--lookup",
          "none",
          "--rps",
          "5",
          "--concurrency",
          "1",
          "--report",
          report,
          "--json",
        ],
        { env: cliEnv(sim), cwd },
      );
      expect(result.code).toBe(3);
      const summary = JSON.parse(result.stdout) as { stop_reason: string; stopped_early: boolean };
      expect(summary.stopped_early).toBe(true);
      expect(summary.stop_reason).toMatch(reason);
      const records = expectEveryRowOnce(report, rows);
      const byOutcome = (outcome: string) => records.filter((row) => row.outcome === outcome);
      expect(byOutcome("applied")).toHaveLength(5);
      // One at a time: the first refusal stops the run, so exactly one row carries Zoom's refusal.
      expect(byOutcome("rejected").map((row) => [row.line, row.http_status, row.zoom_code])).toEqual([
        ["7", status, code],
      ]);
      expect(byOutcome("not_attempted")).toHaveLength(rows - 6);
      expect(sim.stats().statusPuts).toBe(6);
    },
  );
});
