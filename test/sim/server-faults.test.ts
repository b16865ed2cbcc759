import { once } from "node:events";
import { connect } from "node:net";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { type Simulator, startSimulator } from "../../src/sim/server.js";
import { agent, call, getToken, getUser, members, putStatus } from "./helpers.js";

let sim: Simulator | undefined;
afterEach(async () => {
  await sim?.close();
  sim = undefined;
});
afterAll(() => agent.close());

/** Status of an answer, or "dropped" when the connection closed without one. */
async function outcome(answer: Promise<{ status: number }>): Promise<number | "dropped"> {
  try {
    return (await answer).status;
  } catch {
    return "dropped";
  }
}

describe("faults at rate 1", () => {
  it("serverErrorRate → 5xx, nothing applied", async () => {
    sim = await startSimulator({ users: members(6), faults: { serverErrorRate: 1 } });
    const token = await getToken(sim);
    const answers = await Promise.all(
      members(6).map((u) => putStatus(sim as Simulator, token, u.id, "deactivate")),
    );
    for (const answer of answers) {
      expect([500, 502, 503]).toContain(answer.status);
      expect(answer.json).toEqual({ code: answer.status, message: expect.any(String) });
    }
    expect(sim.allUsers().filter((u) => u.status !== "active")).toEqual([]);
    expect(sim.stats()).toMatchObject({ statusPuts: 6, statusChangesApplied: 0 });
    // The token endpoint is not subject to API faults.
    expect(await getToken(sim)).toEqual(expect.any(String));
  });

  it("dropRate → connection closed without an answer, nothing applied", async () => {
    sim = await startSimulator({ users: members(1), faults: { dropRate: 1 } });
    const token = await getToken(sim);
    expect(await outcome(putStatus(sim, token, "u0", "deactivate"))).toBe("dropped");
    expect(sim.user("u0")?.status).toBe("active");
    expect(sim.stats()).toMatchObject({ statusPuts: 1, statusChangesApplied: 0 });
    expect(sim.stats().log.at(-1)).toMatchObject({ route: "put_status", status: 0, applied: false });
  });

  it("lostResponseRate → change applied, then the connection closes without an answer", async () => {
    sim = await startSimulator({ users: members(1), faults: { lostResponseRate: 1 } });
    const token = await getToken(sim);
    expect(await outcome(putStatus(sim, token, "u0", "deactivate"))).toBe("dropped");
    expect(sim.user("u0")?.status).toBe("inactive");
    expect(sim.stats()).toMatchObject({ statusPuts: 1, statusChangesApplied: 1 });
    expect(sim.stats().log.at(-1)).toMatchObject({ route: "put_status", status: 0, applied: true });
    // The retry of the idempotent PUT, once faults stop, just confirms.
    sim.setFaults({ lostResponseRate: 0 });
    expect((await putStatus(sim, token, "u0", "deactivate")).status).toBe(204);
  });

  it("faults come after the rate limit: a 429 is never turned into a fault", async () => {
    sim = await startSimulator({ users: members(1), lightRps: 1, faults: { serverErrorRate: 1 } });
    const token = await getToken(sim);
    const statuses = [await getUser(sim, token, "u0"), await getUser(sim, token, "u0")].map((a) => a.status);
    expect(statuses).toEqual([expect.any(Number), 429]);
    expect([500, 502, 503]).toContain(statuses[0]);
  });

  it("setFaults validates rates", async () => {
    sim = await startSimulator();
    expect(() => sim?.setFaults({ dropRate: 2 })).toThrow(/dropRate/);
    await expect(startSimulator({ faults: { serverErrorRate: -1 } })).rejects.toThrow(/serverErrorRate/);
  });
});

describe("determinism", () => {
  async function run(seed: number): Promise<{ statuses: (number | "dropped")[]; ids: string[] }> {
    const s = await startSimulator({
      users: members(40),
      lightRps: 1000,
      generateUsers: 3,
      seed,
      faults: { serverErrorRate: 0.3, dropRate: 0.2, lostResponseRate: 0.1 },
    });
    try {
      const token = await getToken(s);
      const statuses: (number | "dropped")[] = [];
      for (let i = 0; i < 40; i++) statuses.push(await outcome(getUser(s, token, `u${i}`)));
      return {
        statuses,
        ids: s
          .allUsers()
          .slice(40)
          .map((u) => u.id),
      };
    } finally {
      await s.close();
    }
  }

  it("the same seed gives the same faults and generated ids; another seed does not", async () => {
    const a = await run(11);
    const b = await run(11);
    const c = await run(12);
    expect(b).toEqual(a);
    expect(c.statuses).not.toEqual(a.statuses);
    expect(c.ids).not.toEqual(a.ids);
    for (const status of a.statuses) expect([200, "dropped", 500, 502, 503]).toContain(status);
    expect(a.statuses.filter((s) => s === 200).length).toBeGreaterThan(5);
    expect(a.statuses.filter((s) => s === "dropped").length).toBeGreaterThan(3);
  });
});

describe("generated users", () => {
  it("adds N active members after the seed users", async () => {
    sim = await startSimulator({ users: members(1), generateUsers: 5 });
    const users = sim.allUsers();
    expect(users).toHaveLength(6);
    expect(users[5]).toMatchObject({ email: "user5@example.com", status: "active", role: "member" });
    expect(sim.user("USER3@example.com")?.id).toMatch(/^[A-Za-z0-9_-]{22}$/);
  });
});

