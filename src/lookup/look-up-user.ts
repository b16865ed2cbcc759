import { userKey } from "../domain/users.js";
import { sendRequest } from "../send/send-request.js";
import type { Sender } from "../send/sender.js";
import { getUser } from "../zoom/operations/index.js";
import type { LookupBook } from "./lookup-book.js";

/** Look one user up (a Light GET) and write what Zoom said into the book, with Zoom's answer for the report. */
export async function lookUpUser(user: string, book: LookupBook, sender: Sender): Promise<void> {
  const sent = await sendRequest(getUser, { user }, sender, { user, lookup: "per-user" });
  const { httpStatus, zoomCode, trackingId } = sent.last;
  const facts =
    httpStatus === undefined && trackingId === undefined ? undefined : { httpStatus, zoomCode, trackingId };
  switch (sent.kind) {
    case "done":
      if (sent.value.kind === "found") {
        // Under Zoom's identifiers, and under the row's own value too: the file may spell an email in another
        // case, and a pending user has no id.
        book.addFound(sent.value, user, facts);
      } else {
        book.addNotFound(user, sent.value.message, facts);
      }
      return;
    case "final":
      book.addUnknown(user, `look-up failed: ${sent.message}`, facts);
      return;
    default:
      // Stopped or out of attempts: unknown, so a real run lets the change's own answer decide.
      book.addUnknown(user, `look-up failed: ${sent.last.message ?? sent.kind}`, facts);
  }
}

/**
 * {@link lookUpUser} for rows decided side by side: a user that several rows name (their own rows, or a manager
 * receiving several leavers' data) is asked about once, never by two requests at the same time — Zoom answers the
 * second one 429 "too many concurrent requests".
 */
export function singleFlightLookUps(book: LookupBook, sender: Sender): (user: string) => Promise<void> {
  const inFlight = new Map<string, Promise<void>>();
  return (user) => {
    if (book.has(user)) return Promise.resolve();
    const key = userKey(user);
    let pending = inFlight.get(key);
    if (pending === undefined) {
      pending = lookUpUser(user, book, sender).finally(() => inFlight.delete(key));
      inFlight.set(key, pending);
    }
    return pending;
  };
}
