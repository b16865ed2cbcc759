/**
 * GET /users/{userId}: a user's status, role and type, before anything is changed.
 * https://developers.zoom.us/docs/api/users/#tag/users/GET/users/{userId}
 */
import { describeAnswer, is2xx, isNoSuchUser } from "../answer.js";
import { userPath, type ZoomOperation } from "../operation.js";
import { readUserRecord, type UserRecord } from "../user-record.js";

export interface GetUserInput {
  user: string;
}

/** For a look-up, "no such user" is an answer, not a failure: the look-up stage tells the three apart. */
export type UserLookup = ({ kind: "found" } & UserRecord) | { kind: "not_found"; message: string };

export const getUser: ZoomOperation<GetUserInput, UserLookup> = {
  name: "get user",
  label: "Light",
  scopes: ["user:read:user:admin", "user:read:admin", "user:write:admin"],
  request: ({ user }) => ({ method: "GET", path: userPath(user) }),
  interpret: (answer) => {
    if (is2xx(answer.status)) {
      const user = readUserRecord(answer.body);
      return user === undefined
        ? {
            kind: "final",
            outcome: "failed",
            message: `unexpected answer: HTTP ${answer.status} without a user status`,
          }
        : { kind: "done", value: { kind: "found", ...user } };
    }
    if (isNoSuchUser(answer)) {
      const message = answer.message ?? `user not found (${describeAnswer(answer)})`;
      return { kind: "done", value: { kind: "not_found", message } };
    }
    return undefined;
  },
  undo: { kind: "read_only" },
};
