import { afterAll, afterEach, describe, expect, it } from "vitest";
import { type SimUser, type Simulator, type SimulatorOptions, startSimulator } from "../../src/sim/server.js";
import {
  type Answer,
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
    data: { meetings: 3, recordings: 2 },
  },
  { id: "u-heir", email: "heir@example.com", status: "active", role: "member", data: { meetings: 1 } },
  { id: "u-other", email: "other@example.com", status: "active", role: "member" },
  { id: "u-admin", email: "admin@example.com", status: "active", role: "admin" },
];

/** The four changes of an offboarding, each of which the fault must answer as made and leave unmade. */
const CHANGES: { name: string; send: (sim: Simulator, token: string, user: string) => Promise<Answer> }[] = [
  { name: "PUT status deactivate", send: (sim, token, user) => putStatus(sim, token, user, "deactivate") },
  { name: "PATCH type 1", send: (sim, token, user) => updateUser(sim, token, user, { type: 1 }) },
  {
    name: "DELETE delete with transfer",
    send: (sim, token, user) =>
      deleteUser(sim, token, user, {
        action: "delete",
        transfer_email: "heir@example.com",
        transfer_meeting: "true",
        transfer_recording: "true",
      }),
  },
  {
    name: "DELETE disassociate",
    send: (sim, token, user) => deleteUser(sim, token, user, { action: "disassociate" }),
  },
  { name: "sign-out", send: (sim, token, user) => signOut(sim, token, user) },
];

const sims: Simulator[] = [];
async function start(options: SimulatorOptions): Promise<{ sim: Simulator; token: string }> {
  const sim = await startSimulator(options);
  sims.push(sim);
  return { sim, token: await getToken(sim) };
}
afterEach(async () => {
  await Promise.all(sims.splice(0).map((sim) => sim.close()));
});
afterAll(() => agent.close());

/** What a client can see of an answer besides the per-request headers (tracking id, rate-limit counters). */
const visible = (answer: Answer) => ({
  status: answer.status,
  contentType: answer.headers["content-type"],
  text: answer.text,
});

/** Stats that a change which was really made would bump, as they stand before any. */
const NO_CHANGES = {
  statusChangesApplied: 0,
  signOuts: 0,
  signOutsByUser: {},
  typeChanges: [],
  removals: [],
};

