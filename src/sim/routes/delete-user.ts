import { type SimReply, zoomError } from "../http.js";
import type { SimDataKind, SimRemoval, SimUserData, SimUserRecord } from "../types.js";
import { DATA_KINDS, TRANSFER_FLAGS } from "../user-data.js";
import type { UserStore } from "../users.js";
import { NO_CONTENT } from "./sign-out-update.js";
import { notFound } from "./users.js";

export interface DeleteParams {
  action: "delete" | "disassociate";
  /** Empty is taken as not given. */
  transferEmail: string | undefined;
  transfer: ReadonlySet<SimDataKind>;
}

// `encrypted_email` is checked and then ignored: no simulator user is looked up by an encrypted email.
const BOOLEAN_PARAMS = new Set(["encrypted_email", ...Object.values(TRANSFER_FLAGS)]);
const KNOWN_PARAMS = new Set(["action", "transfer_email", ...BOOLEAN_PARAMS]);

const invalid = (name: string) => ({
  ok: false as const,
  reply: zoomError(400, 300, `Invalid field: ${name}.`),
});

/**
 * The query of DELETE /users/{userId}. An unknown parameter is refused rather than ignored, so that a client
 * sending a name Zoom does not document (plural `transfer_meetings`, say) is caught instead of losing data.
 */
export function parseDeleteQuery(
  query: string,
): { ok: true; params: DeleteParams } | { ok: false; reply: SimReply } {
  const search = new URLSearchParams(query);
  const seen = new Set<string>();
  for (const [name, value] of search) {
    if (!KNOWN_PARAMS.has(name) || seen.has(name)) return invalid(name);
    seen.add(name);
    if (BOOLEAN_PARAMS.has(name) && value !== "true" && value !== "false") return invalid(name);
  }
  const action = search.get("action") ?? "disassociate";
  if (action !== "delete" && action !== "disassociate") return invalid("action");
  const transfer = new Set(DATA_KINDS.filter((kind) => search.get(TRANSFER_FLAGS[kind]) === "true"));
  const transferEmail = search.get("transfer_email") || undefined;
  return { ok: true, params: { action, transferEmail, transfer } };
}

interface UserRefusal {
  refuses(user: SimUserRecord, params: DeleteParams): boolean;
  code: number;
  message: string;
}

/** Why Zoom will not remove a user (each a 400), in the order the simulator checks: the first that holds. */
const USER_REFUSALS: readonly UserRefusal[] = [
  { refuses: (user) => user.role === "room", code: 200, message: "Cannot delete a Zoom Rooms user." },
  // Zoom documents no answer for the owner; code 200 is the one it uses for users it will not remove.
  {
    refuses: (user) => user.role === "owner",
    code: 200,
    message: "Cannot delete or disassociate the account owner.",
  },
  // Zoom's help centre: admins must be changed to members before they can be deleted.
  {
    refuses: (user, { action }) => user.role === "admin" && action === "delete",
    code: 200,
    message: "Cannot delete an Admin user: change their role to Member first.",
  },
  {
    refuses: (user) => user.deleteRefused === true,
    code: 200,
    message: "Unable to delete this deactivated user. Please contact Zoom support team for more information.",
  },
  {
    refuses: (user) => user.role === "admin",
    code: 1117,
    message: "You can not disassociate an Admin user.",
  },
  {
    refuses: (user, { action }) => user.managedDomain === true && action === "disassociate",
    code: 1107,
    message: "You can not disassociate a user with managed domain.",
  },
  {
    refuses: (user) => user.callQueueManager === true,
    code: 1000,
    message:
      "The user cannot be changed because they are a Call-queue manager or Auto-receptionist operator.",
  },
  {
    refuses: (user) => user.status === "pending" && user.invitationExpired === true,
    code: 1120,
    message: "A valid invitation to join the Zoom account was not found for this user.",
  },
  // Zoom says to disassociate pending users but documents no code for a delete; 300 is the simulator's choice.
  {
    refuses: (user, { action }) => user.status === "pending" && action === "delete",
    code: 300,
    message: "To delete a pending user in the account, use disassociate.",
  },
  {
    refuses: (user, { transferEmail }) => user.upcomingEvents === true && transferEmail === undefined,
    code: 300,
    message:
      "This user has published events on Zoom Events and you do not specify a target user to transfer data.",
  },
];

/** Why the user cannot be removed; undefined when they can. */
function userRefusal(user: SimUserRecord, params: DeleteParams): SimReply | undefined {
  const refusal = USER_REFUSALS.find((rule) => rule.refuses(user, params));
  return refusal === undefined ? undefined : zoomError(400, refusal.code, refusal.message);
}

/** The transfer target, or why it cannot receive this user's data. */
function findTarget(
  store: UserStore,
  user: SimUserRecord,
  params: DeleteParams,
): { target: SimUserRecord | undefined } | { reply: SimReply } {
  const email = params.transferEmail;
  if (email === undefined) return { target: undefined };
  if (email.toLowerCase() === user.email.toLowerCase()) {
    return {
      reply: zoomError(
        400,
        300,
        "The transfer-to email address cannot be the same as the unlinked or deleted user's email address.",
      ),
    };
  }
  // Zoom takes an email address here; a pending user has not joined yet, so has nowhere to receive the data.
  const target = email.includes("@") ? store.find(email) : undefined;
  if (target === undefined || target.status === "pending") {
    return { reply: zoomError(400, 200, `The transfer-to user is not a user of your account: ${email}.`) };
  }
  // Zoom's help centre: recordings need a Licensed target, and so do webinars (with the Webinar add-on).
  if (target.type !== 2 && (params.transfer.has("recordings") || params.transfer.has("webinars"))) {
    return {
      reply: zoomError(
        400,
        300,
        "The destination user does not have a Licensed or higher license and cannot receive this data.",
      ),
    };
  }
  return { target };
}

/**
 * DELETE /users/{userId}: removes the user from the account after moving the flagged kinds of data to the
 * target. Whatever is not moved is lost with the user, and the removal record says how much.
 */
export function deleteUser(
  store: UserStore,
  user: SimUserRecord | undefined,
  userValue: string,
  params: DeleteParams,
): { reply: SimReply; applied: boolean; removal?: SimRemoval } {
  if (user === undefined) return { reply: notFound(userValue), applied: false };
  const refusal = userRefusal(user, params);
  if (refusal !== undefined) return { reply: refusal, applied: false };
  const found = findTarget(store, user, params);
  if ("reply" in found) return { reply: found.reply, applied: false };

  const moved: Partial<SimUserData> = {};
  const lost: Partial<SimUserData> = {};
  for (const kind of DATA_KINDS) {
    const count = user.data[kind];
    if (count === 0) continue;
    if (found.target !== undefined && params.transfer.has(kind)) {
      found.target.data[kind] += count;
      moved[kind] = count;
    } else {
      lost[kind] = count;
    }
  }
  store.remove(user);
  const removal: SimRemoval = {
    user: user.id,
    email: user.email,
    action: params.action,
    ...(found.target === undefined ? {} : { transferTo: found.target.id }),
    moved,
    lost,
  };
  return { reply: NO_CONTENT, applied: true, removal };
}
