/**
 * DELETE /users/{userId}: disassociate (unlink: the user keeps a free Zoom account of their own) or delete (the
 * user and their data are gone), after transferring what is asked for to another user of the account.
 * https://developers.zoom.us/docs/api/users/#tag/users/DELETE/users/{userId}
 */
import { is2xx, isNoSuchUser } from "../answer.js";
import { refusedWith, userPath, type ZoomOperation } from "../operation.js";

/** What can be transferred, by the suffix of Zoom's `transfer_*` flag (singular: Zoom documents no other). */
export const TRANSFER_ITEMS = [
  "meeting",
  "webinar",
  "recording",
  "whiteboard",
  "clipfiles",
  "notes",
  "docs",
  "visitors",
] as const;
export type TransferItem = (typeof TRANSFER_ITEMS)[number];

/** How people call them: in flags, plans and report messages. */
export const TRANSFER_ITEM_NAMES: Readonly<Record<TransferItem, string>> = {
  meeting: "meetings",
  webinar: "webinars",
  recording: "recordings",
  whiteboard: "whiteboards",
  clipfiles: "clips",
  notes: "notes",
  docs: "docs",
  visitors: "visitors",
};

export interface RemoveUserInput {
  user: string;
  /** Pending users can only be disassociated. */
  action: "delete" | "disassociate";
  /** The user who receives the data, in the same account; Zoom requires one for a user with Zoom Events. */
  transferEmail?: string | undefined;
  /** Only the flags given are sent; Zoom's defaults apply to the others. */
  transfer?: Partial<Record<TransferItem, boolean>> | undefined;
}

/**
 * Refused for good: 300 the target is the user themself, an API user, published Zoom Events without a target, a
 * target without the licence to receive the data; 200 outside the account, a Zoom Rooms user, or "Unable to delete
 * this deactivated user"; 1000 a call-queue manager; 1107 a managed-domain user; 1117 an admin; 1120 an expired
 * invitation.
 */
const refused = refusedWith([300, 200, 1000, 1107, 1117, 1120]);

/** Zoom's wording when a removal of this user is already under way (it may also say "Too many concurrent"). */
const ALREADY_UNDER_WAY = /request to (disassociate|delete) this user has already been made/i;

export const removeUser: ZoomOperation<RemoveUserInput, "applied"> = {
  name: "remove user",
  label: "Light",
  scopes: ["user:delete:user:admin", "user:write:admin"],
  request: ({ user, action, transferEmail, transfer = {} }) => {
    const query: Record<string, string> = { action };
    if (transferEmail !== undefined) query.transfer_email = transferEmail;
    for (const item of TRANSFER_ITEMS) {
      const wanted = transfer[item];
      if (wanted !== undefined) query[`transfer_${item}`] = String(wanted);
    }
    return { method: "DELETE", path: userPath(user), query };
  },
  interpret: (answer) => {
    if (is2xx(answer.status)) return { kind: "done", value: "applied" };
    // The goal of a removal is the user gone: a repeat after a lost answer lands here too.
    if (isNoSuchUser(answer)) {
      return { kind: "final", outcome: "already", message: "not in the account: already gone" };
    }
    if (answer.status === 429 && ALREADY_UNDER_WAY.test(answer.message ?? "")) {
      return { kind: "retry", reason: "concurrent" };
    }
    return refused(answer);
  },
  undo: {
    kind: "irreversible",
    why: "a deleted user and their data are gone; a disassociated user has an account of their own",
  },
};
