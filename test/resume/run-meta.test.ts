import { statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import {
  judgeResumeInput,
  metaPathFor,
  parseRunMeta,
  type RunMeta,
  readRunMeta,
  writeRunMeta,
} from "../../src/resume/run-meta.js";
import { tempDir } from "../helpers/cleanup.js";

const meta: RunMeta = {
  tool: "zoom-offboard",
  version: "0.1.0",
  input: "people.csv",
  input_realpath: "/srv/people.csv",
  input_sha256: "a".repeat(64),
  started_at: "2026-01-01T00:00:00.000Z",
  resumed_from: null,
  dry_run: false,
};
const paths = { input: "people.csv", earlierReport: "reports/r1.csv" };

describe("judgeResumeInput", () => {
  it.each([
    ["same checksum", meta, "a".repeat(64), false, "same"],
    ["same checksum, --force", meta, "a".repeat(64), true, "same"],
    ["no sidecar", undefined, "b".repeat(64), false, "unknown"],
    ["other bytes, --force", meta, "b".repeat(64), true, "different"],
  ] as const)("%s → %s", (_name, found, checksum, force, kind) => {
    expect(judgeResumeInput(found, checksum, paths, force).kind).toBe(kind);
  });

  it("refuses other bytes without --force, naming both files", () => {
    expect(() => judgeResumeInput(meta, "b".repeat(64), paths, false)).toThrow(
      expect.objectContaining({
        code: "RESUME_MISMATCH",
        message: expect.stringMatching(/people\.csv.*reports\/r1\.csv.*--force/),
      }),
    );
  });
});

describe("sidecar file", () => {
  it("is written 0600, never over an existing one, and read back", () => {
    const dir = tempDir("zo-meta-");
    const report = join(dir, "r.csv");
    writeRunMeta(report, meta);
    expect(statSync(metaPathFor(report)).mode & 0o777).toBe(0o600);
    expect(readRunMeta(report)).toEqual(meta);
    expect(() => writeRunMeta(report, meta)).toThrow(expect.objectContaining({ code: "REPORT_UNWRITABLE" }));
  });

  it.each([["not json"], ["{}"], ['{"tool":"other","input_sha256":"x"}'], ["null"]])(
    "ignores a sidecar that is not ours: %s",
    (text) => {
      expect(parseRunMeta(text)).toBeUndefined();
    },
  );

  it("reads a missing sidecar as undefined", () => {
    const dir = tempDir("zo-meta-");
    writeFileSync(join(dir, "r.csv"), "");
    expect(readRunMeta(join(dir, "r.csv"))).toBeUndefined();
  });
});
