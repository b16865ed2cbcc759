import { type Action, REMOVALS } from "../domain/actions.js";
import type { ZoomOperation } from "../zoom/operation.js";
import {
  downgrade,
  type RemoveUserInput,
  relicense,
  removeUser,
  setStatus,
  signOut,
  TRANSFER_ITEM_NAMES,
  TRANSFER_ITEMS,
  type TransferItem,
} from "../zoom/operations/index.js";
import type { RowResult } from "./row-result.js";
import { sendRequest } from "./send-request.js";
import type { Sender } from "./sender.js";

/** One row's change, as the pipeline hands it over. */
export interface ChangeRow {
  user: string;
  action: Action;
  /** A removal's transfer target. */
  transferTo?: string | undefined;
  /** A deletion of a pending user goes as a disassociation: Zoom removes pending users no other way. */
  disassociate?: boolean | undefined;
}

/** What moves to a removal's transfer target; undefined moves nothing. */
export type TransferChoice = readonly TransferItem[];

/** The Zoom operation that carries out a row, and what the report says once it is done. */
interface Change<In> {
  operation: ZoomOperation<In, unknown>;
  input: In;
  done: string;
}

/** The operation, input and report wording of a row's change. Pure. */
export function changeFor(row: ChangeRow, transfer: TransferChoice): Change<unknown> {
  const { user } = row;
  const as = <In>(change: Change<In>): Change<unknown> => change as Change<unknown>;
  switch (row.action) {
    case "activate":
    case "deactivate":
      return as({ operation: setStatus, input: { user, action: row.action }, done: "status changed" });
    case "signout":
      return as({ operation: signOut, input: { user }, done: "signed out of every Zoom session" });
    case "downgrade":
      return as({ operation: downgrade, input: { user }, done: "downgraded to Basic: the licence is free" });
    case "license":
      return as({ operation: relicense, input: { user }, done: "Licensed again" });
    case "delete":
    case "disassociate": {
      const action = row.disassociate === true ? "disassociate" : row.action;
      const moved = transferWording(row.transferTo, transfer);
      const pending =
        row.disassociate === true ? " (a pending user: Zoom removes them only by disassociating)" : "";
      const input: RemoveUserInput = {
        user,
        action,
        transferEmail: row.transferTo,
        transfer:
          row.transferTo === undefined ? undefined : Object.fromEntries(transfer.map((item) => [item, true])),
      };
      return as({
        operation: removeUser,
        input,
        done: `${action === "delete" ? "deleted" : "disassociated"}${pending}; ${moved}`,
      });
    }
  }
}

const itemNames = (items: readonly TransferItem[]): string =>
  items.map((item) => TRANSFER_ITEM_NAMES[item]).join(", ");

/**
 * "meetings, recordings moved to x; not transferred: webinars, …": every report row of a removal says where the
 * data went, and what `--transfer` left behind.
 */
export function transferWording(target: string | undefined, transfer: TransferChoice): string {
  if (target === undefined || transfer.length === 0) return "no data transferred";
  const moved = `${itemNames(transfer)} moved to ${target}`;
  const left = TRANSFER_ITEMS.filter((item) => !transfer.includes(item));
  return left.length === 0 ? moved : `${moved}; not transferred: ${itemNames(left)}`;
}

/**
 * Carry out one row's action until Zoom decides it, the attempts run out, or the run stops. Never throws for
 * anything Zoom or the network does: that becomes the row's outcome.
 */
export async function sendChange(
  row: ChangeRow,
  transfer: TransferChoice,
  sender: Sender,
): Promise<RowResult> {
  const change = changeFor(row, transfer);
  const sent = await sendRequest(change.operation, change.input, sender, { user: row.user });
  const { httpStatus, zoomCode, trackingId } = sent.last;
  const facts = { httpStatus, zoomCode, trackingId };
  const lastMessage = sent.last.message ?? "none";
  switch (sent.kind) {
    case "done": {
      const transferred = row.transferTo !== undefined && transfer.length > 0 && REMOVALS.has(row.action);
      return {
        outcome: "applied",
        message: change.done,
        attempts: sent.attempts,
        ...facts,
        transferTo: transferred ? row.transferTo : undefined,
      };
    }
    case "final":
      return { outcome: sent.outcome, message: sent.message, attempts: sent.attempts, ...facts };
    case "daily_limit":
      // The change was refused, so this row is not done: it goes back to the pile of rows never sent.
      return {
        outcome: "not_attempted",
        message: `Zoom's daily rate limit reached; resets at ${sent.resetAt.toISOString()}`,
        attempts: sent.attempts,
        ...facts,
      };
    case "exhausted":
      return {
        outcome: "failed",
        message: `gave up after ${sent.attempts} attempts; last answer: ${lastMessage}`,
        attempts: sent.attempts,
        ...facts,
      };
    case "stopped":
      // A row the stop cut short between attempts is undecided, not failed: its attempts did not run out, and the
      // stop (a signal, the daily limit, the token endpoint gone) says nothing about the row. A resume sends it.
      return sent.attempts === 0
        ? { outcome: "not_attempted", message: "run stopped before this row was sent", attempts: 0 }
        : {
            outcome: "not_attempted",
            message: `run stopped before the row was retried (${sent.attempts} sent); last answer: ${lastMessage}`,
            attempts: sent.attempts,
            ...facts,
          };
  }
}
