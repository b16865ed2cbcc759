import { closeSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { createPrivateFile } from "../../src/report/private-file.js";
import { tempDir } from "../helpers/cleanup.js";

describe("createPrivateFile", () => {
  it("creates the file and its folder, readable by its owner only", () => {
    const path = join(tempDir("zo-private-"), "nested", "r.csv");
    closeSync(createPrivateFile(path, "report", "--report"));
    expect(statSync(path).mode & 0o777).toBe(0o600);
  });

  it.each([
    { kind: "report", option: "--report", says: "reports are never overwritten; choose another --report" },
    { kind: "plan", option: "--out", says: "plans are never overwritten; choose another --out" },
  ] as const)("refuses an existing $kind, naming $option", ({ kind, option, says }) => {
    const path = join(tempDir("zo-private-"), "earlier");
    writeFileSync(path, "audit trail");
    expect(() => createPrivateFile(path, kind, option)).toThrow(
      expect.objectContaining({
        code: "REPORT_UNWRITABLE",
        message: `cannot create the ${kind} ${path}: it already exists (${says})`,
      }),
    );
    expect(readFileSync(path, "utf8")).toBe("audit trail");
  });
});
