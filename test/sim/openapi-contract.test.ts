import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { SimApiRoute, SimUser, Simulator, SimulatorOptions } from "../../src/sim/server.js";
import { startSimulator } from "../../src/sim/server.js";
import { loadZoomSpec, type SpecRequest, type ZoomSpec } from "../helpers/openapi.js";
import { agent, call, getToken } from "./helpers.js";

// The simulator's answers checked against Zoom's own OpenAPI description (test/zoom/users-openapi.json): each
// request must be one the description allows (unless a case sends a wrong one on purpose, which the
// description must then refuse too), and each answer must have a status the operation declares and, where the
// description gives one, a body of its schema. Zoom declares no body for its errors; those bodies are checked
// for Zoom's `{code, message}` shape.

const USERS: SimUser[] = [
  {
    id: "u-leaver",
    email: "leaver@example.com",
    status: "active",
    role: "member",
    data: { meetings: 2, recordings: 3 },
  },
  { id: "u-heir", email: "heir@example.com", status: "active", role: "member" },
  { id: "u-basic", email: "basic@example.com", status: "active", role: "member", type: 1 },
  { id: "u-gone", email: "gone@example.com", status: "inactive", role: "member" },
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
];

/**
 * The one deviation the simulator keeps on purpose: Zoom's current description answers a status change with
 * 200, older ones (and, as far as anyone reports, Zoom itself) with 204. The tool accepts either.
 */
const STATUS_204 = /^status 204 is not declared for userStatus/;
/** Zoom answers a bad token with 401 code 124 although its description declares no 401 for any operation. */
const TOKEN_401 = /^status 401 is not declared for /;

interface Case {
  name: string;
  request: SpecRequest;
  status: number;
  /** Zoom's `code` in the error body. */
  code?: number;
  /** The request is off Zoom's description on purpose: the description must say so. */
  offSpec?: RegExp;
  /** A documented deviation in the answer: exactly one problem, matching this. */
  deviation?: RegExp;
}

const json = { "content-type": "application/json" };
const get = (user: string): SpecRequest => ({ method: "GET", path: `/v2/users/${user}` });
const list = (query: string): SpecRequest => ({ method: "GET", path: "/v2/users", query });
const status = (user: string, action: string): SpecRequest => ({
  method: "PUT",
  path: `/v2/users/${user}/status`,
  headers: json,
  body: { action },
});
const signOut = (user: string): SpecRequest => ({ method: "DELETE", path: `/v2/users/${user}/token` });
const update = (user: string, body: unknown): SpecRequest => ({
  method: "PATCH",
  path: `/v2/users/${user}`,
  headers: json,
  body,
});
const remove = (user: string, query = ""): SpecRequest => ({
  method: "DELETE",
  path: `/v2/users/${user}`,
  query,
});

const ALL_TRANSFERS =
  "transfer_meeting=true&transfer_webinar=true&transfer_recording=true&transfer_whiteboard=true" +
  "&transfer_clipfiles=true&transfer_notes=true&transfer_docs=true&transfer_visitors=true";

