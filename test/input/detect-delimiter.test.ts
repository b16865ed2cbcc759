import { describe, expect, it } from "vitest";
import { detectDelimiter } from "../../src/input/detect-delimiter.js";

describe("detectDelimiter", () => {
  it.each([
    ["comma", "user_id,email,action\n1,2,3\n", ","],
    ["semicolon (European Excel)", "name;email;action\n", ";"],
    ["tab", "name\temail\taction\n", "\t"],
    ["single column: default comma", "email\na@x.io\n", ","],
    ["empty text: default comma", "", ","],
    ["most frequent wins", "a;b;c,d\n", ";"],
    ["tie goes to comma", "a,b;c\n", ","],
    ["tie between ; and tab goes to ;", "a;b\tc\n", ";"],
    ["delimiters inside quotes do not count", '"last, first";email;action\n', ";"],
    ["only the header line counts", "email;action\na,b,c,d,e\n", ";"],
    ["quoted newline in the header", '"a\n,,,";b;c\n', ";"],
    ["BOM", "\uFEFFemail;action\n", ";"],
    ["CRLF", "email;action\r\nx;y\r\n", ";"],
    ["blank and delimiter-only lines before the header are passed over", "\n,,,\n  \nemail;action\n", ";"],
    ["header without newline (whole file is one line)", "email\taction", "\t"],
  ])("%s", (_name, text, expected) => {
    expect(detectDelimiter(text)).toBe(expected);
  });
});
