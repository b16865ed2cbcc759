import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { SimUser } from "../../src/sim/server.js";
import { generateSimUsers, loadSimUsers, parseSimUsersCsv, UserStore } from "../../src/sim/users.js";
import { tempDir } from "../helpers/cleanup.js";

describe("parseSimUsersCsv", () => {
  it.each([
    {
      name: "basic rows",
      text: "id,email,status,role\nu1,a@x.com,active,member\nu2,b@x.com,inactive,admin\n",
      users: [
        { id: "u1", email: "a@x.com", status: "active", role: "member" },
        { id: "u2", email: "b@x.com", status: "inactive", role: "admin" },
      ],
    },
    {
      name: "BOM, CRLF, blank lines, header case and order, upcoming_events",
      text: "\ufeffEmail,ID,Role,Status,Upcoming_Events\r\n\r\nA@X.com,u1,Member,Active,true\r\nb@x.com,u2,room,pending,\r\n",
      users: [
        { id: "u1", email: "A@X.com", status: "active", role: "member", upcomingEvents: true },
        { id: "u2", email: "b@x.com", status: "pending", role: "room" },
      ],
    },
    { name: "header only", text: "id,email,status,role\n", users: [] },
    {
      name: "type, data counts and flags, empty cells meaning the defaults",
      text:
        "id,email,status,role,type,meetings,webinars,recordings,whiteboards,docs,managed_domain,call_queue_manager,invitation_expired,delete_refused\n" +
        "u1,a@x.com,active,member,2,3,0,12,1,,yes,,,\n" +
        "u2,b@x.com,pending,member,,,,,,,,false,true,\n" +
        "u3,c@x.com,inactive,member,1,,,,,7,,1,,TRUE\n",
      users: [
        {
          id: "u1",
          email: "a@x.com",
          status: "active",
          role: "member",
          type: 2,
          data: { meetings: 3, webinars: 0, recordings: 12, whiteboards: 1 },
          managedDomain: true,
        },
        { id: "u2", email: "b@x.com", status: "pending", role: "member", invitationExpired: true },
        {
          id: "u3",
          email: "c@x.com",
          status: "inactive",
          role: "member",
          type: 1,
          data: { docs: 7 },
          callQueueManager: true,
          deleteRefused: true,
        },
      ],
    },
  ])("$name", ({ text, users }) => {
    expect(parseSimUsersCsv(text, "dir.csv")).toEqual(users);
  });

  it.each([
    { name: "empty file", text: "", error: /^dir\.csv: empty file/ },
    { name: "missing column", text: "id,email,status\nu1,a@x.com,active\n", error: /^dir\.csv:1: .*`role`/ },
    {
      name: "bad status",
      text: "id,email,status,role\nu1,a@x.com,gone,member\n",
      error: /^dir\.csv:2: status `gone`/,
    },
    {
      name: "bad role",
      text: "id,email,status,role\n\nu1,a@x.com,active,boss\n",
      error: /^dir\.csv:3: role `boss`/,
    },
    { name: "bad email", text: "id,email,status,role\nu1,nope,active,member\n", error: /^dir\.csv:2: email/ },
    { name: "bad id", text: "id,email,status,role\nu/1,a@x.com,active,member\n", error: /^dir\.csv:2: id/ },
    {
      name: "bad upcoming_events",
      text: "id,email,status,role,upcoming_events\nu1,a@x.com,active,member,maybe\n",
      error: /^dir\.csv:2: upcoming_events/,
    },
    {
      name: "bad type",
      text: "id,email,status,role,type\nu1,a@x.com,active,member,3\n",
      error: /^dir\.csv:2: type `3` is not 1 \(Basic\), 2 \(Licensed\) or 4/,
    },
    {
      name: "type as a word",
      text: "id,email,status,role,type\nu1,a@x.com,active,member,licensed\n",
      error: /^dir\.csv:2: type `licensed`/,
    },
    {
      name: "negative count",
      text: "id,email,status,role,meetings\nu1,a@x.com,active,member,-1\n",
      error: /^dir\.csv:2: meetings `-1` is not a whole number >= 0/,
    },
    {
      name: "fractional count on a later line",
      text: "id,email,status,role,recordings\nu1,a@x.com,active,member,1\nu2,b@x.com,active,member,2.5\n",
      error: /^dir\.csv:3: recordings `2\.5`/,
    },
    {
      name: "bad flag",
      text: "id,email,status,role,managed_domain\nu1,a@x.com,active,member,sometimes\n",
      error: /^dir\.csv:2: managed_domain `sometimes` is not true or false/,
    },
    {
      name: "duplicate id",
      text: "id,email,status,role\nu1,a@x.com,active,member\nu1,b@x.com,active,member\n",
      error: /^dir\.csv:3: id `u1` already used on line 2/,
    },
    {
      name: "duplicate email in another case",
      text: "id,email,status,role\nu1,a@x.com,active,member\nu2,A@X.COM,active,member\n",
      error: /^dir\.csv:3: email .* line 2/,
    },
    {
      name: "unclosed quote",
      text: 'id,email,status,role\nu1,"a@x.com,active,member\n',
      error: /^dir\.csv:\d+: not readable/,
    },
  ])("$name → clear error", ({ text, error }) => {
    expect(() => parseSimUsersCsv(text, "dir.csv")).toThrow(error);
  });

  it("loadSimUsers names the file in errors", async () => {
    const dir = tempDir("sim-users-");
    const path = join(dir, "bad.csv");
    await writeFile(path, "id,email,status,role\nu1,a@x.com,active,nobody\n");
    await expect(loadSimUsers(path)).rejects.toThrow(`${path}:2: role`);
  });

  it("an old file gets the defaults once in the store: Licensed, Basic when deactivated, no data", () => {
    const users = parseSimUsersCsv(
      "id,email,status,role\nu1,a@x.com,active,member\nu2,b@x.com,inactive,admin\n",
      "d",
    );
    const store = new UserStore(users);
    expect(store.find("u1")).toMatchObject({ type: 2, data: { meetings: 0, recordings: 0, visitors: 0 } });
    expect(store.find("u2")?.type).toBe(1);
  });

  it("the demo directory fixture parses", async () => {
    const users = await loadSimUsers("fixtures/demo-directory.csv");
    expect(users).toHaveLength(36);
    expect(users.filter((u) => u.role === "member" && u.status === "active")).toHaveLength(31);
    expect(users.find((u) => u.email === "events.host@acme.example")?.upcomingEvents).toBe(true);
    expect(users.find((u) => u.email === "person05@acme.example")).toMatchObject({
      type: 2,
      data: { meetings: 1, webinars: 1, recordings: 2, whiteboards: 1 },
    });
  });
});

