import { describe, expect, it } from "vitest";
import { oneLine } from "../../src/domain/report-row.js";

describe("oneLine", () => {
  it.each([
    { text: "one line", expected: "one line" },
    { text: "  padded  ", expected: "padded" },
    { text: "a\r\n\tb   c", expected: "a b c" },
    { text: "line one\r\nline two", expected: "line one line two" },
    { text: "a\u2028b\vc\fd", expected: "a b c d" },
    { text: "\n", expected: "" },
    { text: "", expected: "" },
  ])("$text → $expected", ({ text, expected }) => {
    expect(oneLine(text)).toBe(expected);
  });
});
