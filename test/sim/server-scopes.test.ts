import { afterAll, afterEach, describe, expect, it } from "vitest";
import { type SimApiRoute, type Simulator, startSimulator } from "../../src/sim/server.js";
import {
  agent,
  call,
  deleteUser,
  getToken,
  getUser,
  members,
  putStatus,
  requestToken,
  signOut,
  updateUser,
} from "./helpers.js";

let sim: Simulator | undefined;
afterEach(async () => {
  await sim?.close();
  sim = undefined;
});
afterAll(() => agent.close());

type Send = (sim: Simulator, token: string) => Promise<{ status: number; json: unknown }>;

/** One request per route, each against its own user so that removals do not get in each other's way. */
const SEND: Record<SimApiRoute, Send> = {
  get_user: (s, t) => getUser(s, t, "u0"),
  list_users: (s, t) => call(`${s.apiUrl}/users`, { headers: { authorization: `Bearer ${t}` } }),
  put_status: (s, t) => putStatus(s, t, "u1", "deactivate"),
  sign_out: (s, t) => signOut(s, t, "u2"),
  update_user: (s, t) => updateUser(s, t, "u3", { type: 1 }),
  delete_user: (s, t) => deleteUser(s, t, "u4"),
};
const ROUTES = Object.keys(SEND) as SimApiRoute[];

describe("scopes", () => {
  it("the token answer lists the granted scopes", async () => {
    sim = await startSimulator({ scopes: ["user:read:user:admin", "user:update:status:admin"] });
    expect((await requestToken(sim)).json).toMatchObject({
      scope: "user:read:user:admin user:update:status:admin",
    });
  });

  it.each<{ name: string; scopes: string[]; allowed: SimApiRoute[] }>([
    { name: "the default classic scopes", scopes: ["user:write:admin", "user:read:admin"], allowed: ROUTES },
    { name: "user:write:admin alone", scopes: ["user:write:admin"], allowed: ROUTES },
    { name: "user:read:admin alone", scopes: ["user:read:admin"], allowed: ["get_user", "list_users"] },
    {
      name: "granular scopes for the status change and its look-ups",
      scopes: ["user:read:user:admin", "user:read:list_users:admin", "user:update:status:admin"],
      allowed: ["get_user", "list_users", "put_status"],
    },
    {
      name: "granular scopes for the rest of an offboarding",
      scopes: ["user:delete:token:admin", "user:update:user:admin", "user:delete:user:admin"],
      allowed: ["sign_out", "update_user", "delete_user"],
    },
    { name: "user-level scopes only", scopes: ["user:read", "user:write"], allowed: [] },
    { name: "none", scopes: [], allowed: [] },
  ])("$name", async ({ scopes, allowed }) => {
    sim = await startSimulator({ users: members(5), scopes });
    const token = await getToken(sim);
    for (const route of ROUTES) {
      const answer = await SEND[route](sim, token);
      if (allowed.includes(route)) {
        expect(answer.status, route).toBeLessThan(300);
      } else {
        expect(answer.status, route).toBe(400);
        expect(answer.json, route).toEqual({
          code: 4711,
          message: expect.stringMatching(
            /^Invalid access token, does not contain scopes:\[user:[a-z_:]+\]\.$/,
          ),
        });
      }
    }
    expect(sim.stats().missingScopeAnswers).toBe(ROUTES.length - allowed.length);
  });

  it("names the route's granular scope, as Zoom does", async () => {
    sim = await startSimulator({ users: members(5), scopes: [] });
    const answer = await SEND.delete_user(sim, await getToken(sim));
    expect(answer.json).toEqual({
      code: 4711,
      message: "Invalid access token, does not contain scopes:[user:delete:user:admin].",
    });
    expect(sim.user("u4")).toBeDefined();
  });

  it.each([[["user read"]], [[""]], [[5 as unknown as string]]])("refuses scopes %j", async (scopes) => {
    await expect(startSimulator({ scopes })).rejects.toThrow(/scope/);
  });
});

