/**
 * DELETE /users/{userId}/token: revoke the user's SSO token, which signs them out of their current Zoom session.
 * https://developers.zoom.us/docs/api/users/#tag/users/DELETE/users/{userId}/token
 */
import { is2xx } from "../answer.js";
import { userPath, type ZoomOperation } from "../operation.js";

export interface SignOutInput {
  user: string;
}

export const signOut: ZoomOperation<SignOutInput, "applied"> = {
  name: "sign out",
  label: "Light",
  scopes: ["user:delete:token:admin", "user:write:admin"],
  request: ({ user }) => ({ method: "DELETE", path: `${userPath(user)}/token` }),
  // 204; whether a user without an SSO session gets 204 or an error is not documented, so an error is Zoom's
  // words. "No such user" is the common not_found.
  interpret: (answer) => (is2xx(answer.status) ? { kind: "done", value: "applied" } : undefined),
  undo: { kind: "irreversible", why: "a session cannot be given back; the user signs in again" },
};
