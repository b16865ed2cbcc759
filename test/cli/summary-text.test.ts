import { describe, expect, it } from "vitest";
import { formatSummary } from "../../src/cli/summary-text.js";
import { emptyCounts, exitCodeFor, OUTCOMES, type Outcome } from "../../src/domain/outcomes.js";

const counts = (outcome: Outcome, n = 1) => ({ ...emptyCounts(), [outcome]: n });

describe("exitCodeFor", () => {
  it.each([
    ["applied", 0],
    ["already", 0],
    ["would_apply", 0],
    ["duplicate", 0],
    ["protected", 0],
    ["invalid", 1],
    ["conflict", 1],
    ["not_found", 1],
    ["rejected", 1],
    ["failed", 1],
  ] as const)("a row %s gives exit %i", (outcome, code) => {
    expect(exitCodeFor(counts(outcome), false)).toBe(code);
  });

  it("is 3 whenever the run stopped early, whatever the rows", () => {
    expect(exitCodeFor(counts("applied"), true)).toBe(3);
  });

  it("is 0 for an empty file", () => {
    expect(exitCodeFor(emptyCounts(), false)).toBe(0);
  });
});

describe("formatSummary", () => {
  it("lists non-zero outcomes, the rate and the report path", () => {
    const text = formatSummary({
      outcomes: { ...emptyCounts(), applied: 28, not_found: 2 },
      rows: 30,
      exit_code: 1,
      report: "reports/x.csv",
      input: "x.csv",
      dry_run: false,
      duration_ms: 1234,
      rate_rps: 29.1,
      requests: 31,
      rate_limited: 1,
      rps_limit: 30,
      min_rps: 21,
      rate_changes: 3,
      stopped_early: false,
      stop_reason: null,
      lookup: "directory",
      lookup_requests: 3,
      warnings: [],
      resumed_from: null,
      carried_over: 0,
    });
    expect(text).toMatch(/applied\s+28/);
    expect(text).toMatch(/not found\s+2/);
    expect(text).not.toMatch(/failed/);
    expect(text).toMatch(/29\.1 changes\/s \(limit 30\/s\)/);
    expect(text).toMatch(/pace changes\s+3 \(lowest 21\.0\/s\)/);
    expect(text).toContain("reports/x.csv");
    expect(text).toContain("exit code: 1");
    expect(text).toMatch(/look-ups\s+directory \(3 read requests\)/);
    expect(text).not.toContain("carried over");
    expect(OUTCOMES.length).toBe(16);
  });
});

describe("formatSummary after --resume", () => {
  it("says how many rows came from which earlier report", () => {
    const text = formatSummary({
      outcomes: { ...emptyCounts(), applied: 10, not_attempted: 0 },
      rows: 10,
      exit_code: 0,
      report: "reports/b.csv",
      input: "x.csv",
      dry_run: false,
      duration_ms: 10,
      rate_rps: 1,
      requests: 4,
      rate_limited: 0,
      rps_limit: 30,
      min_rps: 30,
      rate_changes: 0,
      stopped_early: false,
      stop_reason: null,
      lookup: "none",
      lookup_requests: 0,
      warnings: [],
      resumed_from: "reports/a.csv",
      carried_over: 6,
    });
    expect(text).toContain("carried over 6 final rows from reports/a.csv");
  });
});
