/**
 * GET /users: one page of the account's users in one status (Medium, a budget of its own). The list holds active
 * users unless told otherwise, so each status is listed on its own; pending users have no id there.
 * https://developers.zoom.us/docs/api/users/#tag/users/GET/users
 */
import { describeAnswer, is2xx, isRecord } from "../answer.js";
import type { ZoomOperation } from "../operation.js";
import { readUserRecord, type UserRecord, type UserStatus } from "../user-record.js";

export interface ListUsersInput {
  status: UserStatus;
  /** Zoom allows up to 2000; 300 is known to be safe. */
  pageSize: number;
  /** From the previous page; it expires after 15 minutes. */
  nextPageToken?: string | undefined;
}

export interface UserPage {
  users: UserRecord[];
  totalRecords: number;
  /** Empty on the last page. */
  nextPageToken: string;
}

export const listUsers: ZoomOperation<ListUsersInput, UserPage> = {
  name: "list users",
  label: "Medium",
  scopes: ["user:read:list_users:admin", "user:read:admin", "user:write:admin"],
  request: ({ status, pageSize, nextPageToken }) => {
    const query: Record<string, string> = { status, page_size: String(pageSize) };
    if (nextPageToken !== undefined && nextPageToken !== "") query.next_page_token = nextPageToken;
    return { method: "GET", path: "/users", query };
  },
  interpret: (answer) => {
    if (is2xx(answer.status)) {
      const page = readPage(answer.body);
      // Not a page (a proxy's answer, a body cut short): the next try may bring one.
      return page === undefined
        ? { kind: "retry", reason: "unexpected_answer" }
        : { kind: "done", value: page };
    }
    // The rate limit is the common reading's. Any other refusal will not list on a retry: the caller falls back
    // to looking users up one by one, which can still work (a token may hold the per-user read scope alone).
    if (answer.status === 429) return undefined;
    return { kind: "final", outcome: "failed", message: `listing refused: ${describeAnswer(answer)}` };
  },
  undo: { kind: "read_only" },
};

function readPage(body: unknown): UserPage | undefined {
  if (!isRecord(body) || !Array.isArray(body.users)) return undefined;
  const users: UserRecord[] = [];
  // One unreadable entry does not make the page unreadable; it is left out.
  for (const entry of body.users) {
    const user = readUserRecord(entry);
    if (user !== undefined) users.push(user);
  }
  return {
    users,
    totalRecords: typeof body.total_records === "number" ? body.total_records : users.length,
    nextPageToken: typeof body.next_page_token === "string" ? body.next_page_token : "",
  };
}
