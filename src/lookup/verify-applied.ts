import type { Action } from "../domain/actions.js";
import type { Sender } from "../send/sender.js";
import { createDirectoryReader } from "./directory-reader.js";
import { typeName } from "./drift.js";
import { LookupBook } from "./lookup-book.js";
import { EMPTY_PROTECT_LIST } from "./protect-list.js";
import type { UserState } from "./user-state.js";

/** A row Zoom said it applied, to be held against the directory read afterwards. */
export interface AppliedRow {
  line: number;
  user: string;
  action: Action;
}

export type Verdict =
  | { kind: "confirmed" }
  /** Zoom shows something else: `shows` says what, in words. */
  | { kind: "not_in_state"; shows: string }
  /** Nothing Zoom lists can confirm it (a sign-out leaves no trace in the directory). */
  | { kind: "unverifiable" };

const BASIC = 1;
const LICENSED = 2;

/** Whether `state`, read after the change, is what `action` leaves. Pure. */
export function verdictFor(action: Action, state: UserState | undefined): Verdict {
  if (action === "signout") return { kind: "unverifiable" };
  if (state === undefined || state.kind === "unknown")
    return { kind: "not_in_state", shows: "is not listed" };
  const removal = action === "delete" || action === "disassociate";
  if (state.kind === "not_found") {
    return removal ? { kind: "confirmed" } : { kind: "not_in_state", shows: "is not in the account" };
  }
  const now = `${state.status}${state.type === undefined ? "" : `, ${typeName(state.type)}`}`;
  const holds =
    (action === "deactivate" && state.status === "inactive") ||
    (action === "activate" && state.status === "active") ||
    (action === "downgrade" && state.type === BASIC) ||
    (action === "license" && state.type === LICENSED);
  if (holds) return { kind: "confirmed" };
  return { kind: "not_in_state", shows: removal ? `is still in the account (${now})` : `shows ${now}` };
}

export interface Verification {
  /** Rows held against the directory. */
  checked: number;
  /** By line: what Zoom shows for a row it said it applied but that is not in that state. */
  flagged: Map<number, string>;
  /** Rows nothing Zoom lists can confirm (sign-outs). */
  unverifiable: number;
  /** Why the directory could not be read; then nothing was checked. */
  failed?: string;
}

/**
 * Read the directory once more (GET /users is Medium: a budget of its own, apart from the changes') and hold
 * each applied row against it.
 */
export async function verifyApplied(rows: readonly AppliedRow[], sender: Sender): Promise<Verification> {
  const verification: Verification = { checked: 0, flagged: new Map(), unverifiable: 0 };
  const toCheck = rows.filter((row) => row.action !== "signout");
  verification.unverifiable = rows.length - toCheck.length;
  if (toCheck.length === 0) return verification;
  const book = new LookupBook(EMPTY_PROTECT_LIST);
  const read = await createDirectoryReader(sender).readAll(book);
  if ("failed" in read) return { ...verification, failed: read.failed };
  for (const row of toCheck) {
    const verdict = verdictFor(row.action, book.get(row.user));
    verification.checked += 1;
    if (verdict.kind === "not_in_state") {
      verification.flagged.set(
        row.line,
        `Zoom answered that it applied this, but ${row.user} ${verdict.shows}`,
      );
    }
  }
  return verification;
}
