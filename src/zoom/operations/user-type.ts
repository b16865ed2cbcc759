/**
 * PATCH /users/{userId} with only `type`: downgrade a user to Basic (type 1), which frees their licence, or
 * license them again (type 2). Nothing else of the user's profile is ever sent.
 * https://developers.zoom.us/docs/api/users/#tag/users/PATCH/users/{userId}
 */
import { is2xx } from "../answer.js";
import { call } from "../call.js";
import { refusedWith, userPath, type ZoomOperation } from "../operation.js";

export interface UserTypeInput {
  user: string;
}

/**
 * Refused for good: 300 upcoming Zoom Events (no Basic then); 200 a Zoom Room user; 1108 not permitted to change
 * this user's type. Zoom lists more (licence caps 2033, 2034, 3412; 1120 an expired invitation), all refusals too.
 */
const refused = refusedWith([300, 200, 1108]);

function userTypeOperation(
  name: string,
  type: 1 | 2,
  undo: ZoomOperation<UserTypeInput, "applied">["undo"],
): ZoomOperation<UserTypeInput, "applied"> {
  return {
    name,
    label: "Light",
    scopes: ["user:update:user:admin", "user:write:admin"],
    request: ({ user }) => ({ method: "PATCH", path: userPath(user), body: { type } }),
    interpret: (answer) => (is2xx(answer.status) ? { kind: "done", value: "applied" } : refused(answer)),
    undo,
  };
}

export const downgrade = userTypeOperation("downgrade to Basic", 1, {
  kind: "reversible",
  how: "license the user again (type 2), if the account still has a free licence",
  reverse: (input) => call(relicense, input),
});

export const relicense = userTypeOperation("license again", 2, {
  kind: "reversible",
  how: "downgrade the user to Basic again",
  reverse: (input) => call(downgrade, input),
});