describe("setRefusal", () => {
  it("403 without code 124 on one route until cleared; other routes go on", async () => {
    sim = await startSimulator({ users: members(5) });
    const token = await getToken(sim);
    sim.setRefusal("put_status", { status: 403 });
    const refused = await SEND.put_status(sim, token);
    expect(refused.status).toBe(403);
    expect(refused.json).toEqual({
      code: 403,
      message:
        "Access to the Zoom REST API has been denied for this account. Contact Zoom Support for details.",
    });
    expect(sim.user("u1")?.status).toBe("active");
    expect((await SEND.get_user(sim, token)).status).toBe(200);
    sim.setRefusal("put_status", null);
    expect((await SEND.put_status(sim, token)).status).toBe(204);
    expect(sim.stats()).toMatchObject({ forcedRefusals: 1, statusChangesApplied: 1 });
  });

  it.each<{ route: SimApiRoute; refusal: object; status: number; body: object }>([
    {
      route: "put_status",
      refusal: { code: 4711 },
      status: 400,
      body: {
        code: 4711,
        message: "Invalid access token, does not contain scopes:[user:update:status:admin].",
      },
    },
    {
      route: "sign_out",
      refusal: { status: 400, code: 2300, message: "This API endpoint is not recognized." },
      status: 400,
      body: { code: 2300, message: "This API endpoint is not recognized." },
    },
    {
      route: "get_user",
      refusal: { code: 124 },
      status: 401,
      body: { code: 124, message: expect.any(String) },
    },
    {
      route: "delete_user",
      refusal: { status: 500 },
      status: 500,
      body: { code: 500, message: expect.any(String) },
    },
  ])("$route $refusal → $status", async ({ route, refusal, status, body }) => {
    sim = await startSimulator({ users: members(5) });
    sim.setRefusal(route, refusal);
    const answer = await SEND[route](sim, await getToken(sim));
    expect(answer.status).toBe(status);
    expect(answer.json).toEqual(body);
  });

  it("afterRequests lets that many through first, then refuses mid-run", async () => {
    sim = await startSimulator({ users: members(6) });
    const token = await getToken(sim);
    sim.setRefusal("put_status", { status: 403, afterRequests: 2 });
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++) statuses.push((await putStatus(sim, token, `u${i}`, "deactivate")).status);
    expect(statuses).toEqual([204, 204, 403, 403, 403]);
  });

  it("a refusal comes after the token check and uses no rate budget", async () => {
    sim = await startSimulator({ users: members(3), lightRps: 1 });
    sim.setRefusal("get_user", { status: 403 });
    expect((await getUser(sim, "made-up", "u0")).status).toBe(401);
    const token = await getToken(sim);
    expect((await getUser(sim, token, "u0")).status).toBe(403);
    sim.setRefusal("get_user", null);
    expect((await getUser(sim, token, "u0")).status).toBe(200);
  });

  it.each([
    { route: "nope", refusal: { status: 403 }, error: /Unknown route `nope`/ },
    { route: "put_status", refusal: {}, error: /`status` or a `code`/ },
    { route: "put_status", refusal: { status: 200 }, error: /`status`/ },
    { route: "put_status", refusal: { code: -1 }, error: /`code`/ },
    { route: "put_status", refusal: { status: 403, after: 3 }, error: /Unknown refusal field `after`/ },
    { route: "put_status", refusal: { status: 403, afterRequests: 1.5 }, error: /`afterRequests`/ },
  ])("refuses $route $refusal", async ({ route, refusal, error }) => {
    sim = await startSimulator();
    expect(() => sim?.setRefusal(route as SimApiRoute, refusal)).toThrow(error);
  });
});

describe("POST /_sim/refuse", () => {
  it("sets and clears a refusal; bad bodies → 400", async () => {
    sim = await startSimulator({ users: members(5) });
    const token = await getToken(sim);
    const post = (body: unknown) =>
      call(`${sim?.url}/_sim/refuse`, { method: "POST", body: JSON.stringify(body) });
    expect((await post({ route: "update_user", code: 4711 })).status).toBe(204);
    expect((await SEND.update_user(sim, token)).json).toMatchObject({ code: 4711 });
    expect((await post({ route: "update_user", off: true })).status).toBe(204);
    expect((await SEND.update_user(sim, token)).status).toBe(204);
    expect((await post({ status: 403 })).status).toBe(400);
    expect((await post({ route: "update_user", status: "403" })).status).toBe(400);
    expect(sim.stats().requests).toBe(3); // control requests are not counted
  });
});
