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
  it("first row sends, same action again is a duplicate, the other action makes every row a conflict", () => {
    const table = new UserKeyTable();
    table.add("a@x.io", "deactivate", 2);
    table.add("b@x.io", "deactivate", 3);
    table.add("A@X.IO", "deactivate", 4);
    expect(table.lookup("a@x.io")).toEqual({ conflict: false, firstAction: "deactivate", firstLine: 2 });
    expect([table.sendKeys, table.duplicateRows, table.conflictRows]).toEqual([2, 1, 0]);
    expect(table.sends("A@x.io", "deactivate", 2)).toBe(true);
    expect(table.sends("a@x.io", "deactivate", 4)).toBe(false); // the duplicate
    expect(table.sends("a@x.io", "activate", 2)).toBe(false);
    expect(table.sends("c@x.io", "deactivate", 2)).toBe(false); // never added
    // Past the lines the table stores, the bits would alias the first-action flag of line 2's row.
    expect(table.sends("a@x.io", "activate", 2 + 0x40000000)).toBe(false);

    table.add("a@x.io", "activate", 7);
    table.add("a@x.io", "deactivate", 9);
    expect(table.lookup("a@X.io")).toEqual({
      conflict: true,
      firstAction: "deactivate",
      firstLine: 2,
      otherLine: 7,
    });
    expect([table.sendKeys, table.duplicateRows, table.conflictRows]).toEqual([1, 0, 4]);
    expect(table.sends("a@x.io", "deactivate", 2)).toBe(false); // a conflict now
    expect(table.sends("b@x.io", "deactivate", 3)).toBe(true);
    expect([table.sendActivate, table.sendDeactivate, table.validRows]).toEqual([0, 1, 5]);
    expect(table.lookup("c@x.io")).toBeUndefined();
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
        const entries = [...model.values()];
        const conflicted = entries.filter((entry) => entry.lines.size === 2);
        const conflictRows = conflicted.reduce((sum, entry) => sum + entry.rows, 0);
        expect(table.size).toBe(model.size);
        expect(table.conflictRows).toBe(conflictRows);
        expect(table.sendKeys).toBe(model.size - conflicted.length);
        expect(table.duplicateRows).toBe(rows.length - conflictRows - (model.size - conflicted.length));
      }),
      { numRuns: 300 },
    );
  });

  it("keeps ~16 bytes per slot: 100k distinct users fit in 4 MiB", () => {
    const table = new UserKeyTable(16);
    for (let i = 0; i < 100_000; i++) table.add(`user${i}@x.io`, "deactivate", i + 2);
    expect(table.size).toBe(100_000);
    expect(table.sendKeys).toBe(100_000);
    expect(table.byteLength).toBeLessThanOrEqual(4 * 1024 * 1024);
    expect(table.lookup("user99999@x.io")).toEqual({
      conflict: false,
      firstAction: "deactivate",
      firstLine: 100_001,
    });
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
