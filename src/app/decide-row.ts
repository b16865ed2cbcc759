import { REMOVALS } from "../domain/actions.js";
import type { PlannedLookups } from "../lookup/plan.js";
import type { ProtectList } from "../lookup/protect-list.js";
import { type ChangeRow, sendChange, type TransferChoice, transferWording } from "../send/send-change.js";
import type { RowDecider } from "./run-rows.js";
import type { ZoomSession } from "./zoom-session.js";

/**
 * How the rows that pass the file's checks are decided: from the look-ups (already, not found, protected), then by
 * sending the change and reading Zoom's answer — or, in a dry run, by saying it would be sent.
 */
export function rowDecider(
  planned: PlannedLookups,
  protect: ProtectList,
  session: ZoomSession | undefined,
  options: { dryRun: boolean; transfer: TransferChoice },
): RowDecider {
  const { dryRun, transfer } = options;
  // Only a plain offline check (no look-ups, no protect list) can settle valid rows without asking the plan.
  if (planned.strategy === "none" && session === undefined && protect.size === 0) {
    // The same words as a live preview: a removal says where its data would go even without a look-up.
    return { kind: "offline", preview: (row) => wouldApply(row, undefined, transfer) };
  }
  return {
    kind: "zoom",
    decide: async (row) => {
      if (planned.alongside) {
        await planned.whenKnown(row.user);
        if (row.transferTo !== undefined) await planned.whenKnown(row.transferTo);
      }
      const decision = planned.decide(row);
      // A row the look-up's own answer decides carries that answer; one decided from the directory has none.
      const facts = decision.facts ?? {};
      if (decision.kind === "send" || decision.kind === "unknown") {
        if (dryRun || session === undefined) {
          return decision.kind === "send"
            ? {
                outcome: "would_apply",
                message: wouldApply(row, decision.disassociate, transfer),
                attempts: 0,
                ...facts,
              }
            : { outcome: "failed", message: decision.message, attempts: 0, ...facts };
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
