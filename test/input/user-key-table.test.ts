import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { hashKeyString, hashUser, userKey } from "../../src/domain/users.js";
import { UserKeyTable } from "../../src/input/user-key-table.js";

describe("hashUser", () => {
  const hashOf = (user: string) => {
    const out = new Uint32Array(2);
    hashUser(user, out);
    return [out[0], out[1]];
  };

  it("equals the hash of userKey(user) for any string (the fast path builds no key string)", () => {
    const user = fc.oneof(
      fc.string(),
      fc.string({ unit: "grapheme" }),
      fc.tuple(fc.string({ unit: "grapheme" }), fc.string()).map(([local, domain]) => `${local}@${domain}`),
      fc.constantFrom("\u212A@x.io", "İ@x.io", "ZOË@X.DE", "K@x.io", "AbC", "abc"),
    );
    fc.assert(
      fc.property(user, (value) => {
        expect(hashOf(value)).toEqual(hashKeyString(userKey(value)));
      }),
      { numRuns: 2000 },
    );
  });

  it.each([
    ["emails ignore case", "Jane@Acme.Example", "jane@acme.example", true],
    ["Kelvin sign lower-cases to k, as toLowerCase does", "\u212A@x.io", "k@x.io", true],
    ["IDs keep case", "AbC", "abc", false],
    ["an ID is not an email", "abc", "abc@x.io", false],
  ])("%s", (_name, a, b, same) => {
    expect(hashOf(a)).toEqual(hashOf(a));
    expect(hashOf(a).join() === hashOf(b).join()).toBe(same);
  });
});

