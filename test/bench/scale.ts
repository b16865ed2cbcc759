import { once } from "node:events";
import { createWriteStream, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { scanInput } from "../../src/input/scan-input.js";
import { runMeasured } from "./child.js";
import type { Figure } from "./goals.js";

const MB = 2 ** 20;

/**
 * An HR export as it comes: an email, the action and a couple of columns we ignore; one row in a hundred repeats an
 * earlier user, one in a thousand is not a valid user. Written in big slices so that a million rows take a second.
 */
export async function writeScaleInput(path: string, rows: number): Promise<void> {
  const out = createWriteStream(path);
  let chunk = "email,action,full_name,department\n";
  for (let n = 1; n <= rows; n++) {
    const user =
      n % 1000 === 0
        ? `not an email ${n}`
        : n % 100 === 0
          ? `user${n - 50}@example.com`
          : `user${n}@example.com`;
    chunk += `${user},deactivate,Person Number${n},Department ${n % 37}\n`;
    if (chunk.length > 1 << 20) {
      if (!out.write(chunk)) await once(out, "drain");
      chunk = "";
    }
  }
  out.end(chunk);
  await once(out, "finish");
}

export interface ScaleResult {
  rows: number;
  wallMs: number;
  maxRssBytes: number;
  cpuMs: number;
}

/** Offline dry run of the real CLI: the whole file checked twice over, a report row per input row. */
export async function dryRun(dir: string, rows: number): Promise<ScaleResult> {
  const input = join(dir, `people-${rows}.csv`);
  await writeScaleInput(input, rows);
  const child = await runMeasured(
    ["run", input, "--dry-run", "--json", "--report", join(dir, `report-${rows}.csv`)],
    { env: {}, cwd: dir },
  );
  // 1: the generated file has invalid rows on purpose.
  if (child.code !== 1)
    throw new Error(`dry run of ${rows} rows exited ${child.code}: ${child.stderr.slice(-2000)}`);
  const summary = JSON.parse(child.stdout) as { rows: number };
  if (summary.rows !== rows) throw new Error(`dry run reported ${summary.rows} rows, expected ${rows}`);
  return {
    rows,
    wallMs: child.wallMs,
    maxRssBytes: child.maxRssBytes,
    cpuMs: child.cpuUserMs + child.cpuSysMs,
  };
}

/**
 * Memory the first pass keeps for duplicate detection: heap plus array buffers still held by the scan result
 * (the hashed key table) after a full GC, measured in this process. Needs node --expose-gc.
 */
export async function firstPassMemory(dir: string, rows: number): Promise<number> {
  const collect = (globalThis as { gc?: () => void }).gc;
  if (collect === undefined) throw new Error("run the benchmark with node --expose-gc (npm run bench does)");
  const input = join(dir, `people-${rows}.csv`);
  const used = (): number => {
    collect();
    const usage = process.memoryUsage();
    return usage.heapUsed + usage.arrayBuffers;
  };
  const before = used();
  const scan = await scanInput(input, { defaultAction: undefined });
  const after = used();
  if (scan.dataRows !== rows) throw new Error(`scan saw ${scan.dataRows} rows, expected ${rows}`);
  return after - before;
}

export async function scaleFigures(sizes: readonly number[]): Promise<Figure[]> {
  const dir = mkdtempSync(join(tmpdir(), "zo-bench-scale-"));
  try {
    const results: ScaleResult[] = [];
    for (const rows of sizes) results.push(await dryRun(dir, rows));
    const largest = sizes.at(-1) ?? 0;
    const keyTableBytes = await firstPassMemory(dir, largest);
    const figures: Figure[] = [];
    for (const result of results) {
      const scenario = `4 scale: ${result.rows.toLocaleString("en-US")} rows, offline dry run`;
      const base = { scenario, candidate: "zoom-offboard" };
      const rowsPerSec = result.rows / (result.wallMs / 1000);
      const isLargest = result.rows === largest;
      figures.push(
        {
          ...base,
          name: "rows per second (rows ÷ wall time of the process)",
          value: rowsPerSec,
          shown: `${Math.round(rowsPerSec).toLocaleString("en-US")}/s (${(result.wallMs / 1000).toFixed(2)} s)`,
          // Below ~100k rows start-up dominates; the goal is about throughput on big files.
          goal: result.rows >= 100_000 ? { kind: "atLeast", value: 150_000 } : { kind: "none" },
          unit: "/s",
        },
        {
          ...base,
          name: "peak RSS",
          value: result.maxRssBytes / MB,
          shown: `${(result.maxRssBytes / MB).toFixed(1)} MB`,
          goal: isLargest ? { kind: "atMost", value: 150 } : { kind: "none" },
          unit: " MB",
        },
      );
    }
    const smallest = results[0];
    const biggest = results.at(-1);
    if (smallest !== undefined && biggest !== undefined && results.length > 1) {
      const growth = biggest.maxRssBytes / smallest.maxRssBytes;
      figures.push({
        scenario: `4 scale: RSS growth`,
        candidate: "zoom-offboard",
        name: `peak RSS(${biggest.rows.toLocaleString("en-US")}) ÷ RSS(${smallest.rows.toLocaleString("en-US")})`,
        value: growth,
        shown: growth.toFixed(2),
        goal: { kind: "atMost", value: 2 },
      });
    }
    figures.push({
      scenario: `4 scale: ${largest.toLocaleString("en-US")} rows, first pass`,
      candidate: "zoom-offboard",
      name: "memory kept for duplicate detection (heap + buffers after GC)",
      value: keyTableBytes / MB,
      shown: `${(keyTableBytes / MB).toFixed(1)} MB (${((keyTableBytes / Math.max(1, largest)) * 1).toFixed(1)} bytes/row)`,
      goal: { kind: "none" },
    });
    return figures;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
