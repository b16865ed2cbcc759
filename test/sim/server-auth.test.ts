import { afterAll, afterEach, describe, expect, it } from "vitest";
import { type Simulator, startSimulator } from "../../src/sim/server.js";
import {
  agent,
  basicAuth,
  call,
  fakeClock,
  getToken,
  getUser,
  requestToken,
  SIM_CREDENTIALS,
} from "./helpers.js";

const USERS = [{ id: "u1", email: "a@example.com", status: "active", role: "member" }] as const;
let sim: Simulator | undefined;

afterEach(async () => {
  await sim?.close();
  sim = undefined;
});
afterAll(() => agent.close());

describe("POST /oauth/token", () => {
  it("issues a bearer token with Zoom's fields", async () => {
    sim = await startSimulator({ tokenLifetimeSec: 1800 });
    const answer = await requestToken(sim);
    expect(answer.status).toBe(200);
    expect(answer.json).toEqual({
      access_token: expect.any(String),
      token_type: "bearer",
      expires_in: 1800,
      scope: "user:write:admin user:read:admin",
      api_url: sim.url,
    });
    const second = await requestToken(sim);
    expect((second.json as { access_token: string }).access_token).not.toBe(
      (answer.json as { access_token: string }).access_token,
    );
    expect(sim.stats()).toMatchObject({ requests: 2, tokenRequests: 2 });
  });

  it.each([
    {
      name: "wrong secret",
      credentials: { ...SIM_CREDENTIALS, clientSecret: "nope" },
      grant: "account_credentials",
    },
    {
      name: "wrong client",
      credentials: { ...SIM_CREDENTIALS, clientId: "nope" },
      grant: "account_credentials",
    },
    {
      name: "wrong account",
      credentials: { ...SIM_CREDENTIALS, accountId: "nope" },
      grant: "account_credentials",
    },
    { name: "wrong grant", credentials: SIM_CREDENTIALS, grant: "client_credentials" },
  ])("$name → 400 invalid_client", async ({ credentials, grant }) => {
    sim = await startSimulator();
    const answer = await requestToken(sim, credentials, grant);
    expect(answer.status).toBe(400);
    expect(answer.json).toEqual({ reason: "Invalid client_id or client_secret", error: "invalid_client" });
  });

  it("accepts configured credentials and refuses the defaults then", async () => {
    const credentials = { accountId: "acc", clientId: "cid", clientSecret: "sec" };
    sim = await startSimulator({ credentials });
    expect((await requestToken(sim, credentials)).status).toBe(200);
    expect((await requestToken(sim)).status).toBe(400);
  });

  it("refuses the account id in the query string instead of the body", async () => {
    sim = await startSimulator();
    const answer = await call(`${sim.oauthUrl}?grant_type=account_credentials&account_id=sim-account`, {
      method: "POST",
      headers: { authorization: basicAuth("sim-client", "sim-secret") },
    });
    expect(answer.status).toBe(400);
  });

  it("answers 503 during a token outage, then recovers", async () => {
    const clock = fakeClock();
    sim = await startSimulator({ clock: clock.now });
    sim.setTokenOutage(clock.now() + 5000);
    expect((await requestToken(sim)).status).toBe(503);
    clock.advance(5000);
    expect((await requestToken(sim)).status).toBe(200);
    sim.setTokenOutage(Number.POSITIVE_INFINITY);
    expect((await requestToken(sim)).status).toBe(503);
    sim.setTokenOutage(null);
    expect((await requestToken(sim)).status).toBe(200);
  });

  it("tokenLatencyMs lets concurrent token requests overlap (for single-flight tests)", async () => {
    sim = await startSimulator({ tokenLatencyMs: 100 });
    const started = performance.now();
    const answers = await Promise.all([requestToken(sim), requestToken(sim), requestToken(sim)]);
    expect(performance.now() - started).toBeGreaterThanOrEqual(90);
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200]);
    expect(sim.stats().maxConcurrentTokenRequests).toBe(3);
    await requestToken(sim);
    expect(sim.stats().maxConcurrentTokenRequests).toBe(3);
  });
});

describe("bearer tokens on /v2", () => {
  it.each([
    { name: "no header", authorization: undefined },
    { name: "unknown token", authorization: "Bearer made-up" },
    { name: "not bearer", authorization: basicAuth("sim-client", "sim-secret") },
  ])("$name → 401 code 124 Invalid access token.", async ({ authorization }) => {
    sim = await startSimulator({ users: [...USERS] });
    const answer = await call(`${sim.apiUrl}/users/u1`, authorization ? { headers: { authorization } } : {});
    expect(answer.status).toBe(401);
    expect(answer.json).toEqual({ code: 124, message: "Invalid access token." });
    expect(sim.stats().tokenExpiredAnswers).toBe(1);
  });

  it("expires tokens after tokenLifetimeSec", async () => {
    const clock = fakeClock();
    sim = await startSimulator({ users: [...USERS], tokenLifetimeSec: 60, clock: clock.now });
    const token = await getToken(sim);
    clock.advance(59_999);
    expect((await getUser(sim, token, "u1")).status).toBe(200);
    clock.advance(1);
    const answer = await getUser(sim, token, "u1");
    expect(answer.status).toBe(401);
    expect(answer.json).toEqual({ code: 124, message: "Access token is expired." });
    const fresh = await getToken(sim);
    expect((await getUser(sim, fresh, "u1")).status).toBe(200);
    expect(sim.stats().tokenExpiredAnswers).toBe(1);
  });

  it("keeps older tokens valid when a new one is issued", async () => {
    sim = await startSimulator({ users: [...USERS] });
    const first = await getToken(sim);
    const second = await getToken(sim);
    expect((await getUser(sim, first, "u1")).status).toBe(200);
    expect((await getUser(sim, second, "u1")).status).toBe(200);
  });

  it("revokeTokens() invalidates every issued token", async () => {
    sim = await startSimulator({ users: [...USERS] });
    const first = await getToken(sim);
    const second = await getToken(sim);
    sim.revokeTokens();
    for (const token of [first, second]) {
      const answer = await getUser(sim, token, "u1");
      expect(answer.status).toBe(401);
      expect(answer.json).toEqual({ code: 124, message: "Invalid access token." });
    }
    expect((await getUser(sim, await getToken(sim), "u1")).status).toBe(200);
  });
});

describe("every response", () => {
  it("carries a unique x-zm-trackingid", async () => {
    sim = await startSimulator({ users: [...USERS] });
    const token = await getToken(sim);
    const answers = [
      await getUser(sim, token, "u1"),
      await getUser(sim, token, "nobody"),
      await getUser(sim, "bad", "u1"),
      await call(`${sim.url}/elsewhere`),
      await requestToken(sim),
    ];
    const ids = answers.map((a) => a.headers["x-zm-trackingid"]);
    for (const id of ids) expect(id).toMatch(/^v=2\.0;clid=us06;rid=\S+$/);
    expect(new Set(ids).size).toBe(ids.length);
  });
});
