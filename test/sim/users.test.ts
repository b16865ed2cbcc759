import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { SimUser } from "../../src/sim/types.js";
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

  it("the demo directory fixture parses", async () => {
    const users = await loadSimUsers("fixtures/demo-directory.csv");
    expect(users).toHaveLength(36);
    expect(users.filter((u) => u.role === "member" && u.status === "active")).toHaveLength(31);
    expect(users.find((u) => u.email === "events.host@acme.example")?.upcomingEvents).toBe(true);
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
      });
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
    (copy as SimUser).status = "inactive";
    expect(store.find("AbC")?.status).toBe("active");
  });
});