describe("unappliedRate 1", () => {
  it.each(CHANGES)("$name: the success answer, but the directory is unchanged", async ({ send }) => {
    const clean = await start({ users: USERS });
    const faulty = await start({ users: USERS, faults: { unappliedRate: 1 } });
    const before = await getUser(faulty.sim, faulty.token, "u-leaver");
    const directoryBefore = faulty.sim.allUsers();
    const listBefore = await call(`${faulty.sim.apiUrl}/users?page_size=300`, {
      headers: { authorization: `Bearer ${faulty.token}` },
    });

    const expected = await send(clean.sim, clean.token, "leaver@example.com");
    const answer = await send(faulty.sim, faulty.token, "leaver@example.com");
    expect(expected.status).toBeGreaterThanOrEqual(200);
    expect(expected.status).toBeLessThan(300);
    expect(visible(answer)).toEqual(visible(expected));
    expect(faulty.sim.stats().log.at(-1)).toMatchObject({
      user: "u-leaver",
      status: expected.status,
      applied: false,
    });

    // Read back as a verification step would: the user (and the transfer target) are as they were.
    expect(visible(await getUser(faulty.sim, faulty.token, "u-leaver"))).toEqual(visible(before));
    const listAfter = await call(`${faulty.sim.apiUrl}/users?page_size=300`, {
      headers: { authorization: `Bearer ${faulty.token}` },
    });
    expect(listAfter.json).toMatchObject({ total_records: 4 });
    expect((listAfter.json as { users: unknown }).users).toEqual(
      (listBefore.json as { users: unknown }).users,
    );
    expect(faulty.sim.allUsers()).toEqual(directoryBefore);
    expect(faulty.sim.user("u-leaver")).toMatchObject({ status: "active", type: 2, data: { meetings: 3 } });
    expect(faulty.sim.user("u-heir")?.data).toMatchObject({ meetings: 1, recordings: 0 });

    expect(faulty.sim.stats()).toMatchObject({ unapplied: 1, ...NO_CHANGES });
    expect(clean.sim.stats().unapplied).toBe(0);
  });

  it("the untouched directory matches a clean simulator's before any change", async () => {
    const clean = await start({ users: USERS });
    const faulty = await start({ users: USERS, faults: { unappliedRate: 1 } });
    for (const { send } of CHANGES) await send(faulty.sim, faulty.token, "u-leaver");
    expect(faulty.sim.allUsers()).toEqual(clean.sim.allUsers());
    expect(faulty.sim.stats()).toMatchObject({ unapplied: CHANGES.length, ...NO_CHANGES });
  });

  it("refusals are answered as usual and not counted", async () => {
    const { sim, token } = await start({ users: USERS, faults: { unappliedRate: 1 } });
    const admin = await putStatus(sim, token, "u-admin", "deactivate");
    expect(admin).toMatchObject({ status: 400, json: { code: 200 } });
    expect((await putStatus(sim, token, "ghost@example.com", "deactivate")).status).toBe(404);
    expect((await updateUser(sim, token, "u-leaver", { type: 99 })).status).toBe(400);
    const self = await deleteUser(sim, token, "u-leaver", { transfer_email: "leaver@example.com" });
    expect(self).toMatchObject({ status: 400, json: { code: 300 } });
    expect((await putStatus(sim, token, "u-leaver", "pause")).status).toBe(400);
    // A PATCH without a type changes nothing, so there is nothing to leave unmade.
    expect((await updateUser(sim, token, "u-leaver", { dept: "x" })).status).toBe(204);
    expect(sim.stats().unapplied).toBe(0);
  });

  it("look-ups and listings are served as usual", async () => {
    const { sim, token } = await start({ users: USERS, faults: { unappliedRate: 1 } });
    const user = await getUser(sim, token, "leaver@example.com");
    expect(user).toMatchObject({ status: 200, json: { id: "u-leaver", status: "active" } });
    expect((await getUser(sim, token, "ghost@example.com")).status).toBe(404);
    const list = await call(`${sim.apiUrl}/users`, { headers: { authorization: `Bearer ${token}` } });
    expect(list).toMatchObject({ status: 200, json: { total_records: 4 } });
    expect(sim.stats().unapplied).toBe(0);
  });

  it("is set and cleared at runtime, through setFaults and the control route", async () => {
    const { sim, token } = await start({ users: members(3) });
    sim.setFaults({ unappliedRate: 1 });
    expect((await putStatus(sim, token, "u0", "deactivate")).status).toBe(204);
    expect(sim.user("u0")?.status).toBe("active");
    sim.setFaults({ unappliedRate: 0 });
    expect((await putStatus(sim, token, "u0", "deactivate")).status).toBe(204);
    expect(sim.user("u0")?.status).toBe("inactive");

    const on = await call(`${sim.url}/_sim/faults`, { method: "POST", body: '{"unappliedRate":1}' });
    expect(on.status).toBe(204);
    expect((await putStatus(sim, token, "u1", "deactivate")).status).toBe(204);
    expect(sim.user("u1")?.status).toBe("active");
    expect(sim.stats()).toMatchObject({ unapplied: 2, statusChangesApplied: 1 });
    const bad = await call(`${sim.url}/_sim/faults`, { method: "POST", body: '{"unappliedRate":2}' });
    expect(bad).toMatchObject({ status: 400, json: { message: expect.stringContaining("unappliedRate") } });
    expect(() => sim.setFaults({ unappliedRate: -1 })).toThrow(/unappliedRate/);
    await expect(startSimulator({ faults: { unappliedRate: 1.5 } })).rejects.toThrow(/unappliedRate/);
  });
});

describe("unappliedRate 0", () => {
  it("never leaves a change unmade, even with every other fault on", async () => {
    const { sim, token } = await start({
      users: members(60),
      lightRps: 1000,
      faults: { serverErrorRate: 0.2, dropRate: 0.1, lostResponseRate: 0.1, unappliedRate: 0 },
    });
    const answers = await Promise.all(
      members(60).map(async (user) => ({
        user,
        // A dropped or lost answer rejects; those users are not the point here.
        answer: await putStatus(sim, token, user.id, "deactivate").catch(() => undefined),
      })),
    );
    const ok = answers.filter(({ answer }) => answer?.status === 204);
    expect(ok.length).toBeGreaterThan(20);
    for (const { user } of ok) expect(sim.user(user.id)?.status).toBe("inactive");
    expect(sim.stats().unapplied).toBe(0);
  }, 20_000);

  it("is the default", async () => {
    const { sim, token } = await start({ users: members(20) });
    for (const user of members(20))
      expect((await putStatus(sim, token, user.id, "deactivate")).status).toBe(204);
    expect(sim.allUsers().filter((user) => user.status !== "inactive")).toEqual([]);
    expect(sim.stats()).toMatchObject({ unapplied: 0, statusChangesApplied: 20 });
  });
});

describe("a partial unappliedRate", () => {
  it("the users left unchanged are exactly the ones counted, and all were answered 204", async () => {
    const { sim, token } = await start({
      users: members(80),
      lightRps: 1000,
      faults: { unappliedRate: 0.4 },
    });
    for (const user of members(80))
      expect((await putStatus(sim, token, user.id, "deactivate")).status).toBe(204);
    const unchanged = sim.allUsers().filter((user) => user.status === "active");
    expect(unchanged.length).toBeGreaterThan(15);
    expect(unchanged.length).toBeLessThan(50);
    expect(sim.stats()).toMatchObject({
      unapplied: unchanged.length,
      statusChangesApplied: 80 - unchanged.length,
    });
    const notApplied = sim
      .stats()
      .log.filter((entry) => entry.route === "put_status" && entry.applied === false);
    expect(notApplied.map((entry) => entry.user).sort()).toEqual(unchanged.map((user) => user.id).sort());
  }, 20_000);
});

