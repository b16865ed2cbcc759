import { describe, expect, it } from "vitest";
import { duration, wholeNumber } from "../../src/cli/parse-values.js";
import { OffboardError } from "../../src/domain/errors.js";

/** What `parse` throws; fails the test when it returns. */
function usageError(parse: () => unknown): OffboardError {
  try {
    parse();
  } catch (error) {
    expect(error).toBeInstanceOf(OffboardError);
    expect((error as OffboardError).code).toBe("USAGE");
    return error as OffboardError;
  }
  throw new Error("expected a usage error");
}

describe("duration", () => {
  it.each([
    ["90m", 90 * 60_000],
    ["24h", 24 * 3_600_000],
    ["2d", 2 * 86_400_000],
    ["1.5h", 5_400_000],
    ["0.5d", 12 * 3_600_000],
    ["1m", 60_000],
    ["007h", 7 * 3_600_000],
    [" 24h ", 24 * 3_600_000],
  ])("reads %j as %i ms", (value, ms) => {
    expect(duration("--max-plan-age", value)).toBe(ms);
  });

  it.each([
    "24",
    "h",
    "-1h",
    "0h",
    "0m",
    "0.0d",
    "1w",
    "1s",
    "24H",
    "1.h",
    ".5h",
    "1 h",
    "1h30m",
    "",
    "  ",
    "+1h",
    "1e2h",
    "Infinity h",
  ])("refuses %j with a usage error naming the flag", (value) => {
    const error = usageError(() => duration("--max-plan-age", value));
    expect(error.message).toBe(
      `Expected \`--max-plan-age\` to be a duration such as 90m, 24h or 2d, got \`${value}\``,
    );
  });

  it("names whichever flag it is given", () => {
    expect(usageError(() => duration("--other-age", "soon")).message).toBe(
      "Expected `--other-age` to be a duration such as 90m, 24h or 2d, got `soon`",
    );
  });
});

describe("wholeNumber", () => {
  it.each([
    ["0", 0],
    ["1", 1],
    ["3", 3],
    [" 2 ", 2],
    ["10", 10],
  ])("reads %j as %i", (value, number) => {
    expect(wholeNumber("--approvals", value)).toBe(number);
  });

  it.each(["-1", "1.5", "", " ", "abc", "two", "NaN", "Infinity"])(
    "refuses %j with a usage error naming the flag",
    (value) => {
      const error = usageError(() => wholeNumber("--approvals", value));
      expect(error.message).toBe(`Expected \`--approvals\` to be an integer >= 0, got \`${value}\``);
    },
  );

  it("names whichever flag it is given", () => {
    expect(usageError(() => wholeNumber("--plan-required-over", "-3")).message).toBe(
      "Expected `--plan-required-over` to be an integer >= 0, got `-3`",
    );
  });
});