describe("control routes (/_sim/)", () => {
  it("expose stats and users, steer faults, tokens and days, and are not counted", async () => {
    sim = await startSimulator({ users: members(2), tier: "free", dailyLightLimit: 1 });
    const token = await getToken(sim);
    expect((await putStatus(sim, token, "u0", "deactivate")).status).toBe(204);

    const stats = await call(`${sim.url}/_sim/stats`);
    expect(stats.status).toBe(200);
    expect(stats.json).toMatchObject({ requests: 2, tokenRequests: 1, statusPuts: 1, putsByUser: { u0: 1 } });
    expect((stats.json as { log: unknown[] }).log).toHaveLength(2);
    expect((await call(`${sim.url}/_sim/stats?log=0`)).json).toMatchObject({ statusPuts: 1, log: [] });

    const user = await call(`${sim.url}/_sim/users/M0%40EXAMPLE.com`);
    // Deactivated just now, so no longer licensed; every data count is shown, here all 0.
    expect(user.json).toEqual({
      id: "u0",
      email: "m0@example.com",
      status: "inactive",
      role: "member",
      type: 1,
      data: {
        meetings: 0,
        webinars: 0,
        recordings: 0,
        whiteboards: 0,
        clipfiles: 0,
        notes: 0,
        docs: 0,
        visitors: 0,
      },
    });
    expect((await call(`${sim.url}/_sim/users/ghost`)).status).toBe(404);

    expect((await putStatus(sim, token, "u1", "deactivate")).headers["x-ratelimit-type"]).toBe("Daily-limit");
    expect((await call(`${sim.url}/_sim/next-day`, { method: "POST" })).status).toBe(204);

    const faults = await call(`${sim.url}/_sim/faults`, { method: "POST", body: '{"serverErrorRate":1}' });
    expect(faults.status).toBe(204);
    expect([500, 502, 503]).toContain((await putStatus(sim, token, "u1", "deactivate")).status);
    expect((await call(`${sim.url}/_sim/faults`, { method: "POST", body: '{"dropRate":7}' })).status).toBe(
      400,
    );
    await call(`${sim.url}/_sim/faults`, { method: "POST", body: '{"serverErrorRate":0}' });

    expect((await call(`${sim.url}/_sim/revoke-tokens`, { method: "POST" })).status).toBe(204);
    expect((await getUser(sim, token, "u1")).status).toBe(401);

    expect(sim.stats().requests).toBe(5); // token, 3 PUTs, 1 GET: no /_sim/ route
    expect((await call(`${sim.url}/_sim/reset-stats`, { method: "POST" })).status).toBe(204);
    expect(sim.stats()).toMatchObject({ requests: 0, statusPuts: 0, log: [] });
    expect((await call(`${sim.url}/_sim/nope`)).status).toBe(404);

    const outage = await call(`${sim.url}/_sim/token-outage`, { method: "POST", body: '{"untilMs":1e15}' });
    expect(outage.status).toBe(204);
    await expect(getToken(sim)).rejects.toThrow(/token request failed/);
    await call(`${sim.url}/_sim/token-outage`, { method: "POST", body: '{"untilMs":null}' });
    expect(await getToken(sim)).toEqual(expect.any(String));
  });
});

describe("a client that hangs up mid-body", () => {
  it("does not leave the user locked", async () => {
    sim = await startSimulator({ users: members(1) });
    const token = await getToken(sim);
    const { port } = new URL(sim.url);
    const socket = connect(Number(port), "127.0.0.1");
    await once(socket, "connect");
    socket.write(
      `PUT /v2/users/u0/status HTTP/1.1\r\nhost: x\r\nauthorization: Bearer ${token}\r\n` +
        'content-type: application/json\r\ncontent-length: 100\r\n\r\n{"action":',
    );
    await expect.poll(() => sim?.stats().statusPuts).toBe(1);
    socket.destroy();
    await expect
      .poll(async () => (await putStatus(sim as Simulator, token, "u0", "deactivate")).status)
      .toBe(204);
    expect(sim.stats().concurrentSameUser).toBe(0);
  });
});

describe("close()", () => {
  it("closes promptly even with keep-alive sockets open", async () => {
    sim = await startSimulator({ users: members(1) });
    const token = await getToken(sim);
    await getUser(sim, token, "u0"); // leaves an idle keep-alive socket in the agent
    const started = performance.now();
    await sim.close();
    expect(performance.now() - started).toBeLessThan(1000);
    await expect(getUser(sim, token, "u0")).rejects.toThrow();
    await sim.close(); // twice is fine
  });
});

describe("request log", () => {
  it("records one entry per API/token request with route, user and status", async () => {
    sim = await startSimulator({ users: members(1) });
    const token = await getToken(sim);
    await putStatus(sim, token, "m0@example.com", "deactivate");
    await getUser(sim, token, "nobody");
    await call(`${sim.apiUrl}/users`, { headers: { authorization: `Bearer ${token}` } });
    const { log } = sim.stats();
    expect(log.map(({ route, user, status, applied }) => ({ route, user, status, applied }))).toEqual([
      { route: "token", user: undefined, status: 200, applied: undefined },
      { route: "put_status", user: "u0", status: 204, applied: true },
      { route: "get_user", user: "nobody", status: 404, applied: undefined },
      { route: "list_users", user: undefined, status: 200, applied: undefined },
    ]);
    for (const entry of log) expect(entry.atMs).toBeGreaterThan(0);
  });

  it("can be turned off", async () => {
    sim = await startSimulator({ users: members(1), logRequests: false });
    await getToken(sim);
    expect(sim.stats()).toMatchObject({ requests: 1, log: [] });
  });
});
