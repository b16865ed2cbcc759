import { afterAll, afterEach, beforeEach, describe, expect, it } from "vitest";
import { type SimUser, type Simulator, startSimulator } from "../../src/sim/server.js";
import {
  agent,
  call,
  deleteUser,
  getToken,
  getUser,
  members,
  putStatus,
  signOut,
  updateUser,
} from "./helpers.js";

const USERS: SimUser[] = [
  {
    id: "u-leaver",
    email: "leaver@example.com",
    status: "active",
    role: "member",
    data: { meetings: 3, webinars: 1, recordings: 4, whiteboards: 2, notes: 1 },
  },
  { id: "u-heir", email: "heir@example.com", status: "active", role: "member", data: { meetings: 1 } },
  { id: "u-basic", email: "basic@example.com", status: "active", role: "member", type: 1 },
  { id: "u-owner", email: "owner@example.com", status: "active", role: "owner" },
  { id: "u-admin", email: "admin@example.com", status: "active", role: "admin" },
  { id: "u-room", email: "room@example.com", status: "active", role: "room" },
  { id: "u-events", email: "events@example.com", status: "active", role: "member", upcomingEvents: true },
  { id: "u-pending", email: "pending@example.com", status: "pending", role: "member" },
  {
    id: "u-expired",
    email: "expired@example.com",
    status: "pending",
    role: "member",
    invitationExpired: true,
  },
  { id: "u-managed", email: "managed@example.com", status: "active", role: "member", managedDomain: true },
  { id: "u-queue", email: "queue@example.com", status: "active", role: "member", callQueueManager: true },
  { id: "u-stuck", email: "stuck@example.com", status: "inactive", role: "member", deleteRefused: true },
  { id: "u-gone", email: "gone@example.com", status: "inactive", role: "member" },
];

let sim: Simulator;
let token: string;
beforeEach(async () => {
  sim = await startSimulator({ users: USERS });
  token = await getToken(sim);
});
afterEach(() => sim.close());
afterAll(() => agent.close());

describe("DELETE /v2/users/{userId}/token (sign-out)", () => {
  it("answers 204 and counts sign-outs per canonical user id", async () => {
    expect((await signOut(sim, token, "u-leaver")).status).toBe(204);
    const again = await signOut(sim, token, "LEAVER@example.com");
    expect(again).toMatchObject({ status: 204, text: "" });
    expect((await signOut(sim, token, "u-pending")).status).toBe(204);
    expect(sim.stats()).toMatchObject({
      signOuts: 3,
      signOutsByUser: { "u-leaver": 2, "u-pending": 1 },
      requestsByRoute: { sign_out: 3 },
    });
  });

  it("unknown user → 404 code 1001, nothing counted", async () => {
    const answer = await signOut(sim, token, "ghost@example.com");
    expect(answer.status).toBe(404);
    expect(answer.json).toEqual({ code: 1001, message: "User does not exist: ghost@example.com." });
    expect(sim.stats()).toMatchObject({ signOuts: 0, signOutsByUser: {} });
  });
});

