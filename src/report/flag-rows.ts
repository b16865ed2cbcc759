import { readFileSync } from "node:fs";
import { parse } from "csv-parse/sync";
import { stringify } from "csv-stringify/sync";
import type { Outcome } from "../domain/outcomes.js";
import { oneLine } from "../domain/report-row.js";
import { escapeFormula } from "./format-row.js";
import { replacePrivateFile } from "./private-file.js";

/**
 * Give some finished rows of a report another outcome and message (a verification found them not done), leaving
 * every other cell as written. The file is replaced whole, so a reader never sees half of it.
 */
export function flagReportRows(
  path: string,
  flagged: ReadonlyMap<number, { outcome: Outcome; message: string }>,
): number {
  if (flagged.size === 0) return 0;
  const records: string[][] = parse(readFileSync(path, "utf8"), { relax_column_count: true });
  const header = records[0] ?? [];
  const lineAt = header.indexOf("line");
  const outcomeAt = header.indexOf("outcome");
  const messageAt = header.indexOf("message");
  let changed = 0;
  for (const record of records.slice(1)) {
    const flag = flagged.get(Number(record[lineAt]));
    if (flag === undefined) continue;
    record[outcomeAt] = flag.outcome;
    record[messageAt] = escapeFormula(oneLine(flag.message));
    changed += 1;
  }
  replacePrivateFile(path, stringify(records));
  return changed;
}
