import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  type SimRequestLogEntry,
  type SimStats,
  type SimTier,
  startSimulator,
} from "../../src/sim/server.js";
import { cliEnv, TEST_CREDENTIALS } from "../helpers/sim-env.js";
import { type ChildRun, runMeasured } from "./child.js";
import type { Figure } from "./goals.js";

/** Scenario 6: each user signed out and then deactivated, both rows in one file, through one Light budget. */
export interface LifecycleSetup {
  tier: SimTier;
  /** The Light limit of the tier, requests per second. */
  limit: number;
  users: number;
}

export interface LifecycleResult {
  setup: LifecycleSetup;
  rows: number;
  /** Users whose deactivate line comes before their signout line in the file. */
  deactivateFirstInFile: number;
  wallMs: number;
  /** The report's outcome counts. */
  outcomes: Record<string, number>;
  signOutRequests: number;
  putRequests: number;
  getUserRequests: number;
  tooManyRequests: number;
  concurrentSameUser: number;
  maxLightInAnySlidingSecond: number;
  /** Sign-outs and status PUTs arriving per second, between the first and the last of them to arrive. */
  changeRate: number;
  /** Every tool Light request (look-ups included) per second over the same span. */
  lightRate: number;
  /** Users with exactly one request of each kind, both applied. */
  usersAppliedOnce: number;
  /** Users whose status PUT arrived before their sign-out had (or who had a PUT and no sign-out). */
  deactivatedBeforeSignOut: number;
  child: ChildRun;
}

/** A seeded shuffle (mulberry32 + Fisher–Yates), so every run sends the tool the same file. */
function shuffled<T>(items: readonly T[], seed: number): T[] {
  let state = seed >>> 0;
  const next = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(next() * (i + 1));
    [out[i], out[j]] = [out[j] as T, out[i] as T];
  }
  return out;
}

/**
 * Two lines per user in a shuffled order: about half the users have their deactivate line first, often far from
 * their signout line, so the tool must hold a deactivation back until the same user's sign-out is answered.
 */
export function lifecycleInput(users: number): { text: string; deactivateFirst: number } {
  const lines: string[] = [];
  for (let n = 1; n <= users; n++)
    lines.push(`user${n}@example.com,signout`, `user${n}@example.com,deactivate`);
  const order = shuffled(lines, 6);
  const signoutSeen = new Set<string>();
  let deactivateFirst = 0;
  for (const line of order) {
    const [email, action] = line.split(",");
    if (action === "signout") signoutSeen.add(email ?? "");
    else if (!signoutSeen.has(email ?? "")) deactivateFirst++;
  }
  return { text: `email,action\n${order.join("\n")}\n`, deactivateFirst };
}

const byArrival = (a: SimRequestLogEntry, b: SimRequestLogEntry): number => a.atMs - b.atMs;

/** Rate, exactly-once and order figures from the simulator's own log (arrival times, not answer times). */
function fromLog(
  stats: SimStats,
  users: number,
): Pick<LifecycleResult, "changeRate" | "lightRate" | "usersAppliedOnce" | "deactivatedBeforeSignOut"> {
  const light = stats.log
    .filter(
      (entry) => entry.route === "sign_out" || entry.route === "put_status" || entry.route === "get_user",
    )
    .sort(byArrival);
  const changes = light.filter((entry) => entry.route !== "get_user");
  if (changes.length !== stats.statusPuts + stats.requestsByRoute.sign_out) {
    throw new Error("the simulator's request log is incomplete");
  }
  const first = changes[0]?.atMs ?? 0;
  const last = changes.at(-1)?.atMs ?? 0;
  const spanSec = (last - first) / 1000;
  const lightInSpan = light.filter((entry) => entry.atMs >= first && entry.atMs <= last).length;
  const perUser = new Map<string, { signOuts: SimRequestLogEntry[]; puts: SimRequestLogEntry[] }>();
  for (const entry of changes) {
    const key = entry.user ?? "";
    let mine = perUser.get(key);
    if (mine === undefined) {
      mine = { signOuts: [], puts: [] };
      perUser.set(key, mine);
    }
    (entry.route === "sign_out" ? mine.signOuts : mine.puts).push(entry);
  }
  let usersAppliedOnce = 0;
  let deactivatedBeforeSignOut = 0;
  for (const { signOuts, puts } of perUser.values()) {
    const once = (list: SimRequestLogEntry[]) => list.length === 1 && list[0]?.applied === true;
    if (once(signOuts) && once(puts)) usersAppliedOnce++;
    const firstPut = puts[0]?.atMs;
    const signedOutAt = signOuts.find((entry) => entry.applied === true)?.atMs;
    if (firstPut !== undefined && (signedOutAt === undefined || firstPut < signedOutAt))
      deactivatedBeforeSignOut++;
  }
  if (perUser.size > users) throw new Error(`requests for ${perUser.size} users, the file names ${users}`);
  return {
    changeRate: spanSec > 0 ? (changes.length - 1) / spanSec : 0,
    lightRate: spanSec > 0 ? (lightInSpan - 1) / spanSec : 0,
    usersAppliedOnce,
    deactivatedBeforeSignOut,
  };
}

