import { basename, extname, join } from "node:path";

/** `reports/<input name>-<UTC yyyymmddThhmmssZ>.csv`, relative to the working directory. */
export function defaultReportPath(inputPath: string, startedAt: Date, directory = "reports"): string {
  const name = basename(inputPath, extname(inputPath)) || "input";
  const stamp = startedAt
    .toISOString()
    .replace(/[-:]/g, "")
    .replace(/\.\d{3}Z$/, "Z");
  return join(directory, `${name}-${stamp}.csv`);
}

/**
 * The default report path, or the first free `-2`, `-3`, … variant of it: a run resumed within the same second as
 * the one it resumes (a crash loop under a supervisor) must not stop on "already exists". `taken` says whether a
 * path (or its sidecar) is already there.
 */
export function freeDefaultReportPath(
  inputPath: string,
  startedAt: Date,
  taken: (path: string) => boolean,
  directory = "reports",
): string {
  const first = defaultReportPath(inputPath, startedAt, directory);
  if (!taken(first)) return first;
  const stem = first.slice(0, -".csv".length);
  for (let n = 2; ; n += 1) {
    const candidate = `${stem}-${n}.csv`;
    if (!taken(candidate)) return candidate;
  }
}
