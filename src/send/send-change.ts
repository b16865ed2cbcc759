import type { Action } from "../domain/actions.js";
import type { ZoomOperation } from "../zoom/operation.js";
import { setStatus } from "../zoom/operations/index.js";
import type { RowResult } from "./row-result.js";
import { sendRequest } from "./send-request.js";
import type { Sender } from "./sender.js";

/** The Zoom operation that carries out an action for a user, and what the report says when it is done. */
interface Change<In> {
  operation: ZoomOperation<In, unknown>;
  input: In;
  done: string;
}

function changeFor(action: Action, user: string): Change<unknown> {
  switch (action) {
    case "activate":
    case "deactivate":
      return { operation: setStatus, input: { user, action }, done: "status changed" } as Change<unknown>;
  }
}

/**
 * Carry out one row's action until Zoom decides it, the attempts run out, or the run stops. Never throws for
 * anything Zoom or the network does: that becomes the row's outcome.
 */
export async function sendChange(action: Action, user: string, sender: Sender): Promise<RowResult> {
  const change = changeFor(action, user);
  const sent = await sendRequest(change.operation, change.input, sender, { user });
  const { httpStatus, zoomCode, trackingId } = sent.last;
  const facts = { httpStatus, zoomCode, trackingId };
  const lastMessage = sent.last.message ?? "none";
  switch (sent.kind) {
    case "done":
      return { outcome: "applied", message: change.done, attempts: sent.attempts, ...facts };
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