/** The real CLI, as a nightly job runs it, against a fresh simulator with scenario 1's settings. */
export async function runLifecycle(setup: LifecycleSetup): Promise<LifecycleResult> {
  const sim = await startSimulator({
    credentials: TEST_CREDENTIALS,
    tier: setup.tier,
    generateUsers: setup.users,
    latencyMs: 80,
    latencyJitterMs: 40,
    seed: 5,
  });
  const dir = mkdtempSync(join(tmpdir(), "zo-bench-life-"));
  try {
    const input = join(dir, "leavers.csv");
    const { text, deactivateFirst } = lifecycleInput(setup.users);
    writeFileSync(input, text);
    const child = await runMeasured(
      [
        "run",
        "--yes",
        "--max-deactivations",
        String(setup.users),
        input,
        "--tier",
        setup.tier,
        "--json",
        "--report",
        join(dir, "report.csv"),
      ],
      { env: cliEnv(sim), cwd: dir },
    );
    if (child.code !== 0 && child.code !== 1) {
      throw new Error(`zoom-offboard exited ${child.code}: ${child.stderr.slice(-2000)}`);
    }
    const summary = JSON.parse(child.stdout) as { outcomes: Record<string, number>; rows: number };
    const stats = sim.stats();
    return {
      setup,
      rows: summary.rows,
      deactivateFirstInFile: deactivateFirst,
      wallMs: child.wallMs,
      outcomes: summary.outcomes,
      signOutRequests: stats.requestsByRoute.sign_out,
      putRequests: stats.statusPuts,
      getUserRequests: stats.getUserRequests,
      tooManyRequests: stats.tooManyRequests,
      concurrentSameUser: stats.concurrentSameUser,
      maxLightInAnySlidingSecond: stats.maxLightInAnySlidingSecond,
      ...fromLog(stats, setup.users),
      child,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
    await sim.close();
  }
}

const ratio = (value: number): string => value.toFixed(3);

export function lifecycleFigures(result: LifecycleResult): Figure[] {
  const { setup } = result;
  const rows = setup.users * 2;
  const scenario = `6 lifecycle: ${rows} rows (${setup.users} users × signout + deactivate), ${setup.tier} (${setup.limit}/s)`;
  const base = { scenario, candidate: "zoom-offboard" };
  const applied = result.outcomes.applied ?? 0;
  const wallRate = applied / (result.wallMs / 1000);
  return [
    {
      ...base,
      name: "sign-outs + status PUTs per second ÷ limit",
      value: result.changeRate / setup.limit,
      shown: `${ratio(result.changeRate / setup.limit)} (${result.changeRate.toFixed(2)}/s)`,
      goal: { kind: "atLeast", value: 0.97 },
    },
    {
      ...base,
      name: "429 answers",
      value: result.tooManyRequests,
      shown: String(result.tooManyRequests),
      goal: { kind: "atMost", value: 0, exact: true },
    },
    {
      ...base,
      name: "requests for a user while another for that user was in flight",
      value: result.concurrentSameUser,
      shown: String(result.concurrentSameUser),
      goal: { kind: "atMost", value: 0, exact: true },
    },
    {
      ...base,
      name: "users signed out once and deactivated once (one request each, applied)",
      value: result.usersAppliedOnce,
      shown: `${result.usersAppliedOnce} of ${setup.users} (${result.signOutRequests} sign-outs, ${result.putRequests} PUTs)`,
      goal: { kind: "atLeast", value: setup.users, exact: true },
    },
    {
      ...base,
      name: "rows reported applied",
      value: applied,
      shown: `${applied} of ${result.rows}`,
      goal: { kind: "atLeast", value: rows, exact: true },
    },
    {
      ...base,
      name: "users whose deactivation reached Zoom before their sign-out",
      value: result.deactivatedBeforeSignOut,
      shown: `${result.deactivatedBeforeSignOut} (deactivate line first in the file for ${result.deactivateFirstInFile})`,
      goal: { kind: "atMost", value: 0, exact: true },
    },
    {
      ...base,
      name: "max requests in any sliding second",
      value: result.maxLightInAnySlidingSecond,
      shown: `${result.maxLightInAnySlidingSecond} (limit ${setup.limit})`,
      goal: { kind: "atMost", value: setup.limit, exact: true },
    },
    {
      ...base,
      name: "all Light requests per second ÷ limit (look-ups included)",
      value: result.lightRate / setup.limit,
      shown: `${ratio(result.lightRate / setup.limit)} (${result.lightRate.toFixed(2)}/s, ${result.getUserRequests} GETs)`,
      goal: { kind: "none" },
    },
    {
      ...base,
      name: "rows applied ÷ wall time ÷ limit (launch, file check and token included)",
      value: wallRate / setup.limit,
      shown: `${ratio(wallRate / setup.limit)} (${wallRate.toFixed(2)}/s over ${(result.wallMs / 1000).toFixed(1)} s)`,
      goal: { kind: "none" },
    },
  ];
}
