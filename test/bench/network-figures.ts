import type { CandidateResult, MachineReference, NetworkSetup } from "./candidates.js";
import type { Figure } from "./goals.js";

const ratio = (value: number): string => value.toFixed(3);
const seconds = (ms: number): string => `${(ms / 1000).toFixed(1)} s`;

/** Scenario 1: this tool against the ceiling. */
export function ceilingFigures(setup: NetworkSetup, tool: CandidateResult): Figure[] {
  const scenario = `1 ceiling: ${setup.rows} rows, ${setup.tier} (${setup.limit}/s)`;
  const base = { scenario, candidate: tool.candidate };
  const wallRate = tool.applied / (tool.wallMs / 1000);
  return [
    {
      ...base,
      name: "achieved PUT rate ÷ limit",
      value: tool.putRate / setup.limit,
      shown: `${ratio(tool.putRate / setup.limit)} (${tool.putRate.toFixed(2)}/s)`,
      goal: { kind: "atLeast", value: 0.97 },
    },
    {
      ...base,
      name: "429 answers",
      value: tool.tooManyRequests,
      shown: String(tool.tooManyRequests),
      goal: { kind: "atMost", value: 0, exact: true },
    },
    {
      ...base,
      name: "max requests in any sliding second",
      value: tool.maxLightInAnySlidingSecond,
      shown: `${tool.maxLightInAnySlidingSecond} (limit ${setup.limit})`,
      goal: { kind: "atMost", value: setup.limit, exact: true },
    },
    {
      ...base,
      name: "rows applied ÷ wall time ÷ limit (launch, file check and token included)",
      value: wallRate / setup.limit,
      shown: `${ratio(wallRate / setup.limit)} (${wallRate.toFixed(2)}/s over ${seconds(tool.wallMs)})`,
      goal: { kind: "none" },
    },
  ];
}

/** Scenario 2: every candidate's rows/s, 429s, failures and wall time, each against the ceiling. */
export function baselineFigures(setup: NetworkSetup, results: readonly CandidateResult[]): Figure[] {
  const scenario = `2 baselines: ${setup.rows} rows, ${setup.tier} (${setup.limit}/s)`;
  const floorMs = (setup.rows / setup.limit) * 1000;
  const figures: Figure[] = [];
  for (const result of results) {
    const base = { scenario, candidate: result.candidate };
    const rowsPerSec = result.applied / (result.wallMs / 1000);
    // A capped run is extrapolated at its own pace to the whole file; say so next to the figure.
    const fullWallMs = result.capped ? (setup.rows / Math.max(rowsPerSec, 1e-9)) * 1000 : result.wallMs;
    const capNote = result.capped
      ? `capped: ${result.rowsAttempted} rows in ${seconds(result.wallMs)}, extrapolated to ${setup.rows}`
      : undefined;
    figures.push(
      {
        ...base,
        name: "rows applied per second ÷ limit",
        value: rowsPerSec / setup.limit,
        shown: `${ratio(rowsPerSec / setup.limit)} (${rowsPerSec.toFixed(2)}/s)`,
        goal: { kind: "none" },
        ...(capNote === undefined ? {} : { note: capNote }),
      },
      {
        ...base,
        name: "429 answers",
        value: result.tooManyRequests,
        shown: `${result.tooManyRequests} of ${result.puts} PUTs`,
        goal: { kind: "none" },
      },
      {
        ...base,
        name: "rows failed",
        value: result.rowsFailed,
        shown: `${result.rowsFailed} of ${result.rowsAttempted}`,
        // The tool's own failures are a defect here: no faults are injected.
        goal:
          result.candidate === "zoom-offboard" ? { kind: "atMost", value: 0, exact: true } : { kind: "none" },
      },
      {
        ...base,
        name: "wall time ÷ physical floor (rows ÷ limit)",
        value: fullWallMs / floorMs,
        shown: `${ratio(fullWallMs / floorMs)} (${seconds(fullWallMs)} vs ${seconds(floorMs)})`,
        goal: { kind: "none" },
        ...(capNote === undefined ? {} : { note: "extrapolated" }),
      },
    );
  }
  return figures;
}

