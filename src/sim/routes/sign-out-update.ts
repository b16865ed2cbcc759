import { type SimReply, zoomError } from "../http.js";
import type { SimTypeChange, SimUserRecord, SimUserType } from "../types.js";
import { notFound } from "./users.js";

export const NO_CONTENT: SimReply = { status: 204 };

/**
 * DELETE /users/{userId}/token: ends the user's Zoom sessions. Answered 204 also for a user without a session
 * (pending, say), since Zoom's answer there is unconfirmed.
 */
export function signOut(
  user: SimUserRecord | undefined,
  userValue: string,
): { reply: SimReply; applied: boolean } {
  return user === undefined
    ? { reply: notFound(userValue), applied: false }
    : { reply: NO_CONTENT, applied: true };
}

export interface UpdateOutcome {
  reply: SimReply;
  applied: boolean;
  typeChange?: SimTypeChange;
}

/** Why Zoom refuses to give this user that type, in the order the simulator checks; undefined when it may. */
function typeRefusal(user: SimUserRecord, userValue: string, to: number): SimReply | undefined {
  // 99 ("None") can only be set on users created with `ssoCreate`, which no simulator user was.
  if (to === 99)
    return zoomError(400, 300, "Invalid field: type (99 is only for users created with ssoCreate).");
  if (user.role === "room" && to === 1) {
    return zoomError(400, 200, `A Zoom Room user cannot be changed to a free user type: ${userValue}`);
  }
  if (user.role === "room" && to === 4) {
    return zoomError(
      400,
      200,
      `A Zoom Room user cannot be changed to a no-meeting-license user type: ${userValue}.`,
    );
  }
  if (user.role === "owner") {
    return zoomError(400, 1108, "Permission requirements to change the user type of this user were not met.");
  }
  if (user.status === "pending" && user.invitationExpired === true) {
    return zoomError(400, 1120, "A valid invitation to join the Zoom account wasn't found for this user.");
  }
  if (to === 1 && user.upcomingEvents === true) {
    return zoomError(
      400,
      300,
      'You cannot change the user type to "Basic" because this user has an upcoming Zoom Events scheduled.',
    );
  }
  return undefined;
}

/**
 * PATCH /users/{userId} once the body is parsed: only `type` is acted on. A body without `type` changes nothing
 * and is answered 204, like a profile update Zoom accepts.
 */
export function updateUser(
  user: SimUserRecord | undefined,
  userValue: string,
  type: number | undefined,
): UpdateOutcome {
  if (user === undefined) return { reply: notFound(userValue), applied: false };
  if (type === undefined) return { reply: NO_CONTENT, applied: false };
  const refusal = typeRefusal(user, userValue, type);
  if (refusal !== undefined) return { reply: refusal, applied: false };
  const from = user.type;
  user.type = type as SimUserType;
  const typeChange = from === user.type ? undefined : { user: user.id, from, to: user.type };
  return { reply: NO_CONTENT, applied: true, ...(typeChange === undefined ? {} : { typeChange }) };
}
