import { FormData, fetch } from "undici";
import { afterAll, afterEach, beforeEach, describe, expect, it } from "vitest";
import { type SimUser, type Simulator, startSimulator } from "../../src/sim/server.js";
import { agent, call, getToken, getUser, putStatus } from "./helpers.js";

const USERS: SimUser[] = [
  { id: "u-member", email: "Member@Example.com", status: "active", role: "member" },
  { id: "u-gone", email: "gone@example.com", status: "inactive", role: "member" },
  { id: "u-owner", email: "owner@example.com", status: "active", role: "owner" },
  { id: "u-admin", email: "it.admin@example.com", status: "active", role: "admin" },
  { id: "u-room", email: "room@example.com", status: "active", role: "room" },
  { id: "u-events", email: "events@example.com", status: "active", role: "member", upcomingEvents: true },
  { id: "u-pending", email: "new.hire@example.com", status: "pending", role: "member" },
  { id: "u-at", email: "a@b.com", status: "active", role: "member" },
];

let sim: Simulator;
let token: string;
beforeEach(async () => {
  sim = await startSimulator({ users: USERS });
  token = await getToken(sim);
});
afterEach(() => sim.close());
afterAll(() => agent.close());

const auth = () => ({ authorization: `Bearer ${token}` });

describe("PUT /v2/users/{userId}/status", () => {
  it("deactivates and reactivates a member by id, JSON body, 204 without body", async () => {
    const answer = await putStatus(sim, token, "u-member", "deactivate");
    expect(answer.status).toBe(204);
    expect(answer.text).toBe("");
    expect(sim.user("u-member")?.status).toBe("inactive");
    expect((await putStatus(sim, token, "u-member", "activate")).status).toBe(204);
    expect(sim.user("member@example.com")?.status).toBe("active");
    expect(sim.stats()).toMatchObject({
      statusPuts: 2,
      statusChangesApplied: 2,
      putsByUser: { "u-member": 2 },
    });
  });

  it("answers 204 when the user is already in that state", async () => {
    expect((await putStatus(sim, token, "u-gone", "deactivate")).status).toBe(204);
    expect(sim.user("u-gone")?.status).toBe("inactive");
    expect(sim.stats().statusChangesApplied).toBe(1);
  });

  it.each([
    { name: "email any case", path: "MEMBER%40example.COM" },
    { name: "email with @ unencoded", path: "member@example.com" },
    { name: "a%40b.com", path: "a%40b.com" },
  ])("finds the user by percent-decoded email ($name)", async ({ path }) => {
    const answer = await call(`${sim.apiUrl}/users/${path}/status`, {
      method: "PUT",
      headers: { ...auth(), "content-type": "application/json" },
      body: '{"action":"deactivate"}',
    });
    expect(answer.status).toBe(204);
    // Counted under the canonical id.
    expect(Object.keys(sim.stats().putsByUser)).toEqual([expect.stringMatching(/^u-/)]);
  });

  it("ids are case-sensitive", async () => {
    const answer = await putStatus(sim, token, "U-MEMBER", "deactivate");
    expect(answer.status).toBe(404);
    expect(answer.json).toEqual({ code: 1001, message: "User does not exist: U-MEMBER." });
  });

  it.each([
    {
      user: "nobody@example.com",
      status: 404,
      body: { code: 1001, message: "User does not exist: nobody@example.com." },
    },
    {
      user: "u-admin",
      status: 400,
      body: { code: 200, message: "Zoom Room and Admin users' status cannot be activated or deactivated." },
    },
    {
      user: "owner@example.com",
      status: 400,
      body: { code: 200, message: "Zoom Room and Admin users' status cannot be activated or deactivated." },
    },
    {
      user: "u-room",
      status: 400,
      body: { code: 200, message: "Zoom Room and Admin users' status cannot be activated or deactivated." },
    },
    {
      user: "u-events",
      status: 400,
      body: { code: 300, message: "The user has upcoming Zoom Events scheduled." },
    },
    {
      user: "new.hire@example.com",
      status: 400,
      body: { code: 1120, message: "Invite expired or user pending: new.hire@example.com." },
    },
  ])("deactivate $user → $status code $body.code, nothing applied", async ({ user, status, body }) => {
    const before = sim.allUsers();
    const answer = await putStatus(sim, token, user, "deactivate");
    expect(answer.status).toBe(status);
    expect(answer.json).toEqual(body);
    expect(sim.allUsers()).toEqual(before);
    expect(sim.stats()).toMatchObject({ statusPuts: 1, statusChangesApplied: 0 });
  });

  it("activating a user with upcoming events is fine", async () => {
    expect((await putStatus(sim, token, "u-events", "activate")).status).toBe(204);
  });

  it("accepts a multipart/form-data body", async () => {
    const form = new FormData();
    form.set("action", "deactivate");
    const response = await fetch(`${sim.apiUrl}/users/u-member/status`, {
      method: "PUT",
      headers: auth(),
      body: form,
      dispatcher: agent,
    });
    expect(response.status).toBe(204);
    expect(response.headers.get("content-type")).toBeNull();
    await response.arrayBuffer();
    expect(sim.user("u-member")?.status).toBe("inactive");
  });

  it.each([
    { name: "no action", type: "application/json", body: "{}" },
    { name: "clock_in", type: "application/json", body: '{"action":"clock_in"}' },
    { name: "not JSON", type: "application/json", body: "action=deactivate" },
    { name: "JSON array", type: "application/json", body: '["deactivate"]' },
    { name: "text/plain", type: "text/plain", body: '{"action":"deactivate"}' },
    { name: "empty multipart", type: "multipart/form-data; boundary=x", body: "--x--\r\n" },
  ])("invalid body ($name) → 400 code 2000, nothing applied", async ({ type, body }) => {
    const answer = await call(`${sim.apiUrl}/users/u-member/status`, {
      method: "PUT",
      headers: { ...auth(), "content-type": type },
      body,
    });
    expect(answer.status).toBe(400);
    expect(answer.json).toEqual({ code: 2000, message: "Invalid request body: action" });
    expect(sim.user("u-member")?.status).toBe("active");
  });
});