describe("PATCH /v2/users/{userId}", () => {
  it("downgrades to Basic: 204, the type shows in GET and in the stats", async () => {
    const answer = await updateUser(sim, token, "leaver@example.com", { type: 1 });
    expect(answer).toMatchObject({ status: 204, text: "" });
    expect((await getUser(sim, token, "u-leaver")).json).toMatchObject({ type: 1 });
    expect(sim.stats().typeChanges).toEqual([{ user: "u-leaver", from: 2, to: 1 }]);
    expect((await updateUser(sim, token, "u-leaver", { type: 1 })).status).toBe(204);
    expect(sim.stats().typeChanges).toHaveLength(1); // already Basic: confirmed, not changed again
  });

  it.each([
    { name: "a Zoom Room user", user: "u-room", type: 1, status: 400, code: 200 },
    { name: "a Zoom Room user to no-meeting", user: "u-room", type: 4, status: 400, code: 200 },
    { name: "the owner", user: "u-owner", type: 1, status: 400, code: 1108 },
    { name: "a user with upcoming Zoom Events", user: "u-events", type: 1, status: 400, code: 300 },
    { name: "an expired invitation", user: "u-expired", type: 1, status: 400, code: 1120 },
    { name: "type 99 (ssoCreate only)", user: "u-leaver", type: 99, status: 400, code: 300 },
    { name: "an unknown user", user: "ghost@example.com", type: 1, status: 404, code: 1001 },
  ])("refuses $name → $status code $code, nothing changed", async ({ user, type, status, code }) => {
    const before = sim.allUsers();
    const answer = await updateUser(sim, token, user, { type });
    expect(answer.status).toBe(status);
    expect(answer.json).toMatchObject({ code, message: expect.any(String) });
    expect(sim.allUsers()).toEqual(before);
    expect(sim.stats().typeChanges).toEqual([]);
  });

  it("the user with upcoming events may still become Licensed or Unassigned", async () => {
    expect((await updateUser(sim, token, "u-events", { type: 4 })).status).toBe(204);
    expect(sim.user("u-events")?.type).toBe(4);
  });

  it.each([
    { name: "type not in the enum", type: "application/json", body: '{"type":3}', field: "type" },
    { name: "type as a string", type: "application/json", body: '{"type":"1"}', field: "type" },
    {
      name: "a JSON array",
      type: "application/json",
      body: "[1]",
      field: "request body (expected an object)",
    },
    { name: "not JSON", type: "application/json", body: "type=1", field: "request body (not JSON)" },
    {
      name: "a wrongly typed known field",
      type: "application/json",
      body: '{"first_name":5}',
      field: "first_name",
    },
    {
      name: "a too long company",
      type: "application/json",
      body: `{"company":"${"x".repeat(256)}"}`,
      field: "company",
    },
    { name: "text/plain", type: "text/plain", body: '{"type":1}', field: "request body (expected JSON)" },
  ])("a body Zoom's schema does not allow ($name) → 400 code 300", async ({ type, body, field }) => {
    const answer = await call(`${sim.apiUrl}/users/u-leaver`, {
      method: "PATCH",
      headers: { authorization: `Bearer ${token}`, "content-type": type },
      body,
    });
    expect(answer.status).toBe(400);
    expect(answer.json).toEqual({ code: 300, message: `Invalid field: ${field}.` });
    expect(sim.user("u-leaver")?.type).toBe(2);
  });

  it.each([
    { name: "other fields beside type", body: { type: 1, first_name: "Lea", not_in_schema: [1] }, type: 1 },
    { name: "no type", body: { job_title: "Former" }, type: 2 },
    { name: "an empty object", body: {}, type: 2 },
  ])("accepts a body the schema allows ($name) and acts on type only", async ({ body, type }) => {
    expect((await updateUser(sim, token, "u-leaver", body)).status).toBe(204);
    expect(sim.user("u-leaver")).toMatchObject({ type, email: "leaver@example.com" });
  });
});

describe("PUT status and licences", () => {
  it("deactivating makes the user Basic, activating does not give the licence back", async () => {
    await putStatus(sim, token, "u-leaver", "deactivate");
    expect(sim.user("u-leaver")?.type).toBe(1);
    await putStatus(sim, token, "u-leaver", "activate");
    expect(sim.user("u-leaver")).toMatchObject({ status: "active", type: 1 });
  });
});

const ALL_FLAGS = {
  transfer_meeting: "true",
  transfer_webinar: "true",
  transfer_recording: "true",
  transfer_whiteboard: "true",
  transfer_clipfiles: "true",
  transfer_notes: "true",
  transfer_docs: "true",
  transfer_visitors: "true",
};