const CASES: Case[] = [
  { name: "list active users", request: list("status=active&page_size=300"), status: 200 },
  { name: "list pending users (no id)", request: list("status=pending"), status: 200 },
  { name: "list inactive users, one per page", request: list("status=inactive&page_size=1"), status: 200 },
  { name: "list with a forged page token", request: list("next_page_token=forged"), status: 400, code: 300 },
  {
    name: "list an unknown status",
    request: list("status=deleted"),
    status: 400,
    code: 300,
    offSpec: /status/,
  },

  { name: "get a member", request: get("u-leaver"), status: 200 },
  { name: "get the owner by email", request: get("owner%40example.com"), status: 200 },
  { name: "get a pending user", request: get("pending@example.com"), status: 200 },
  { name: "get a deactivated user", request: get("u-gone"), status: 200 },
  { name: "get a Zoom Room", request: get("u-room"), status: 200 },
  { name: "get an unknown user", request: get("ghost@example.com"), status: 404, code: 1001 },

  { name: "deactivate", request: status("u-leaver", "deactivate"), status: 204, deviation: STATUS_204 },
  { name: "activate", request: status("u-gone", "activate"), status: 204, deviation: STATUS_204 },
  { name: "deactivate an admin", request: status("u-admin", "deactivate"), status: 400, code: 200 },
  { name: "deactivate an events host", request: status("u-events", "deactivate"), status: 400, code: 300 },
  { name: "deactivate a pending user", request: status("u-pending", "deactivate"), status: 400, code: 1120 },
  { name: "deactivate an unknown user", request: status("ghost", "deactivate"), status: 404, code: 1001 },

  { name: "sign out", request: signOut("leaver@example.com"), status: 204 },
  { name: "sign out an unknown user", request: signOut("ghost"), status: 404, code: 1001 },

  { name: "downgrade to Basic", request: update("u-leaver", { type: 1 }), status: 204 },
  {
    name: "update without a type",
    request: update("u-leaver", { job_title: "Alumna", dept: "HR" }),
    status: 204,
  },
  { name: "downgrade an events host", request: update("u-events", { type: 1 }), status: 400, code: 300 },
  { name: "downgrade a Zoom Room", request: update("u-room", { type: 1 }), status: 400, code: 200 },
  { name: "change the owner's type", request: update("u-owner", { type: 1 }), status: 400, code: 1108 },
  {
    name: "downgrade an expired invitation",
    request: update("u-expired", { type: 1 }),
    status: 400,
    code: 1120,
  },
  { name: "downgrade an unknown user", request: update("ghost", { type: 1 }), status: 404, code: 1001 },
  { name: "type 3", request: update("u-leaver", { type: 3 }), status: 400, code: 300, offSpec: /type/ },
  {
    name: "a number for a name",
    request: update("u-leaver", { first_name: 5 }),
    status: 400,
    code: 300,
    offSpec: /first_name/,
  },

  { name: "disassociate (the default)", request: remove("u-leaver"), status: 204 },
  {
    name: "delete with every transfer",
    request: remove("u-leaver", `action=delete&transfer_email=heir%40example.com&${ALL_TRANSFERS}`),
    status: 204,
  },
  { name: "disassociate a pending user", request: remove("u-pending", "action=disassociate"), status: 204 },
  {
    name: "delete a deactivated user",
    request: remove("u-gone", "action=delete&encrypted_email=false"),
    status: 204,
  },
  { name: "remove a Zoom Room", request: remove("u-room"), status: 400, code: 200 },
  { name: "remove the owner", request: remove("u-owner"), status: 400, code: 200 },
  { name: "delete an admin", request: remove("u-admin", "action=delete"), status: 400, code: 200 },
  { name: "delete a user Zoom keeps", request: remove("u-stuck", "action=delete"), status: 400, code: 200 },
  { name: "disassociate an admin", request: remove("u-admin"), status: 400, code: 1117 },
  { name: "disassociate a managed-domain user", request: remove("u-managed"), status: 400, code: 1107 },
  {
    name: "remove a call-queue manager",
    request: remove("u-queue", "action=delete"),
    status: 400,
    code: 1000,
  },
  { name: "remove an expired invitation", request: remove("u-expired"), status: 400, code: 1120 },
  { name: "delete a pending user", request: remove("u-pending", "action=delete"), status: 400, code: 300 },
  { name: "remove an events host without a target", request: remove("u-events"), status: 400, code: 300 },
  {
    name: "transfer to the user themself",
    request: remove("u-leaver", "transfer_email=leaver%40example.com"),
    status: 400,
    code: 300,
  },
  {
    name: "transfer outside the account",
    request: remove("u-leaver", "transfer_email=x%40elsewhere.com"),
    status: 400,
    code: 200,
  },
  {
    name: "recordings to a Basic user",
    request: remove("u-leaver", "transfer_email=basic%40example.com&transfer_recording=true"),
    status: 400,
    code: 300,
  },
  { name: "remove an unknown user", request: remove("ghost"), status: 404, code: 1001 },
  {
    name: "plural transfer_meetings",
    request: remove("u-leaver", "transfer_meetings=true"),
    status: 400,
    code: 300,
    offSpec: /transfer_meetings/,
  },
  {
    name: "a boolean that is not",
    request: remove("u-leaver", "transfer_meeting=yes"),
    status: 400,
    code: 300,
    offSpec: /transfer_meeting/,
  },
  {
    name: "an unknown action",
    request: remove("u-leaver", "action=remove"),
    status: 400,
    code: 300,
    offSpec: /action/,
  },
];

/** One request per route, for the refusals every operation shares. */
const BY_ROUTE: Record<SimApiRoute, SpecRequest> = {
  get_user: get("u-leaver"),
  list_users: list("status=active"),
  put_status: status("u-leaver", "deactivate"),
  sign_out: signOut("u-leaver"),
  update_user: update("u-leaver", { type: 1 }),
  delete_user: remove("u-leaver"),
};
const ROUTES = Object.keys(BY_ROUTE) as SimApiRoute[];

let spec: ZoomSpec;
let sim: Simulator | undefined;

beforeAll(async () => {
  spec = await loadZoomSpec();
});
afterEach(async () => {
  await sim?.close();
  sim = undefined;
});
afterAll(() => agent.close());

async function start(options: SimulatorOptions = {}): Promise<{ sim: Simulator; token: string }> {
  sim = await startSimulator({ users: USERS, ...options });
  return { sim, token: await getToken(sim) };
}

/** Sends the request over HTTP as given and returns the answer with the problems Zoom's description finds. */
async function exchange(target: Simulator, token: string, request: SpecRequest) {
  const query = typeof request.query === "string" && request.query !== "" ? `?${request.query}` : "";
  const headers: Record<string, string> = { authorization: `Bearer ${token}` };
  for (const [name, value] of Object.entries(request.headers ?? {}))
    if (typeof value === "string") headers[name] = value;
  const answer = await call(`${target.url}${request.path}${query}`, {
    method: request.method as "GET",
    headers,
    ...(request.body === undefined ? {} : { body: JSON.stringify(request.body) }),
  });
  const sent = { ...request, headers };
  return {
    answer,
    requestProblems: spec.validateRequest(sent),
    responseProblems: spec.validateResponse(sent, answer.status, answer.json, answer.headers),
  };
}

