import { existsSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { expect } from "vitest";
import { type Simulator, type SimulatorOptions, startSimulator } from "../../src/sim/server.js";
import { type CliResult, readReport, startCli, tempDir } from "../helpers/run-cli.js";

export { expectEveryRowOnce } from "../helpers/run-cli.js";
export { until, wait } from "../helpers/wait.js";

import { cliEnv, generatedInput, TEST_CREDENTIALS } from "../helpers/sim-env.js";

/** Outcomes a resume carries over instead of sending again. */
export const FINAL = new Set([
  "applied",
  "already",
  "not_found",
  "rejected",
  "protected",
  "invalid",
  "duplicate",
  "conflict",
]);

export interface FaultScenario {
  sim: Simulator;
  cwd: string;
  input: string;
  rows: number;
  /** reports/r1.csv, r2.csv, … in run order. */
  nextReport(): string;
}

export async function faultScenario(rows: number, options: SimulatorOptions): Promise<FaultScenario> {
  const sim = await startSimulator({ credentials: TEST_CREDENTIALS, generateUsers: rows, ...options });
  const cwd = tempDir("zo-fault-");
  const input = join(cwd, "leavers.csv");
  writeFileSync(input, generatedInput(rows));
  let n = 0;
  return { sim, cwd, input, rows, nextReport: () => join(cwd, "reports", `r${++n}.csv`) };
}

/**
 * Start `run` against `sim` (whose URLs may be a later simulator's on the same port). These scenarios test the
 * send path, so look-ups are off (with them, a row a killed run had applied would come back `already` and not be
 * sent at all: fewer re-sends, never more) and the deactivation guard is out of the way.
 */
export function startRun(scenario: FaultScenario, args: string[], sim: Simulator = scenario.sim) {
  const fixed = ["--yes", "--json", "--lookup", "none", "--max-deactivations", "1000000"];
  return startCli(["run", scenario.input, ...fixed, ...args], {
    env: cliEnv(sim, { LOG_LEVEL: "warn" }),
    cwd: scenario.cwd,
  });
}

export function summaryOf(result: CliResult): Record<string, unknown> {
  expect(result.stderr).not.toContain("internal error");
  return JSON.parse(result.stdout) as Record<string, unknown>;
}

/** Users (as written in the input) whose rows an earlier report leaves to do: missing or not final. */
export function usersLeftToDo(report: string | undefined, rows: number): Set<string> {
  const done = new Set<string>();
  if (report !== undefined && existsSync(report)) {
    for (const row of readReport(report)) if (FINAL.has(row.outcome)) done.add(row.user_id);
  }
  const left = new Set<string>();
  for (let n = 1; n <= rows; n += 1) if (!done.has(`user${n}@example.com`)) left.add(`user${n}@example.com`);
  return left;
}

/**
 * Since the last resetStats: no PUT went to a user whose row `earlierReport` already had final. Returns the users
 * the simulator saw a PUT for.
 */
export function expectNothingSentForFinalRows(
  sims: Simulator[],
  earlierReport: string | undefined,
  rows: number,
) {
  const left = usersLeftToDo(earlierReport, rows);
  const allowedIds = new Set<string>();
  for (const email of left) {
    const id = sims[0]?.user(email)?.id;
    if (id !== undefined) allowedIds.add(id);
  }
  for (const sim of sims) {
    for (const id of Object.keys(sim.stats().putsByUser))
      expect(allowedIds.has(id), `PUT for ${id}`).toBe(true);
  }
}

export function expectAllInactive(sim: Simulator, rows: number): void {
  const active = sim.allUsers().filter((user) => user.status !== "inactive");
  expect(active.map((user) => user.email)).toEqual([]);
  expect(sim.allUsers()).toHaveLength(rows);
}

/** Small seeded PRNG (mulberry32), so a failing kill schedule can be replayed. */
export function seeded(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
