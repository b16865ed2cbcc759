import { describe, expect, it } from "vitest";
import { EXIT_CODE_OF, failureOf } from "../../src/cli/exit-codes.js";
import { type ErrorCode, InputError, OffboardError } from "../../src/domain/errors.js";

describe("exit codes of run-level errors", () => {
  // 2: nothing was sent, fix and run again. 3: stopped early, a resume may finish it.
  it.each<[ErrorCode, 2 | 3]>([
    ["USAGE", 2],
    ["CONFIG_INVALID", 2],
    ["INPUT_UNREADABLE", 2],
    ["AUTH_FAILED", 2],
    ["REPORT_UNWRITABLE", 2],
    ["REPORT_UNREADABLE", 2],
    ["RESUME_MISMATCH", 2],
    ["RUN_LOCKED", 2],
    ["REDIS_UNAVAILABLE", 2],
    ["SCOPE_MISSING", 2],
    ["PLAN_UNREADABLE", 2],
    ["PLAN_REFUSED", 2],
    ["AUTH_UNAVAILABLE", 3],
    ["INTERNAL", 3],
  ])("%s → exit %i, with its message", (code, exitCode) => {
    expect(failureOf(new OffboardError(code, `something about ${code}`))).toEqual({
      exitCode,
      message: `something about ${code}`,
    });
  });

  it("covers every code, and nothing else", () => {
    expect(Object.keys(EXIT_CODE_OF).sort()).toHaveLength(14);
  });

  it("an input error names the file and line", () => {
    expect(failureOf(new InputError("leavers.csv", 7, "unclosed quote"))).toEqual({
      exitCode: 2,
      message: "leavers.csv:7: unclosed quote",
    });
  });

  it("anything else is our bug: exit 3, said to be an internal error", () => {
    const failure = failureOf(new TypeError("x is undefined"));
    expect(failure.exitCode).toBe(3);
    expect(failure.message).toMatch(/^internal error: TypeError: x is undefined/);
  });
});