describe("generateSimUsers", () => {
  it("is deterministic per seed and shaped like Zoom ids", () => {
    const a = generateSimUsers(3, 9);
    expect(generateSimUsers(3, 9)).toEqual(a);
    expect(generateSimUsers(3, 10)).not.toEqual(a);
    expect(a.map((u) => u.email)).toEqual(["user1@example.com", "user2@example.com", "user3@example.com"]);
    for (const user of a)
      expect(user).toMatchObject({
        id: expect.stringMatching(/^[A-Za-z0-9_-]{22}$/),
        status: "active",
        role: "member",
        type: 2,
      });
  });

  it("gives members small seeded counts without changing the ids of a seed", () => {
    const users = generateSimUsers(50, 3);
    const counts = users.flatMap((user) => Object.values(user.data ?? {}));
    expect(counts).toHaveLength(50 * 8);
    expect(Math.min(...counts)).toBe(0);
    expect(Math.max(...counts)).toBe(3);
    // The ids come from their own stream: more users, or counts, never shift the first ones.
    expect(
      generateSimUsers(60, 3)
        .slice(0, 50)
        .map((u) => u.id),
    ).toEqual(users.map((u) => u.id));
  });
});

describe("UserStore", () => {
  const store = new UserStore([
    { id: "AbC", email: "Mixed.Case@Example.com", status: "active", role: "member" },
    { id: "p1", email: "p@example.com", status: "pending", role: "member" },
  ]);

  it.each([
    { key: "AbC", id: "AbC" },
    { key: "abc", id: undefined },
    { key: "mixed.case@example.com", id: "AbC" },
    { key: "MIXED.CASE@EXAMPLE.COM", id: "AbC" },
    { key: "p@example.com", id: "p1" },
    { key: "nobody@example.com", id: undefined },
  ])("find($key) → $id", ({ key, id }) => {
    expect(store.find(key)?.id).toBe(id);
  });

  it("refuses duplicates and hands out copies", () => {
    expect(
      () =>
        new UserStore([
          ...store.all(),
          { id: "x", email: "p@EXAMPLE.com", status: "active", role: "member" },
        ]),
    ).toThrow(/Duplicate/);
    const [copy] = store.all();
    expect(copy).toMatchObject({ id: "AbC", status: "active" });
    if (copy === undefined) return;
    copy.status = "inactive";
    copy.data.meetings = 9;
    expect(store.find("AbC")).toMatchObject({ status: "active", data: { meetings: 0 } });
  });

  it("removes a user: gone by id, by email and from the lists", () => {
    const local = new UserStore(store.all());
    const user = local.find("AbC");
    expect(user).toBeDefined();
    if (user !== undefined) local.remove(user);
    expect(local.find("AbC")).toBeUndefined();
    expect(local.find("mixed.case@example.com")).toBeUndefined();
    expect(local.all().map((u) => u.id)).toEqual(["p1"]);
    expect(local.withStatus("active")).toEqual([]);
    expect(store.find("AbC")).toBeDefined();
  });

  it.each([
    { user: { type: 3 }, error: /type must be 1, 2 or 4/ },
    { user: { data: { meetings: -1 } }, error: /`meetings` to be an integer >= 0/ },
    { user: { data: { meeting: 1 } }, error: /unknown data kind `meeting`/ },
  ])("refuses a seed user with $user", ({ user, error }) => {
    const base = { id: "x", email: "x@example.com", status: "active", role: "member" } as const;
    expect(() => new UserStore([{ ...base, ...user } as SimUser])).toThrow(error);
  });
});
