import type { Action } from "../domain/actions.js";
import { InputError, OffboardError } from "../domain/errors.js";
import { type CheckOptions, checkRecord, resolveAction, userProblem } from "./check-row.js";
import { type InputLayout, type InputRecord, openInput } from "./open-input.js";
import { UserKeyTable } from "./user-key-table.js";

export type RowVerdict =
  | { kind: "send"; user: string; action: Action }
  | { kind: "invalid"; action: string; reason: string }
  /** reason e.g. "same user and action as line 4" */
  | { kind: "duplicate"; user: string; action: Action; firstLine: number; reason: string }
  /** reason e.g. "user has both actions: activate at line 7, deactivate at line 3" */
  | { kind: "conflict"; user: string; action: Action; reason: string };

export interface ScanResult {
  file: string;
  layout: InputLayout;
  checksum: string;
  /** Non-blank data records. */
  dataRows: number;
  /** activate / deactivate: `send` verdicts per action. */
  counts: {
    send: number;
    invalid: number;
    duplicate: number;
    conflict: number;
    activate: number;
    deactivate: number;
  };
  /**
   * The verdict for a record of the scanned file, read again on a second streaming pass. Pure given the scan: the
   * same record always gets the same verdict. Compare `checksum` after that pass to be sure it was the same file.
   */
  verdict(record: InputRecord): RowVerdict;
}

/**
 * Reads the whole file once before anything is sent (a conflict can sit on the last line and cancel a row
 * on the first). Keeps no rows: only a compact table of hashed user keys, so memory does not grow with row length.
 * File errors throw InputError, so a broken file stops the run before the first request.
 */
export async function scanInput(
  path: string,
  options: { defaultAction: Action | undefined },
): Promise<ScanResult> {
  const input = await openInput(path);
  const checkOptions: CheckOptions = {
    defaultAction: options.defaultAction,
    hasActionColumn: input.layout.actionColumn !== undefined,
  };
  // Sized once from the file's size: most rows of an export are distinct users.
  const table = UserKeyTable.forKeys(input.estimatedRecords);
  let dataRows = 0;
  let invalid = 0;
  for await (const batch of input.batches) {
    for (const record of batch) {
      dataRows++;
      if (record.line > UserKeyTable.MAX_LINE) {
        throw new InputError(path, record.line, `too many lines (at most ${UserKeyTable.MAX_LINE})`);
      }
      // The same rules as checkRecord, without building its result object: this loop runs a million times.
      const action = resolveAction(record.action, checkOptions);
      if (action === undefined || record.user === undefined || userProblem(record.user) !== undefined) {
        invalid++;
        continue;
      }
      table.add(record.user, action, record.line);
    }
  }
  return {
    file: path,
    layout: input.layout,
    checksum: input.checksum(),
    dataRows,
    counts: {
      send: table.sendKeys,
      invalid,
      duplicate: table.duplicateRows,
      conflict: table.conflictRows,
      activate: table.sendActivate,
      deactivate: table.sendDeactivate,
    },
    verdict: (record) => verdictFor(record, checkOptions, table),
  };
}

function verdictFor(record: InputRecord, options: CheckOptions, table: UserKeyTable): RowVerdict {
  // The checks of checkRecord without its result object (a valid row is the common case); the reason of an invalid
  // row is worked out by checkRecord itself.
  const action = resolveAction(record.action, options);
  const user = record.user;
  if (action === undefined || user === undefined || userProblem(user) !== undefined) {
    const check = checkRecord(record, options);
    if (!check.ok) return { kind: "invalid", action: check.action, reason: check.reason };
  }
  if (action === undefined || user === undefined)
    throw new OffboardError("INTERNAL", "checkRecord accepted a row without action or user");
  if (table.sends(user, action, record.line)) return { kind: "send", user, action };
  const entry = table.lookup(user);
  if (entry === undefined) {
    // Only when the file changed between the scan and this pass; never send what was not checked.
    return { kind: "invalid", action, reason: "row was not in the file when it was checked (file changed?)" };
  }
  if (entry.conflict) {
    const activateLine = entry.firstAction === "activate" ? entry.firstLine : entry.otherLine;
    const deactivateLine = entry.firstAction === "deactivate" ? entry.firstLine : entry.otherLine;
    return {
      kind: "conflict",
      user,
      action,
      reason: `user has both actions: activate at line ${activateLine}, deactivate at line ${deactivateLine}`,
    };
  }
  if (record.line === entry.firstLine && action === entry.firstAction) return { kind: "send", user, action };
  return {
    kind: "duplicate",
    user,
    action,
    firstLine: entry.firstLine,
    reason: `same user and action as line ${entry.firstLine}`,
  };
}
