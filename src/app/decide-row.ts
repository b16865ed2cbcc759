import type { PlannedLookups } from "../lookup/plan.js";
import type { ProtectList } from "../lookup/protect-list.js";
import { sendChange } from "../send/send-change.js";
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
  dryRun: boolean,
): RowDecider {
  // Only a plain offline check (no look-ups, no protect list) can settle valid rows without asking the plan.
  if (planned.strategy === "none" && session === undefined && protect.size === 0) return { kind: "offline" };
  return {
    kind: "zoom",
    decide: async (user, action) => {
      if (planned.alongside) await planned.whenKnown(user);
      const decision = planned.decide(user, action);
      // A row the look-up's own answer decides carries that answer; one decided from the directory has none.
      const facts = decision.facts ?? {};
      if (decision.kind === "send" || decision.kind === "unknown") {
        if (dryRun || session === undefined) {
          return decision.kind === "send"
            ? { outcome: "would_apply", message: "dry run: would be sent", attempts: 0, ...facts }
            : { outcome: "failed", message: decision.message, attempts: 0, ...facts };
        }
        // The look-up may be stale by now; the change's own answer decides the row.
        return sendChange(action, user, session.sender);
      }
      return { outcome: decision.kind, message: decision.message, attempts: 0, ...facts };
    },
  };
}
