/**
 * `npm run bench`: zoom-offboard against the Light ceiling, against what admins use today, under contention, on
 * big files, and what it costs to run. Prints one markdown table, writes it to reports/bench-<UTC stamp>.md, and
 * exits 1 when a figure misses its goal by more than the noise margin (goals.ts). Not part of `npm test` or CI.
 *
 *   npm run bench               the issue's sizes (about ten minutes)
 *   npm run bench -- --quick    a tenth of the sizes, for iteration (figures are noisier)
 *   npm run bench -- --only 1,4 some scenarios (1, 2 and 5 share their runs)
 *   npm run bench -- --only 6   sign-out then deactivate per user, the two lines of a user in either order
 *
 * The simulators run in this process, which npm starts with V8's memory reducer off (package.json): its full
 * collections paused the simulator for 13–19 ms mid-run, so requests that had left on time were stamped as arriving
 * together, and a 429 was the simulator's pause, not the tool's pacing (seen with --trace-gc: a reducer collection
 * at each of the late arrivals). Zoom's own arrival jitter is what the tool's margin is for.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { cpus, loadavg, totalmem } from "node:os";
import { join, resolve } from "node:path";
import {
  CANDIDATES,
  type CandidateResult,
  machineReference,
  type NetworkSetup,
  runCandidate,
} from "./candidates.js";
import { checkGnuTime } from "./child.js";
import { type Figure, NOISE_MARGIN } from "./goals.js";
import { lifecycleFigures, runLifecycle } from "./lifecycle.js";
import { baselineFigures, ceilingFigures, contentionFigures, overheadFigures } from "./network-figures.js";
import { scaleFigures } from "./scale.js";
import { failures, renderTable } from "./table.js";

interface BenchOptions {
  quick: boolean;
  only: Set<string>;
}

function parseArgs(argv: readonly string[]): BenchOptions {
  const quick = argv.includes("--quick");
  const onlyAt = argv.indexOf("--only");
  const only = new Set(onlyAt >= 0 ? (argv[onlyAt + 1] ?? "").split(",") : ["1", "2", "3", "4", "5", "6"]);
  return { quick, only };
}

function log(message: string): void {
  process.stderr.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${message}\n`);
}

async function compare(
  setup: NetworkSetup,
  candidates: readonly (typeof CANDIDATES)[number][],
): Promise<CandidateResult[]> {
  const results: CandidateResult[] = [];
  for (const candidate of candidates) {
    log(`${setup.tier} ${setup.rows} rows, other app ${setup.otherAppShare}: ${candidate}`);
    results.push(await runCandidate(candidate, setup));
  }
  return results;
}

async function main(): Promise<number> {
  const options = parseArgs(process.argv.slice(2));
  checkGnuTime();
  const loadAtStart = loadavg()[0] ?? 0;
  const scale = options.quick ? 0.1 : 1;
  const sequentialCap = options.quick ? { ms: 5_000, rows: 50 } : { ms: 30_000, rows: 500 };
  const figures: Figure[] = [];
  const wants = (...ids: string[]) => ids.some((id) => options.only.has(id));

  if (wants("1", "2", "5")) {
    const tiers = [
      { tier: "pro", limit: 30, rows: 3000 },
      { tier: "business", limit: 80, rows: 6000 },
    ] as const;
    for (const { tier, limit, rows } of tiers) {
      const setup: NetworkSetup = {
        tier,
        limit,
        rows: Math.round(rows * scale),
        otherAppShare: 0,
        sequentialCap,
      };
      const results = await compare(setup, wants("2") ? CANDIDATES : ["zoom-offboard"]);
      const tool = results.find((result) => result.candidate === "zoom-offboard");
      if (tool === undefined) throw new Error("no tool run");
      if (wants("1")) figures.push(...ceilingFigures(setup, tool));
      if (wants("2")) figures.push(...baselineFigures(setup, results));
      if (wants("5")) figures.push(...overheadFigures(setup, tool, await machineReference(setup)));
    }
  }
  if (wants("3")) {
    const setup: NetworkSetup = {
      tier: "pro",
      limit: 30,
      rows: Math.round(1000 * scale),
      otherAppShare: 0.4,
      sequentialCap,
    };
    figures.push(...contentionFigures(setup, await compare(setup, CANDIDATES)));
  }
  if (wants("6")) {
    const tiers = [
      { tier: "pro", limit: 30 },
      { tier: "business", limit: 80 },
    ] as const;
    for (const { tier, limit } of tiers) {
      const users = Math.round(1500 * scale);
      log(`${tier} lifecycle: ${users} users × signout + deactivate`);
      figures.push(...lifecycleFigures(await runLifecycle({ tier, limit, users })));
    }
  }
  if (wants("4")) {
    const sizes = options.quick ? [10_000, 100_000] : [10_000, 100_000, 1_000_000];
    log(`scale: dry runs of ${sizes.join(", ")} rows`);
    figures.push(...(await scaleFigures(sizes)));
  }

  const sorted = [...figures].sort((a, b) => a.scenario.localeCompare(b.scenario, "en", { numeric: true }));
  const cpu = cpus()[0]?.model ?? "unknown CPU";
  const header = [
    `# zoom-offboard benchmark, ${new Date().toISOString()}${options.quick ? " (--quick: a tenth of the sizes)" : ""}`,
    "",
    `Machine: ${cpus().length} × ${cpu}, ${(totalmem() / 2 ** 30).toFixed(0)} GB RAM, Node ${process.version}, ${process.platform}.`,
    `Load average (1 min): ${loadAtStart.toFixed(2)} at the start, ${(loadavg()[0] ?? 0).toFixed(2)} at the end; wall-time figures are only as quiet as the machine.`,
    `Simulator on loopback, latency 80 ± 40 ms; each candidate against a fresh simulator with the same settings and seed.`,
    `A figure that misses its goal by less than ${NOISE_MARGIN * 100} % of the goal is "within noise"; a bigger miss fails the run.`,
    "",
  ].join("\n");
  const table = renderTable(sorted);
  const missed = failures(sorted);
  const text = `${header}${table}\n${missed.length === 0 ? "Every goal met." : `${missed.length} figure(s) missed their goal.`}\n`;
  process.stdout.write(text);
  const reports = resolve(import.meta.dirname, "../../../reports");
  mkdirSync(reports, { recursive: true });
  const stamp = new Date()
    .toISOString()
    .replace(/[-:]/g, "")
    .replace(/\.\d+Z$/, "Z");
  const path = join(reports, `bench-${stamp}.md`);
  writeFileSync(path, text);
  log(`written to ${path}`);
  return missed.length === 0 ? 0 : 1;
}

process.exitCode = await main();