describe("UserKeyTable", () => {
  const sole = { kind: "send", after: [], sequenced: false };

  it("first row sends, same action again is a duplicate, the other action makes every row a conflict", () => {
    const table = new UserKeyTable();
    table.add("a@x.io", "deactivate", 2);
    table.add("b@x.io", "deactivate", 3);
    table.add("A@X.IO", "deactivate", 4);
    table.finish();
    expect([table.sendRows, table.duplicateRows, table.conflictRows]).toEqual([2, 1, 0]);
    expect(table.roleOf("A@x.io", "deactivate", 2)).toEqual({ kind: "send", after: [], sequenced: true });
    expect(table.roleOf("a@x.io", "deactivate", 4)).toEqual({ kind: "duplicate", firstLine: 2 });
    expect(table.roleOf("b@x.io", "deactivate", 3)).toEqual(sole);
    expect(table.roleOf("b@x.io", "activate", 3)).toBeUndefined();
    expect(table.roleOf("c@x.io", "deactivate", 2)).toBeUndefined(); // never added

    const conflicted = new UserKeyTable();
    conflicted.add("a@x.io", "deactivate", 2);
    conflicted.add("b@x.io", "deactivate", 3);
    conflicted.add("a@x.io", "activate", 7);
    conflicted.add("a@x.io", "deactivate", 9);
    conflicted.finish();
    const reason = "user has both actions: activate at line 7, deactivate at line 2";
    for (const [action, line] of [
      ["deactivate", 2],
      ["activate", 7],
      ["deactivate", 9],
    ] as const) {
      expect(conflicted.roleOf("a@X.io", action, line)).toEqual({ kind: "conflict", reason });
    }
    expect([conflicted.sendRows, conflicted.duplicateRows, conflicted.conflictRows]).toEqual([1, 0, 3]);
    expect([conflicted.sends.activate, conflicted.sends.deactivate, conflicted.validRows]).toEqual([0, 1, 4]);
  });

  it("a leaver's steps in one file: each sent once, in lifecycle order whatever the order of the lines", () => {
    const table = new UserKeyTable();
    table.add("a@x.io", "delete", 2);
    table.add("a@x.io", "signout", 3);
    table.add("a@x.io", "deactivate", 4);
    table.add("a@x.io", "signout", 5);
    table.finish();
    expect(table.roleOf("a@x.io", "signout", 3)).toEqual({ kind: "send", after: [], sequenced: true });
    expect(table.roleOf("a@x.io", "deactivate", 4)).toEqual({ kind: "send", after: [3], sequenced: true });
    expect(table.roleOf("a@x.io", "delete", 2)).toEqual({ kind: "send", after: [3, 4], sequenced: true });
    expect(table.roleOf("a@x.io", "signout", 5)).toEqual({ kind: "duplicate", firstLine: 3 });
    expect(table.sends).toMatchObject({ signout: 1, deactivate: 1, delete: 1 });
    expect(table.removes("a@x.io")).toBe(true);
  });

  it.each([
    ["activate", "delete"],
    ["activate", "disassociate"],
    ["delete", "disassociate"],
    ["downgrade", "license"],
  ] as const)("%s with %s for one user is a conflict, every row of the user", (a, b) => {
    const table = new UserKeyTable();
    table.add("a@x.io", "signout", 2);
    table.add("a@x.io", a, 3);
    table.add("a@x.io", b, 4);
    table.finish();
    expect(table.roleOf("a@x.io", "signout", 2)).toMatchObject({ kind: "conflict" });
    expect(table.roleOf("a@x.io", b, 4)).toMatchObject({ kind: "conflict" });
    expect(table.conflictRows).toBe(3);
    expect(table.removes("a@x.io")).toBe(false);
  });

  it("grows and agrees with a Map-based model on random files", () => {
    const row = fc.record({
      user: fc.constantFrom("a", "A", "b", "a@x.io", "A@X.IO", "c@y.io", "id-1", "id_2"),
      deactivate: fc.boolean(),
    });
    fc.assert(
      fc.property(fc.array(row, { maxLength: 60 }), (rows) => {
        const table = new UserKeyTable(16);
        const model = new Map<string, { firstLine: number; lines: Map<boolean, number>; rows: number }>();
        rows.forEach(({ user, deactivate }, index) => {
          const line = index + 2;
          table.add(user, deactivate ? "deactivate" : "activate", line);
          const key = userKey(user);
          const entry = model.get(key) ?? { firstLine: line, lines: new Map(), rows: 0 };
          if (!entry.lines.has(deactivate)) entry.lines.set(deactivate, line);
          entry.rows++;
          model.set(key, entry);
        });
        table.finish();
        const entries = [...model.values()];
        const conflicted = entries.filter((entry) => entry.lines.size === 2);
        const conflictRows = conflicted.reduce((sum, entry) => sum + entry.rows, 0);
        expect(table.size).toBe(model.size);
        expect(table.conflictRows).toBe(conflictRows);
        expect(table.sendRows).toBe(model.size - conflicted.length);
        expect(table.duplicateRows).toBe(rows.length - conflictRows - (model.size - conflicted.length));
      }),
      { numRuns: 300 },
    );
  });

  it("keeps ~16 bytes per slot: 100k distinct users fit in 4 MiB", () => {
    const table = new UserKeyTable(16);
    for (let i = 0; i < 100_000; i++) table.add(`user${i}@x.io`, "deactivate", i + 2);
    expect(table.size).toBe(100_000);
    table.finish();
    expect(table.sendRows).toBe(100_000);
    expect(table.byteLength).toBeLessThanOrEqual(4 * 1024 * 1024);
    expect(table.roleOf("user99999@x.io", "deactivate", 100_001)).toEqual(sole);
  });

  it("forKeys: holds the expected number of keys without growing; a wild estimate is capped", () => {
    const table = UserKeyTable.forKeys(100_000);
    const bytes = table.byteLength;
    for (let i = 0; i < 100_000; i++) table.add(`user${i}@x.io`, "deactivate", i + 2);
    expect(table.byteLength).toBe(bytes);
    expect(table.byteLength).toBeLessThanOrEqual(4 * 1024 * 1024);
    expect(UserKeyTable.forKeys(0).byteLength).toBeLessThanOrEqual(1024);
    expect(UserKeyTable.forKeys(1e12).byteLength).toBe(32 * 1024 * 1024);
  });

  it("refuses lines it cannot store", () => {
    const table = new UserKeyTable();
    expect(() => table.add("a", "activate", 1)).toThrow(RangeError);
    expect(() => table.add("a", "activate", UserKeyTable.MAX_LINE + 1)).toThrow(RangeError);
  });
});
