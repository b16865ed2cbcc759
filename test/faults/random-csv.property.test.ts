import { existsSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import fc from "fast-check";
import { pino } from "pino";
import { describe, expect, it } from "vitest";
import { runOffboard } from "../../src/app/run-offboard.js";
import { resolveRunConfig } from "../../src/cli/run-config.js";
import { isOffboardError } from "../../src/domain/errors.js";
import { createStopControl } from "../../src/domain/stop.js";
import { openInput } from "../../src/input/open-input.js";
import { byLine, readReport, runCli, tempDir } from "../helpers/run-cli.js";

// Random files through the whole pipeline: a file is either refused before anything is written (exit 2, no report)
// or reported with every data row exactly once, the rows being those the reader finds. Never a crash, never a hang.

const piece = fc.oneof(
  // Whole plausible rows, so that files have rows to report as well as ways to break.
  {
    weight: 4,
    arbitrary: fc.constantFrom("user1@example.com,deactivate\n", "u_2;activate\r\n", "u_3\tdeactivate\n"),
  },
  {
    weight: 6,
    arbitrary: fc.constantFrom("user1@example.com", "u_1", "me", "deactivate", "ACTIVATE", "x", ""),
  },
  {
    weight: 6,
    arbitrary: fc.constantFrom(",", ";", "\t", '"', '""', "\r", "\n", "\r\n", " ", "\uFEFF", "é"),
  },
  { weight: 2, arbitrary: fc.string({ maxLength: 12 }) },
  // Garbage bytes: invalid UTF-8, NULs, a UTF-16 fragment.
  { weight: 1, arbitrary: fc.uint8Array({ minLength: 1, maxLength: 6 }).map((bytes) => Buffer.from(bytes)) },
  // Huge fields: one long free-text note, and one past the reader's 1 MiB record bound.
  { weight: 1, arbitrary: fc.constantFrom(20_000, 1_100_000).map((size) => "n".repeat(size)) },
);
const header = fc.constantFrom(
  "email,action\n",
  "\uFEFFEmail;Action\r\n",
  "user_id\taction\n",
  "action,note,email\n",
  "email\n", // no action column: a usage error
  "name,note\n", // no user column: a file error
  "",
);
const file = fc
  .tuple(header, fc.array(piece, { maxLength: 60 }))
  .map(([head, pieces]) => Buffer.concat([Buffer.from(head), ...pieces.map((p) => Buffer.from(p))]));

/** Data lines the reader yields, or "refused" when it throws. */
async function readerLines(path: string): Promise<number[] | "refused"> {
  try {
    const input = await openInput(path);
    const lines: number[] = [];
    for await (const record of input.records) lines.push(record.line);
    return lines;
  } catch {
    return "refused";
  }
}

function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const hang = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not finish within ${ms} ms`)), ms);
  });
  return Promise.race([promise, hang]).finally(() => clearTimeout(timer));
}

function setup(bytes: Buffer) {
  const dir = tempDir("zo-prop-");
  const input = join(dir, "input.csv");
  writeFileSync(input, bytes);
  return { dir, input, report: join(dir, "reports", "out.csv") };
}

function expectReportMatches(report: string, expected: number[]) {
  const lines = byLine(readReport(report)); // throws on a line reported twice
  expect([...lines.keys()].sort((a, b) => a - b)).toEqual([...expected].sort((a, b) => a - b));
}

describe("random CSV files through the pipeline", () => {
  it("in process (offline dry run): refused before any report, or every data row exactly once", async () => {
    const logger = pino({ level: "silent" });
    const seen = { refused: 0, reports: 0, reportedRows: 0 };
    await fc.assert(
      fc.asyncProperty(file, async (bytes) => {
        const { input, report } = setup(bytes);
        const expected = await readerLines(input);
        const config = resolveRunConfig(input, { dryRun: true, report }, {});
        let error: unknown;
        await withTimeout(
          runOffboard(config, {
            logger,
            stop: createStopControl(),
            now: Date.now,
            random: Math.random,
            sleep: async () => {},
            runnerId: "property-test",
          }).catch((caught: unknown) => {
            error = caught;
          }),
          10_000,
          "runOffboard",
        );
        if (error !== undefined) {
          // A run-level refusal (exit 2), never a crash; and nothing written.
          expect(isOffboardError(error) ? error.code : error).toMatch(/^(INPUT_UNREADABLE|USAGE)$/);
          expect(existsSync(report)).toBe(false);
          seen.refused += 1;
          return;
        }
        expect(expected).not.toBe("refused");
        if (expected !== "refused") {
          expectReportMatches(report, expected);
          seen.reports += 1;
          seen.reportedRows += expected.length;
        }
      }),
      { numRuns: 120, seed: 4, endOnFailure: true },
    );
    // Both branches were exercised, so the property says something.
    expect(seen.refused).toBeGreaterThan(10);
    expect(seen.reports).toBeGreaterThan(20);
    expect(seen.reportedRows).toBeGreaterThan(50);
  }, 60_000);

  it("through the built CLI: exit 2 with no report, or exit 0/1 with every data row exactly once", async () => {
    await fc.assert(
      fc.asyncProperty(file, async (bytes) => {
        const { dir, input } = setup(bytes);
        const expected = await readerLines(input);
        const result = await withTimeout(
          runCli(["run", input, "--dry-run", "--report", "reports/out.csv"], { cwd: dir }),
          15_000,
          "the CLI",
        );
        expect(result.stderr).not.toContain("internal error");
        if (result.code === 2) {
          expect(existsSync(join(dir, "reports")) ? readdirSync(join(dir, "reports")) : []).toEqual([]);
          return;
        }
        expect([0, 1]).toContain(result.code);
        expect(expected).not.toBe("refused");
        if (expected !== "refused") expectReportMatches(join(dir, "reports", "out.csv"), expected);
      }),
      { numRuns: 12, seed: 5, endOnFailure: true },
    );
  }, 90_000);
});
