import { REMOVALS } from "../domain/actions.js";
import type { ApprovedChanges, PlannedChange } from "../domain/plan.js";
import { driftOf, snapshotOf } from "../lookup/drift.js";
import type { PlannedLookups } from "../lookup/plan.js";
import type { ProtectList } from "../lookup/protect-list.js";
import { type ChangeRow, sendChange, type TransferChoice, transferWording } from "../send/send-change.js";
import type { RowDecider } from "./run-rows.js";
import type { ZoomSession } from "./zoom-session.js";

export interface DecideOptions {
  dryRun: boolean;
  transfer: TransferChoice;
  /** An apply: each row goes only if its user (and transfer target) is still in the state the plan saw. */
  approved?: ApprovedChanges | undefined;
}

/**
 * How the rows that pass the file's checks are decided: from the look-ups (already, not found, protected), then by
 * sending the change and reading Zoom's answer — or, in a dry run, by saying it would be sent. `onPlanned` is told
 * of every change a dry run would send, with the state its look-ups saw (a plan is made of these).
 */
export function rowDecider(
  planned: PlannedLookups,
  protect: ProtectList,
  session: ZoomSession | undefined,
  options: DecideOptions,
  onPlanned?: (change: PlannedChange) => void,
): RowDecider {
  const { dryRun, transfer, approved } = options;
  // Only a plain offline check (no look-ups, no protect list) can settle valid rows without asking the plan.
  if (planned.strategy === "none" && session === undefined && protect.size === 0) {
    // The same words as a live preview: a removal says where its data would go even without a look-up.
    return { kind: "offline", preview: (row) => wouldApply(row, undefined, transfer) };
  }
  return {
    kind: "zoom",
    decide: async (row, line) => {
      if (planned.alongside) {
        await planned.whenKnown(row.user);
        if (row.transferTo !== undefined) await planned.whenKnown(row.transferTo);
      }
      // A user put on the protect list since the plan is protected, whatever else changed.
      if (approved !== undefined && !protect.matches(row.user)) {
        const drift = driftSincePlan(approved.get(line), row, planned);
        if (drift !== undefined) {
          return { outcome: "drifted", message: `${drift} since the plan: not changed`, attempts: 0 };
        }
      }
      const decision = planned.decide(row);
      // A row the look-up's own answer decides carries that answer; one decided from the directory has none.
      const facts = decision.facts ?? {};
      if (decision.kind === "send" || decision.kind === "unknown") {
        if (dryRun || session === undefined) {
          if (decision.kind === "unknown") {
            return { outcome: "failed", message: decision.message, attempts: 0, ...facts };
          }
          const message = wouldApply(row, decision.disassociate, transfer);
          if (onPlanned !== undefined) onPlanned(plannedChange(row, line, message, planned));
          return { outcome: "would_apply", message, attempts: 0, ...facts };
        }
        // The look-up may be stale by now; the change's own answer decides the row.
        const disassociate = decision.kind === "send" && decision.disassociate === true;
        return sendChange({ ...row, disassociate }, transfer, session.sender);
      }
      return { outcome: decision.kind, message: decision.message, attempts: 0, ...facts };
    },
  };
}

/** A dry run's word on a row: what would be sent, and for a removal where the user's data would go. */
function wouldApply(row: ChangeRow, disassociate: boolean | undefined, transfer: TransferChoice): string {
  if (!REMOVALS.has(row.action)) return "dry run: would be sent";
  const action =
    disassociate === true
      ? "disassociated (a pending user)"
      : row.action === "delete"
        ? "deleted"
        : "disassociated";
  return `dry run: would be ${action}; ${transferWording(row.transferTo, transfer)}`;
}

/** Why an approved row may not go (what changed since the plan), or undefined when it may. */
function driftSincePlan(
  change: PlannedChange | undefined,
  row: ChangeRow,
  planned: PlannedLookups,
): string | undefined {
  // The apply's input is written from the plan, so this only happens if it was tampered with on the way.
  if (
    change === undefined ||
    change.user !== row.user ||
    change.action !== row.action ||
    change.transfer_to !== row.transferTo
  )
    return "the row is not in the plan";
  const licence = row.action === "downgrade" || row.action === "license";
  const user = driftOf(row.user, change.user_state, planned.stateOf(row.user), licence);
  if (user !== undefined) return user;
  if (row.transferTo === undefined || change.transfer_to_state === undefined) return undefined;
  return driftOf(
    `the transfer target ${row.transferTo}`,
    change.transfer_to_state,
    planned.stateOf(row.transferTo),
    true,
  );
}

/** A change a dry run would send, with the state the look-ups saw, for the plan file. */
function plannedChange(row: ChangeRow, line: number, effect: string, planned: PlannedLookups): PlannedChange {
  const userState = snapshotOf(planned.stateOf(row.user));
  const targetState = row.transferTo === undefined ? undefined : snapshotOf(planned.stateOf(row.transferTo));
  return {
    line,
    user: row.user,
    action: row.action,
    ...(row.transferTo === undefined ? {} : { transfer_to: row.transferTo }),
    effect: effect.replace(/^dry run: /, ""),
    // A plan is made only with look-ups; a user they did not find is never a change to plan.
    user_state: userState ?? { status: "active", role: "member", type: null },
    ...(targetState === undefined ? {} : { transfer_to_state: targetState }),
  };
}
