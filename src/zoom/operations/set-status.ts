/**
 * PUT /users/{userId}/status: deactivate (or activate again) a user.
 * https://developers.zoom.us/docs/api/users/#tag/users/PUT/users/{userId}/status
 */
import type { Action } from "../../domain/actions.js";
import { is2xx } from "../answer.js";
import { call } from "../call.js";
import { refusedWith, userPath, type ZoomOperation } from "../operation.js";

export interface SetStatusInput {
  user: string;
  /** Zoom's schema also lists `clock_in` / `clock_out`, which this tool never sends. */
  action: Action;
}

/**
 * Refused for good: 200 Zoom Room and admin users; 300 upcoming Zoom Events (deactivation); 3412 and 2033 the
 * account's Basic user cap (activation); 1120 an expired invitation.
 */
const refused = refusedWith([200, 300, 3412, 2033, 1120]);

export const setStatus: ZoomOperation<SetStatusInput, "applied"> = {
  name: "set status",
  label: "Light",
  scopes: ["user:update:status:admin", "user:write:admin"],
  request: ({ user, action }) => ({ method: "PUT", path: `${userPath(user)}/status`, body: { action } }),
  // The current description says 200, older ones 204: any 2xx is the change made.
  interpret: (answer) => (is2xx(answer.status) ? { kind: "done", value: "applied" } : refused(answer)),
  undo: {
    kind: "reversible",
    how: "set the other status; a deactivation removed the user's licences, which activating does not give back",
    reverse: ({ user, action }) =>
      call(setStatus, { user, action: action === "deactivate" ? "activate" : "deactivate" }),
  },
};
