import { randomBytes } from "node:crypto";
import { type SimReply, zoomError } from "../http.js";
import type { SimUser, SimUserRecord } from "../types.js";
import type { UserStore } from "../users.js";

const ROLE_FIELDS: Record<SimUser["role"], { role_id: string; role_name: string }> = {
  owner: { role_id: "0", role_name: "Owner" },
  admin: { role_id: "1", role_name: "Admin" },
  member: { role_id: "2", role_name: "Member" },
  room: { role_id: "2", role_name: "Zoom Room" },
};

function capitalise(word: string): string {
  return word.length === 0 ? word : `${word[0]?.toUpperCase()}${word.slice(1)}`;
}

/** The user object as Zoom shows it; the list leaves `id` out for pending users (users-openapi.json). */
export function userJson(user: SimUserRecord, includeId: boolean): Record<string, unknown> {
  const [first = "", last = ""] = (user.email.split("@")[0] ?? "").split(".");
  return {
    ...(includeId ? { id: user.id } : {}),
    first_name: capitalise(first),
    last_name: capitalise(last),
    display_name: `${capitalise(first)} ${capitalise(last)}`.trim(),
    email: user.email,
    type: user.type,
    status: user.status,
    ...ROLE_FIELDS[user.role],
  };
}

export function notFound(userValue: string): SimReply {
  return zoomError(404, 1001, `User does not exist: ${userValue}.`);
}

/** GET /v2/users/{userId}: pending users are found too (by id or email). */
export function getUser(user: SimUserRecord | undefined, userValue: string): SimReply {
  return user === undefined ? notFound(userValue) : { status: 200, body: userJson(user, true) };
}

export type ParsedAction = { ok: true; action: "activate" | "deactivate" } | { ok: false; reply: SimReply };

const INVALID_BODY = zoomError(400, 2000, "Invalid request body: action");

/**
 * The body of PUT /users/{userId}/status: JSON `{"action": …}` (current docs) or a multipart/url-encoded form
 * field `action` (older docs). Any other content type is refused, so a client that forgets the header shows up.
 */
export async function parseActionBody(contentType: string | undefined, body: Buffer): Promise<ParsedAction> {
  const type = (contentType ?? "").toLowerCase();
  let action: unknown;
  try {
    if (type.includes("json")) {
      const parsed: unknown = JSON.parse(body.toString("utf8"));
      if (typeof parsed === "object" && parsed !== null) action = (parsed as Record<string, unknown>).action;
    } else if (
      type.startsWith("multipart/form-data") ||
      type.startsWith("application/x-www-form-urlencoded")
    ) {
      const form = await new Response(body, { headers: { "content-type": type } }).formData();
      action = form.get("action");
    }
  } catch {
    return { ok: false, reply: INVALID_BODY };
  }
  // clock_in / clock_out exist in Zoom's schema but this stand-in (and the tool) only knows these two.
  if (action === "activate" || action === "deactivate") return { ok: true, action };
  return { ok: false, reply: INVALID_BODY };
}

/**
 * PUT /v2/users/{userId}/status once the body is parsed. Applies the change to the live record and says so;
 * asking for the state a user is already in is answered 204 as well (Zoom's answer there is unconfirmed).
 * Deactivating removes the user's licences, as in Zoom; activating does not give them back.
 */
export function putStatus(
  user: SimUserRecord | undefined,
  userValue: string,
  action: "activate" | "deactivate",
): { reply: SimReply; applied: boolean } {
  if (user === undefined) return { reply: notFound(userValue), applied: false };
  if (user.role !== "member") {
    const reply = zoomError(
      400,
      200,
      "Zoom Room and Admin users' status cannot be activated or deactivated.",
    );
    return { reply, applied: false };
  }
  if (user.status === "pending") {
    return { reply: zoomError(400, 1120, `Invite expired or user pending: ${userValue}.`), applied: false };
  }
  if (action === "deactivate" && user.upcomingEvents === true) {
    return { reply: zoomError(400, 300, "The user has upcoming Zoom Events scheduled."), applied: false };
  }
  user.status = action === "activate" ? "active" : "inactive";
  if (action === "deactivate") user.type = 1;
  return { reply: { status: 204 }, applied: true };
}

interface PageCursor {
  status: SimUser["status"];
  offset: number;
  expiresAtMs: number;
}

/** Zoom's next_page_token lives 15 minutes; a client retrying a page after a 429 may reuse it meanwhile. */
export const PAGE_TOKEN_LIFETIME_MS = 15 * 60_000;

export class PageTokens {
  private readonly cursors = new Map<string, PageCursor>();

  issue(status: SimUser["status"], offset: number, nowMs: number): string {
    // Map order is issue order, which is expiry order: drop the expired ones from the front.
    for (const [token, cursor] of this.cursors) {
      if (cursor.expiresAtMs > nowMs) break;
      this.cursors.delete(token);
    }
    const token = randomBytes(18).toString("base64url");
    this.cursors.set(token, { status, offset, expiresAtMs: nowMs + PAGE_TOKEN_LIFETIME_MS });
    return token;
  }

  resolve(token: string, nowMs: number): PageCursor | undefined {
    const cursor = this.cursors.get(token);
    return cursor !== undefined && cursor.expiresAtMs > nowMs ? cursor : undefined;
  }
}

const STATUSES = new Set<string>(["active", "inactive", "pending"]);
export const MAX_PAGE_SIZE = 300;
export const DEFAULT_PAGE_SIZE = 30;

/** GET /v2/users?status=&page_size=&next_page_token= (Medium). */
export function listUsers(
  store: UserStore,
  query: URLSearchParams,
  pages: PageTokens,
  nowMs: number,
): SimReply {
  const rawSize = query.get("page_size");
  const pageSize = rawSize === null || rawSize === "" ? DEFAULT_PAGE_SIZE : Number(rawSize);
  if (!Number.isInteger(pageSize) || pageSize < 1) return zoomError(400, 300, "Invalid field: page_size.");
  const size = Math.min(pageSize, MAX_PAGE_SIZE);

  let status: SimUser["status"];
  let offset = 0;
  const token = query.get("next_page_token");
  if (token !== null && token !== "") {
    const cursor = pages.resolve(token, nowMs);
    if (cursor === undefined) return zoomError(400, 300, "Invalid next page token.");
    status = cursor.status;
    offset = cursor.offset;
  } else {
    const rawStatus = query.get("status") ?? "active";
    if (!STATUSES.has(rawStatus)) return zoomError(400, 300, "Invalid field: status.");
    status = rawStatus as SimUser["status"];
  }

  const matching = store.withStatus(status);
  const page = matching.slice(offset, offset + size);
  const nextOffset = offset + page.length;
  return {
    status: 200,
    body: {
      page_size: size,
      total_records: matching.length,
      next_page_token: nextOffset < matching.length ? pages.issue(status, nextOffset, nowMs) : "",
      users: page.map((user) => userJson(user, user.status !== "pending")),
    },
  };
}
