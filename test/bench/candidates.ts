import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { minTimeMs } from "../../src/pacing/spacing.js";
import { type SimStats, type SimTier, type Simulator, startSimulator } from "../../src/sim/server.js";
import { cliEnv, generatedInput, TEST_CREDENTIALS } from "../helpers/sim-env.js";
import { sequentialLoop, unpacedConcurrency } from "./baselines.js";
import { type ChildRun, runMeasured, runMeasuredNode } from "./child.js";

export type CandidateName = "sequential loop" | "unpaced p-limit(32)" | "zoom-offboard";
export const CANDIDATES: readonly CandidateName[] = [
  "sequential loop",
  "unpaced p-limit(32)",
  "zoom-offboard",
];

export interface NetworkSetup {
  tier: SimTier;
  /** The Light limit of the tier, requests per second. */
  limit: number;
  rows: number;
  otherAppShare: number;
  /** The sequential loop stops at whichever comes first. */
  sequentialCap: { ms: number; rows: number };
}

/** What one candidate did against its own fresh simulator, read from the simulator's stats and request log. */
export interface CandidateResult {
  candidate: CandidateName;
  rowsAttempted: number;
  rowsFailed: number;
  applied: number;
  wallMs: number;
  capped: boolean;
  puts: number;
  tooManyRequests: number;
  maxLightInAnySlidingSecond: number;
  /** PUT arrivals per second between the first and the last PUT arrival. */
  putRate: number;
  /** Status changes applied per second between the first and the last PUT arrival. */
  appliedRate: number;
  firstPutAtMs: number | undefined;
  /** The CLI's child process (this tool only): CPU, peak RSS, launch time. */
  child?: ChildRun;
}

/** Same settings for every candidate: the scenario's tier, latency 80 ± 40 ms, one seed. */
function simulatorFor(setup: NetworkSetup): Promise<Simulator> {
  return startSimulator({
    credentials: TEST_CREDENTIALS,
    tier: setup.tier,
    generateUsers: setup.rows,
    latencyMs: 80,
    latencyJitterMs: 40,
    otherAppShare: setup.otherAppShare,
    seed: 5,
  });
}

function emailsFor(rows: number): string[] {
  return Array.from({ length: rows }, (_, index) => `user${index + 1}@example.com`);
}

function fromStats(
  stats: SimStats,
): Pick<
  CandidateResult,
  | "applied"
  | "puts"
  | "tooManyRequests"
  | "maxLightInAnySlidingSecond"
  | "putRate"
  | "appliedRate"
  | "firstPutAtMs"
> {
  // The simulator logs a request when it answers (after its latency); arrival order is what the figures mean.
  const puts = stats.log.filter((entry) => entry.route === "put_status").sort((a, b) => a.atMs - b.atMs);
  if (puts.length !== stats.statusPuts) throw new Error("the simulator's request log is incomplete");
  const first = puts[0]?.atMs;
  const last = puts.at(-1)?.atMs;
  const spanSec = first === undefined || last === undefined ? 0 : (last - first) / 1000;
  const appliedPuts = puts.filter((entry) => entry.applied === true).length;
  return {
    applied: stats.statusChangesApplied,
    puts: stats.statusPuts,
    tooManyRequests: stats.tooManyRequests,
    maxLightInAnySlidingSecond: stats.maxLightInAnySlidingSecond,
    putRate: spanSec > 0 ? (puts.length - 1) / spanSec : 0,
    appliedRate: spanSec > 0 ? (appliedPuts - 1) / spanSec : 0,
    firstPutAtMs: first,
  };
}

interface CliSummary {
  outcomes: Record<string, number>;
  rows: number;
}

export async function runCandidate(candidate: CandidateName, setup: NetworkSetup): Promise<CandidateResult> {
  const sim = await simulatorFor(setup);
  try {
    const emails = emailsFor(setup.rows);
    if (candidate === "sequential loop" || candidate === "unpaced p-limit(32)") {
      const run =
        candidate === "sequential loop"
          ? await sequentialLoop(sim, emails, setup.sequentialCap)
          : await unpacedConcurrency(sim, emails);
      return { candidate, ...run, ...fromStats(sim.stats()) };
    }
    const dir = mkdtempSync(join(tmpdir(), "zo-bench-"));
    try {
      const input = join(dir, "people.csv");
      writeFileSync(input, generatedInput(setup.rows));
      const child = await runMeasured(
        // What a nightly job runs: no terminal, so --yes; the deactivation guard raised to the file's size.
        // Everything else is the default (look-ups auto, pacing at the tier's limit, adaptive).
        [
          "run",
          "--yes",
          "--max-deactivations",
          String(setup.rows),
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
      const summary = JSON.parse(child.stdout) as CliSummary;
      return {
        candidate,
        rowsAttempted: summary.rows,
        rowsFailed: (summary.outcomes.failed ?? 0) + (summary.outcomes.not_attempted ?? 0),
        wallMs: child.wallMs,
        capped: false,
        child,
        ...fromStats(sim.stats()),
      };
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  } finally {
    await sim.close();
  }
}

/** What the machine itself costs, for reading the overhead figures: Node's bare start-up and a bare HTTP client. */
export interface MachineReference {
  nodeStartMs: number;
  /** CPU per request of a bare undici client sending at the tool's spacing (its sending loop only). */
  bareClientCpuPerRequestMs: number;
  /** Voluntary context switches per request of that client (its whole process). */
  bareClientSwitchesPerRequest: number;
  /** CPU per timer wake-up of a Node process that does nothing else, at the same spacing. */
  idleWakeCpuMs: number;
}

/** Wake-ups the idle reference makes: ten seconds' worth at the tool's spacing. */
const IDLE_REFERENCE_MS = 10_000;

export async function machineReference(setup: NetworkSetup): Promise<MachineReference> {
  const dir = mkdtempSync(join(tmpdir(), "zo-bench-ref-"));
  const sim = await simulatorFor(setup);
  try {
    const starts: number[] = [];
    for (let i = 0; i < 5; i++)
      starts.push((await runMeasuredNode(["-e", "0"], { env: {}, cwd: dir })).wallMs);
    starts.sort((a, b) => a - b);
    const client = await runMeasuredNode(
      [
        join(import.meta.dirname, "floor-client.js"),
        sim.apiUrl,
        sim.oauthUrl,
        // As many requests as the tool sent: the figure above the reference is a difference of two sums, and a
        // shorter reference would carry its noise into it many times over.
        String(setup.rows),
        String(minTimeMs(setup.limit)),
      ],
      { env: {}, cwd: dir },
    );
    const result = JSON.parse(client.stdout) as { cpuMs: number; requests: number };
    const spacing = minTimeMs(setup.limit);
    const idle = await runMeasuredNode(
      [
        join(import.meta.dirname, "idle-wakes.js"),
        String(Math.round(IDLE_REFERENCE_MS / spacing)),
        String(spacing),
      ],
      { env: {}, cwd: dir },
    );
    const wakes = JSON.parse(idle.stdout) as { cpuMs: number; wakes: number };
    return {
      nodeStartMs: starts[2] ?? 0,
      bareClientCpuPerRequestMs: result.cpuMs / result.requests,
      bareClientSwitchesPerRequest: client.voluntarySwitches / result.requests,
      idleWakeCpuMs: wakes.cpuMs / wakes.wakes,
    };
  } finally {
    await sim.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