function expectProblems(problems: string[], deviation: RegExp | undefined): void {
  if (deviation === undefined) expect(problems).toEqual([]);
  else expect(problems).toEqual([expect.stringMatching(deviation)]);
}

describe("each operation's answers match Zoom's OpenAPI description", () => {
  it.each(CASES)("$name → $status", async ({ request, status, code, offSpec, deviation }) => {
    const { sim, token } = await start();
    const { answer, requestProblems, responseProblems } = await exchange(sim, token, request);
    if (offSpec === undefined) expect(requestProblems).toEqual([]);
    else expect(requestProblems.join("\n")).toMatch(offSpec);
    expect(answer.status).toBe(status);
    if (code !== undefined) expect(answer.json).toMatchObject({ code });
    expectProblems(responseProblems, deviation);
  });

  it("a second page via next_page_token", async () => {
    const { sim, token } = await start();
    const first = await exchange(sim, token, list("status=active&page_size=2"));
    const next = (first.answer.json as { next_page_token: string }).next_page_token;
    expect(next).not.toBe("");
    const second = await exchange(
      sim,
      token,
      list(`page_size=2&next_page_token=${encodeURIComponent(next)}`),
    );
    expect(second.answer.status).toBe(200);
    expect([...second.requestProblems, ...second.responseProblems]).toEqual([]);
  });
});

describe("refusals every operation shares", () => {
  it.each(ROUTES)("%s: a bad token → 401 code 124 (Zoom declares no 401)", async (route) => {
    const { sim } = await start();
    const { answer, requestProblems, responseProblems } = await exchange(sim, "made-up", BY_ROUTE[route]);
    expect(requestProblems).toEqual([]);
    expect(answer).toMatchObject({ status: 401, json: { code: 124 } });
    expectProblems(responseProblems, TOKEN_401);
  });

  it.each(ROUTES)("%s: a token without its scopes → 400 code 4711", async (route) => {
    const { sim, token } = await start({ scopes: [] });
    const { answer, responseProblems } = await exchange(sim, token, BY_ROUTE[route]);
    expect(answer).toMatchObject({ status: 400, json: { code: 4711 } });
    expect(responseProblems).toEqual([]);
  });

  it.each(ROUTES)("%s: over the per-second limit → 429", async (route) => {
    const { sim, token } = await start({ lightRps: 1, mediumRps: 1 });
    await exchange(sim, token, get("u-heir"));
    await exchange(sim, token, list("status=inactive"));
    const { answer, responseProblems } = await exchange(sim, token, BY_ROUTE[route]);
    expect(answer).toMatchObject({ status: 429, json: { code: 429 } });
    expect(answer.headers["x-ratelimit-type"]).toBe("QPS");
    expect(responseProblems).toEqual([]);
  });

  it.each(ROUTES.filter((route) => route !== "list_users"))(
    "%s: a second request for the same user at once → 429",
    async (route) => {
      const { sim, token } = await start({ latencyMs: 60 });
      const answers = await Promise.all([
        exchange(sim, token, get("u-leaver")),
        exchange(sim, token, BY_ROUTE[route]),
      ]);
      const refused = answers[1];
      expect(refused?.answer).toMatchObject({
        status: 429,
        json: { message: expect.stringMatching(/^Too many concurrent requests/) },
      });
      expect(refused?.responseProblems).toEqual([]);
    },
  );

  it("the list's documented 403, as when the account loses API access", async () => {
    const { sim, token } = await start();
    sim.setRefusal("list_users", { status: 403 });
    const { answer, responseProblems } = await exchange(sim, token, list("status=active"));
    expect(answer.status).toBe(403);
    expect(responseProblems).toEqual([]);
  });
});

describe("coverage", () => {
  it("the tests above exercise every operation in the description with every status it declares", () => {
    // Each case asserts its status, so the cases' statuses are the ones seen; the shared refusals add theirs.
    const tested = new Set([
      ...CASES.map((c) => `${spec.operationId(c.request)} ${c.status}`),
      ...ROUTES.flatMap((route) =>
        [400, 429].map((status) => `${spec.operationId(BY_ROUTE[route])} ${status}`),
      ),
      `${spec.operationId(BY_ROUTE.list_users)} 403`,
    ]);
    const missing = spec
      .operationIds()
      .flatMap((id) => spec.declaredStatuses(id).map((status) => `${id} ${status}`))
      .filter((pair) => !tested.has(pair))
      .filter((pair) => pair !== "userStatus 200"); // the deviation above: the simulator answers 204
    expect(missing).toEqual([]);
  });
});
