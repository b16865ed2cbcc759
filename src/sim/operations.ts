import type { IncomingMessage } from "node:http";
import type { ApiRoute } from "./api-routes.js";
import { type SimReply, zoomError } from "./http.js";
import { deleteUser, parseDeleteQuery } from "./routes/delete-user.js";
import { signOut, updateUser } from "./routes/sign-out-update.js";
import { parseUpdateBody } from "./routes/update-body.js";
import { getUser, listUsers, type PageTokens, parseActionBody, putStatus } from "./routes/users.js";
import type { StatsRecorder } from "./stats.js";
import type { SimUserRecord } from "./types.js";
import type { UserStore } from "./users.js";

export interface ServedRequest extends ApiRoute {
  user: SimUserRecord | undefined;
  query: string;
  body: Buffer;
}

export interface Served {
  reply: SimReply;
  /** The request changed (or confirmed) something: a status, a session, a type, a user's presence. */
  applied: boolean;
}

export interface OperationsDeps {
  store: UserStore;
  pages: PageTokens;
  stats: StatsRecorder;
  clock: () => number;
}

/** The answer of a request that passed the token, scope, rate and per-user checks; changes happen here. */
export function createOperations(deps: OperationsDeps) {
  const { store, pages, stats, clock } = deps;
  return async (req: IncomingMessage, request: ServedRequest): Promise<Served> => {
    const { route, user, userValue = "" } = request;
    const contentType = req.headers["content-type"];
    switch (route) {
      case "get_user":
        return { reply: getUser(user, userValue), applied: false };
      case "list_users":
        return {
          reply: listUsers(store, new URLSearchParams(request.query), pages, clock()),
          applied: false,
        };
      case "put_status": {
        const parsed = await parseActionBody(contentType, request.body);
        if (!parsed.ok) return { reply: parsed.reply, applied: false };
        const served = putStatus(user, userValue, parsed.action);
        if (served.applied) stats.counters.statusChangesApplied++;
        return served;
      }
      case "sign_out": {
        const served = signOut(user, userValue);
        if (served.applied && user !== undefined) stats.countSignOut(user.id);
        return served;
      }
      case "update_user": {
        const parsed = parseUpdateBody(contentType, request.body);
        if (!parsed.ok) return { reply: parsed.reply, applied: false };
        const { reply, applied, typeChange } = updateUser(user, userValue, parsed.type);
        if (typeChange !== undefined) stats.recordTypeChange(typeChange);
        return { reply, applied };
      }
      case "delete_user": {
        const parsed = parseDeleteQuery(request.query);
        if (!parsed.ok) return { reply: parsed.reply, applied: false };
        const { reply, applied, removal } = deleteUser(store, user, userValue, parsed.params);
        if (removal !== undefined) stats.recordRemoval(removal);
        return { reply, applied };
      }
      default:
        return {
          reply: zoomError(404, 404, `No such API in the simulator: ${req.method} ${req.url}`),
          applied: false,
        };
    }
  };
}