/** Scenario 3: another app takes a share of the budget; we should use what is left, without a 429 storm. */
export function contentionFigures(setup: NetworkSetup, results: readonly CandidateResult[]): Figure[] {
  const remaining = setup.limit * (1 - setup.otherAppShare);
  const scenario = `3 contention: ${setup.rows} rows, ${setup.tier}, other app ${Math.round(setup.otherAppShare * 100)} % (${remaining.toFixed(0)}/s left)`;
  const figures: Figure[] = [];
  for (const result of results) {
    const base = { scenario, candidate: result.candidate };
    const isTool = result.candidate === "zoom-offboard";
    const share = result.puts === 0 ? 0 : result.tooManyRequests / result.puts;
    figures.push(
      {
        ...base,
        name: "achieved rate (applied/s) ÷ remaining budget",
        value: result.appliedRate / remaining,
        shown: `${ratio(result.appliedRate / remaining)} (${result.appliedRate.toFixed(2)}/s)`,
        goal: isTool ? { kind: "atLeast", value: 0.9 } : { kind: "none" },
        ...(result.capped ? { note: `capped at ${result.rowsAttempted} rows` } : {}),
      },
      {
        ...base,
        name: "429 share of PUTs",
        value: share,
        shown: `${(share * 100).toFixed(1)} % (${result.tooManyRequests} of ${result.puts})`,
        goal: isTool ? { kind: "atMost", value: 0.1 } : { kind: "none" },
      },
      {
        ...base,
        name: "rows failed",
        value: result.rowsFailed,
        shown: `${result.rowsFailed} of ${result.rowsAttempted}`,
        goal: { kind: "none" },
      },
    );
  }
  return figures;
}

/** Scenario 5: what running the tool costs, from its real runs in scenario 1. */
export function overheadFigures(
  setup: NetworkSetup,
  tool: CandidateResult,
  reference: MachineReference,
): Figure[] {
  const child = tool.child;
  if (child === undefined) throw new Error("overhead needs the tool's child process figures");
  const scenario = `5 overhead: ${setup.rows} rows, ${setup.tier}`;
  const base = { scenario, candidate: tool.candidate };
  const cpuMs = child.cpuUserMs + child.cpuSysMs;
  const perRow = cpuMs / Math.max(1, tool.applied);
  // What is left once the machine's own cost of the same requests is taken away: the tool's work (start-up,
  // file, look-ups, pacing, report), spread over its rows.
  const ownPerRow = (cpuMs - reference.bareClientCpuPerRequestMs * tool.puts) / Math.max(1, tool.applied);
  // The same per row, as a multiple of what the machine charges any Node process for one such request.
  const ratioToBare = perRow / Math.max(1e-9, reference.bareClientCpuPerRequestMs);
  const toFirstPut =
    tool.firstPutAtMs === undefined ? Number.POSITIVE_INFINITY : tool.firstPutAtMs - child.launchedAtMs;
  return [
    {
      ...base,
      name: "CPU (user + sys) per applied row",
      value: perRow,
      shown: `${perRow.toFixed(3)} ms (${(cpuMs / 1000).toFixed(2)} s for ${tool.applied} rows)`,
      goal: { kind: "none" },
    },
    {
      ...base,
      name: "CPU per applied row ÷ a bare undici client's CPU per request at the same pace (start-up included)",
      value: ratioToBare,
      shown: `${ratioToBare.toFixed(2)}`,
      goal: { kind: "atMost", value: 2 },
    },
    {
      ...base,
      name: "CPU per applied row above a bare undici client's for the same PUTs (the tool's own work, start-up included)",
      value: ownPerRow,
      shown: `${ownPerRow.toFixed(3)} ms`,
      goal: { kind: "none" },
    },
    {
      ...base,
      name: "wake-ups per applied row (voluntary context switches of the process, start-up included)",
      value: child.voluntarySwitches / Math.max(1, tool.applied),
      shown: `${(child.voluntarySwitches / Math.max(1, tool.applied)).toFixed(1)}`,
      goal: { kind: "none" },
    },
    {
      ...base,
      name: "launch to first PUT",
      value: toFirstPut,
      shown: `${toFirstPut.toFixed(0)} ms`,
      goal: { kind: "atMost", value: 500 },
      unit: " ms",
    },
    {
      ...base,
      candidate: "reference: bare undici client",
      name: "CPU per request at the same spacing (sending loop only, no start-up)",
      value: reference.bareClientCpuPerRequestMs,
      shown: `${reference.bareClientCpuPerRequestMs.toFixed(3)} ms`,
      goal: { kind: "none" },
    },
    {
      ...base,
      candidate: "reference: bare undici client",
      name: "wake-ups per request (voluntary context switches of the process)",
      value: reference.bareClientSwitchesPerRequest,
      shown: `${reference.bareClientSwitchesPerRequest.toFixed(1)}`,
      goal: { kind: "none" },
    },
    {
      ...base,
      candidate: "reference: idle Node timer",
      name: "CPU per event-loop wake-up with no work at all, at the same spacing (10 s)",
      value: reference.idleWakeCpuMs,
      shown: `${reference.idleWakeCpuMs.toFixed(3)} ms`,
      goal: { kind: "none" },
    },
    {
      ...base,
      candidate: "reference: node -e 0",
      name: "bare Node start-up on this machine (median of 5)",
      value: reference.nodeStartMs,
      shown: `${reference.nodeStartMs.toFixed(0)} ms`,
      goal: { kind: "none" },
    },
    {
      ...base,
      name: "peak RSS",
      value: child.maxRssBytes / 2 ** 20,
      shown: `${(child.maxRssBytes / 2 ** 20).toFixed(1)} MB`,
      goal: { kind: "none" },
    },
  ];
}
