import { basename, extname, join } from "node:path";

/** `reports/<input name>-<UTC yyyymmddThhmmssZ>.csv` (SPEC §2), relative to the working directory. */
export function defaultReportPath(inputPath: string, startedAt: Date, directory = "reports"): string {
  const name = basename(inputPath, extname(inputPath)) || "input";
  const stamp = startedAt
    .toISOString()
    .replace(/[-:]/g, "")
    .replace(/\.\d{3}Z$/, "Z");
  return join(directory, `${name}-${stamp}.csv`);
}