describe("unappliedUsers", () => {
  it("at start: by email in any case, whichever way the request names the user; others are unaffected", async () => {
    const { sim, token } = await start({ users: USERS, unappliedUsers: ["LEAVER@Example.com", "u-heir"] });
    expect((await putStatus(sim, token, "u-leaver", "deactivate")).status).toBe(204);
    expect((await updateUser(sim, token, "leaver@EXAMPLE.com", { type: 4 })).status).toBe(204);
    expect((await putStatus(sim, token, "heir@example.com", "deactivate")).status).toBe(204);
    expect((await putStatus(sim, token, "u-other", "deactivate")).status).toBe(204);

    expect((await getUser(sim, token, "u-leaver")).json).toMatchObject({ status: "active", type: 2 });
    expect((await getUser(sim, token, "u-heir")).json).toMatchObject({ status: "active" });
    expect((await getUser(sim, token, "u-other")).json).toMatchObject({ status: "inactive", type: 1 });
    expect(sim.stats()).toMatchObject({ unapplied: 3, statusChangesApplied: 1, typeChanges: [] });
  });

  it("ids match case-sensitively, as Zoom ids are", async () => {
    const { sim, token } = await start({ users: USERS, unappliedUsers: ["U-OTHER"] });
    expect((await putStatus(sim, token, "u-other", "deactivate")).status).toBe(204);
    expect(sim.user("u-other")?.status).toBe("inactive");
    expect(sim.stats().unapplied).toBe(0);
  });

  it("through the control route: set, replaced and cleared; a bad body changes nothing", async () => {
    const { sim, token } = await start({ users: members(4) });
    const post = (body: string) => call(`${sim.url}/_sim/faults`, { method: "POST", body });

    expect((await post('{"unappliedUsers":["m0@example.com","u1"]}')).status).toBe(204);
    expect((await putStatus(sim, token, "u0", "deactivate")).status).toBe(204);
    expect((await signOut(sim, token, "m1@example.com")).status).toBe(204);
    expect((await deleteUser(sim, token, "u1")).status).toBe(204);
    expect(sim.user("u0")?.status).toBe("active");
    expect(sim.user("u1")).toBeDefined();
    expect(sim.stats()).toMatchObject({ unapplied: 3, signOuts: 0, removals: [] });

    // A new list replaces the old one.
    expect((await post('{"unappliedUsers":["u2"]}')).status).toBe(204);
    expect((await putStatus(sim, token, "u0", "deactivate")).status).toBe(204);
    expect((await putStatus(sim, token, "u2", "deactivate")).status).toBe(204);
    expect(sim.user("u0")?.status).toBe("inactive");
    expect(sim.user("u2")?.status).toBe("active");

    for (const body of ['{"unappliedUsers":"u3"}', '{"unappliedUsers":[""]}', '{"unappliedUsers":[3]}']) {
      const answer = await post(body);
      expect(answer).toMatchObject({
        status: 400,
        json: { message: expect.stringContaining("unappliedUsers") },
      });
    }
    // Checked before anything is set: neither the rate nor the list of this refused body takes effect.
    expect((await post('{"serverErrorRate":1,"unappliedUsers":[null]}')).status).toBe(400);
    expect((await post('{"unappliedRate":7,"unappliedUsers":["u3"]}')).status).toBe(400);
    expect((await putStatus(sim, token, "u3", "deactivate")).status).toBe(204);
    expect(sim.user("u3")?.status).toBe("inactive");

    expect((await post('{"unappliedUsers":[]}')).status).toBe(204);
    expect((await putStatus(sim, token, "u2", "deactivate")).status).toBe(204);
    expect(sim.user("u2")?.status).toBe("inactive");
    expect(sim.stats().unapplied).toBe(4);
  });

  it("with a lost response: the answer is lost and the change is still not made", async () => {
    const { sim, token } = await start({
      users: members(1),
      unappliedUsers: ["u0"],
      faults: { lostResponseRate: 1 },
    });
    await expect(putStatus(sim, token, "u0", "deactivate")).rejects.toThrow();
    expect(sim.user("u0")?.status).toBe("active");
    expect(sim.stats()).toMatchObject({ unapplied: 1, statusChangesApplied: 0 });
  });

  it("are validated at start and by setUnappliedUsers", async () => {
    await expect(startSimulator({ unappliedUsers: "u0" as unknown as string[] })).rejects.toThrow(
      /unappliedUsers/,
    );
    const { sim } = await start({ users: members(1) });
    expect(() => sim.setUnappliedUsers([""])).toThrow(/unappliedUsers/);
  });

  it("are counted in the stats until reset", async () => {
    const { sim, token } = await start({ users: members(1), unappliedUsers: ["u0"] });
    await putStatus(sim, token, "u0", "deactivate");
    expect((await call(`${sim.url}/_sim/stats?log=0`)).json).toMatchObject({ unapplied: 1 });
    sim.resetStats();
    expect(sim.stats().unapplied).toBe(0);
  });
});