describe("DELETE /v2/users/{userId}", () => {
  it("disassociates by default: 204, then the user is gone for every operation and from the list", async () => {
    const answer = await deleteUser(sim, token, "u-leaver");
    expect(answer).toMatchObject({ status: 204, text: "" });
    expect(sim.user("u-leaver")).toBeUndefined();
    const gone = { code: 1001, message: "User does not exist: leaver@example.com." };
    for (const next of [
      getUser(sim, token, "leaver@example.com"),
      putStatus(sim, token, "leaver@example.com", "deactivate"),
      updateUser(sim, token, "leaver@example.com", { type: 1 }),
      signOut(sim, token, "leaver@example.com"),
      deleteUser(sim, token, "leaver@example.com"),
    ]) {
      const again = await next;
      expect(again.status).toBe(404);
      expect(again.json).toEqual(gone);
    }
    const list = await call(`${sim.apiUrl}/users?page_size=300`, {
      headers: { authorization: `Bearer ${token}` },
    });
    const emails = (list.json as { users: { email: string }[] }).users.map((u) => u.email);
    expect(emails).not.toContain("leaver@example.com");
    expect(emails).toContain("heir@example.com");
    expect(sim.stats().removals).toEqual([
      {
        user: "u-leaver",
        email: "leaver@example.com",
        action: "disassociate",
        moved: {},
        lost: { meetings: 3, webinars: 1, recordings: 4, whiteboards: 2, notes: 1 },
      },
    ]);
  });

  it("moves every flagged count to the target, so nothing is lost", async () => {
    const query = { action: "delete", transfer_email: "HEIR@example.com", ...ALL_FLAGS };
    expect((await deleteUser(sim, token, "u-leaver", query)).status).toBe(204);
    expect(sim.user("u-heir")?.data).toEqual({
      meetings: 4,
      webinars: 1,
      recordings: 4,
      whiteboards: 2,
      clipfiles: 0,
      notes: 1,
      docs: 0,
      visitors: 0,
    });
    const [removal] = sim.stats().removals;
    expect(removal).toMatchObject({ action: "delete", transferTo: "u-heir", lost: {} });
    expect(removal?.moved).toEqual({ meetings: 3, webinars: 1, recordings: 4, whiteboards: 2, notes: 1 });
  });

  it("loses what is not flagged, and says so", async () => {
    const query = {
      transfer_email: "heir@example.com",
      transfer_meeting: "true",
      transfer_recording: "false",
    };
    expect((await deleteUser(sim, token, "u-leaver", query)).status).toBe(204);
    expect(sim.user("u-heir")?.data).toMatchObject({ meetings: 4, recordings: 0 });
    expect(sim.stats().removals[0]).toMatchObject({
      moved: { meetings: 3 },
      lost: { webinars: 1, recordings: 4, whiteboards: 2, notes: 1 },
    });
  });

  it("a Basic target can receive meetings, not recordings", async () => {
    const meetings = { transfer_email: "basic@example.com", transfer_meeting: "true" };
    expect((await deleteUser(sim, token, "u-heir", meetings)).status).toBe(204);
    expect(sim.user("u-basic")?.data.meetings).toBe(1);
  });

  it.each([
    {
      name: "Zoom Rooms user",
      user: "u-room",
      query: {},
      status: 400,
      code: 200,
      message: /Zoom Rooms user/,
    },
    { name: "owner", user: "u-owner", query: {}, status: 400, code: 200, message: /account owner/ },
    {
      name: "deleting an admin",
      user: "u-admin",
      query: { action: "delete" },
      status: 400,
      code: 200,
      message: /Member first/,
    },
    {
      name: "deactivated user Zoom keeps",
      user: "u-stuck",
      query: {},
      status: 400,
      code: 200,
      message: /^Unable to delete this deactivated user/,
    },
    {
      name: "disassociating an admin",
      user: "u-admin",
      query: {},
      status: 400,
      code: 1117,
      message: /Admin user/,
    },
    {
      name: "managed domain",
      user: "u-managed",
      query: {},
      status: 400,
      code: 1107,
      message: /managed domain/,
    },
    {
      name: "call-queue manager",
      user: "u-queue",
      query: { action: "delete" },
      status: 400,
      code: 1000,
      message: /Call-queue/,
    },
    {
      name: "expired invitation",
      user: "u-expired",
      query: {},
      status: 400,
      code: 1120,
      message: /invitation/,
    },
    {
      name: "deleting a pending user",
      user: "u-pending",
      query: { action: "delete" },
      status: 400,
      code: 300,
      message: /use disassociate/,
    },
    {
      name: "events, no target",
      user: "u-events",
      query: {},
      status: 400,
      code: 300,
      message: /published events/,
    },
    {
      name: "target is the user",
      user: "u-leaver",
      query: { transfer_email: "Leaver@Example.com" },
      status: 400,
      code: 300,
      message: /cannot be the same/,
    },
    {
      name: "target outside the account",
      user: "u-leaver",
      query: { transfer_email: "x@elsewhere.com" },
      status: 400,
      code: 200,
      message: /not a user of your account/,
    },
    {
      name: "target pending",
      user: "u-leaver",
      query: { transfer_email: "pending@example.com" },
      status: 400,
      code: 200,
      message: /not a user of your account/,
    },
    {
      name: "target by id, not email",
      user: "u-leaver",
      query: { transfer_email: "u-heir" },
      status: 400,
      code: 200,
      message: /not a user of your account/,
    },
    {
      name: "recordings to a Basic target",
      user: "u-leaver",
      query: { transfer_email: "basic@example.com", transfer_recording: "true" },
      status: 400,
      code: 300,
      message: /Licensed or higher/,
    },
    {
      name: "webinars to a Basic target",
      user: "u-leaver",
      query: { transfer_email: "basic@example.com", transfer_webinar: "true" },
      status: 400,
      code: 300,
      message: /Licensed or higher/,
    },
    {
      name: "unknown user",
      user: "ghost@example.com",
      query: {},
      status: 404,
      code: 1001,
      message: /^User does not exist: ghost@example.com\.$/,
    },
    {
      name: "plural transfer_meetings",
      user: "u-leaver",
      query: { transfer_meetings: "true" },
      status: 400,
      code: 300,
      message: /^Invalid field: transfer_meetings\.$/,
    },
    {
      name: "a boolean that is not",
      user: "u-leaver",
      query: { transfer_meeting: "yes" },
      status: 400,
      code: 300,
      message: /transfer_meeting/,
    },
    {
      name: "an unknown action",
      user: "u-leaver",
      query: { action: "remove" },
      status: 400,
      code: 300,
      message: /action/,
    },
  ])(
    "refuses: $name → $status code $code, nothing changed",
    async ({ user, query, status, code, message }) => {
      const before = sim.allUsers();
      const answer = await deleteUser(sim, token, user, query);
      expect(answer.status).toBe(status);
      expect(answer.json).toEqual({ code, message: expect.stringMatching(message) });
      expect(sim.allUsers()).toEqual(before);
      expect(sim.stats().removals).toEqual([]);
    },
  );

  it("checks in order: a Zoom Rooms user with a bad target gets the Rooms refusal, not the target's", async () => {
    const answer = await deleteUser(sim, token, "u-room", { transfer_email: "room@example.com" });
    expect(answer.json).toMatchObject({ code: 200, message: "Cannot delete a Zoom Rooms user." });
  });

  it.each([
    { name: "a pending user, disassociated", user: "u-pending", query: {} },
    { name: "a managed-domain user, deleted", user: "u-managed", query: { action: "delete" } },
    { name: "a deactivated user", user: "u-gone", query: { action: "delete" } },
    {
      name: "the events host, with a target",
      user: "u-events",
      query: { transfer_email: "heir@example.com" },
    },
  ])("removes $name", async ({ user, query }) => {
    expect((await deleteUser(sim, token, user, query)).status).toBe(204);
    expect(sim.user(user)).toBeUndefined();
  });

  it("a second request for the user while the first runs → 429 with Zoom's disassociate wording", async () => {
    await sim.close();
    sim = await startSimulator({ users: members(2), latencyMs: 80 });
    token = await getToken(sim);
    const [first, second, other] = await Promise.all([
      deleteUser(sim, token, "u0"),
      deleteUser(sim, token, "m0@example.com"),
      deleteUser(sim, token, "u1"),
    ]);
    expect([first?.status, other?.status]).toEqual([204, 204]);
    expect(second?.status).toBe(429);
    expect(second?.json).toEqual({
      code: 429,
      message: "Too many concurrent requests. A request to disassociate this user has already been made.",
    });
    expect(sim.stats()).toMatchObject({ concurrentSameUser: 1, requestsByRoute: { delete_user: 3 } });
  });
});