describe("GET /v2/users/{userId}", () => {
  it.each([
    {
      user: "u-member",
      fields: {
        id: "u-member",
        email: "Member@Example.com",
        status: "active",
        role_id: "2",
        role_name: "Member",
        type: 2,
      },
    },
    { user: "owner@example.com", fields: { id: "u-owner", role_id: "0", role_name: "Owner" } },
    {
      user: "it.admin@example.com",
      fields: { role_id: "1", role_name: "Admin", first_name: "It", last_name: "Admin" },
    },
    { user: "u-room", fields: { role_name: "Zoom Room" } },
    { user: "NEW.HIRE@example.com", fields: { id: "u-pending", status: "pending" } },
    { user: "u-gone", fields: { status: "inactive", type: 1 } },
  ])("$user", async ({ user, fields }) => {
    const answer = await getUser(sim, token, user);
    expect(answer.status).toBe(200);
    expect(answer.json).toMatchObject(fields);
  });

  it("unknown → 404 code 1001", async () => {
    const answer = await getUser(sim, token, "ghost@example.com");
    expect(answer.status).toBe(404);
    expect(answer.json).toEqual({ code: 1001, message: "User does not exist: ghost@example.com." });
    expect(sim.stats().getUserRequests).toBe(1);
  });
});

describe("GET /v2/users (paged)", () => {
  type Page = {
    page_size: number;
    total_records: number;
    next_page_token: string;
    users: Record<string, unknown>[];
  };
  const list = async (query: string) => {
    const answer = await call(`${sim.apiUrl}/users${query}`, { headers: auth() });
    return { status: answer.status, page: answer.json as Page, json: answer.json };
  };

  it("pages through active users with next_page_token", async () => {
    const first = await list("?page_size=2");
    expect(first.status).toBe(200);
    expect(first.page).toMatchObject({ page_size: 2, total_records: 6 });
    const emails: unknown[] = first.page.users.map((u) => u.email);
    let token = first.page.next_page_token;
    let pages = 1;
    while (token !== "") {
      const next = await list(`?page_size=2&next_page_token=${encodeURIComponent(token)}`);
      emails.push(...next.page.users.map((u) => u.email));
      token = next.page.next_page_token;
      pages++;
    }
    expect(pages).toBe(3);
    expect(emails).toEqual(USERS.filter((u) => u.status === "active").map((u) => u.email));
    expect(sim.stats().listUsersRequests).toBe(3);
  });

  it("a page token can be reused (a retry after a 429)", async () => {
    const first = await list("?page_size=4");
    const token = encodeURIComponent(first.page.next_page_token);
    const a = await list(`?page_size=4&next_page_token=${token}`);
    const b = await list(`?page_size=4&next_page_token=${token}`);
    expect(a.page.users).toEqual(b.page.users);
    expect(a.page.users).toHaveLength(2);
  });

  it("pending users are listed without an id", async () => {
    const { page } = await list("?status=pending");
    expect(page.users).toEqual([
      expect.objectContaining({ email: "new.hire@example.com", status: "pending" }),
    ]);
    expect(page.users[0]).not.toHaveProperty("id");
    expect(page).toMatchObject({ total_records: 1, next_page_token: "", page_size: 30 });
    const inactive = await list("?status=inactive");
    expect(inactive.page.users).toEqual([expect.objectContaining({ id: "u-gone" })]);
  });

  it.each([
    { query: "?next_page_token=forged", code: 300, message: "Invalid next page token." },
    { query: "?page_size=0", code: 300, message: "Invalid field: page_size." },
    { query: "?page_size=abc", code: 300, message: "Invalid field: page_size." },
    { query: "?status=deleted", code: 300, message: "Invalid field: status." },
  ])("$query → 400 code $code", async ({ query, code, message }) => {
    const answer = await list(query);
    expect(answer.status).toBe(400);
    expect(answer.json).toEqual({ code, message });
  });

  it("caps page_size at 300", async () => {
    expect((await list("?page_size=5000")).page.page_size).toBe(300);
  });
});

describe("other routes", () => {
  it.each([
    { method: "POST" as const, path: "/v2/users/u-member" },
    { method: "DELETE" as const, path: "/v2/users/u-member/status" },
    { method: "PUT" as const, path: "/v2/users/u-member/token" },
    { method: "GET" as const, path: "/v2/meetings" },
    { method: "GET" as const, path: "/v2/users/u-member/status" },
  ])("$method $path → 404 after auth", async ({ method, path }) => {
    const answer = await call(`${sim.url}${path}`, { method, headers: auth() });
    expect(answer.status).toBe(404);
    expect(sim.user("u-member")?.status).toBe("active");
  });
});
