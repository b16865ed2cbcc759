import { describe, expect, it } from "vitest";
import type { Action } from "../../src/domain/actions.js";
import { type RowRole, resolveUserRows, type UserRow } from "../../src/input/user-rows.js";

const DAY = 86_400_000;
const row = (line: number, action: Action, day = 0): UserRow => ({ line, action, dueAt: day * DAY });

/** Each line's role in words: "send after 2,3", "superseded by 5", "duplicate of 2", "conflict". */
function roles(rows: UserRow[]): Record<number, string> {
  const out: Record<number, string> = {};
  for (const [line, role] of resolveUserRows(rows)) out[line] = inWords(role);
  return out;
}

function inWords(role: RowRole): string {
  switch (role.kind) {
    case "send":
      return role.after.length === 0 ? "send" : `send after ${role.after.join(",")}`;
    case "superseded":
      return `superseded by ${role.by.line}`;
    case "duplicate":
      return `duplicate of ${role.firstLine}`;
    case "conflict":
      return "conflict";
  }
}

describe("resolveUserRows without dates", () => {
  it("runs a user's steps in lifecycle order whatever the order of the lines", () => {
    expect(roles([row(2, "delete"), row(3, "deactivate"), row(4, "signout")])).toEqual({
      2: "send after 3,4",
      3: "send after 4",
      4: "send",
    });
  });

  it("a contradiction makes every row a conflict; a repeat is a duplicate", () => {
    expect(roles([row(2, "activate"), row(3, "deactivate"), row(4, "signout")])).toEqual({
      2: "conflict",
      3: "conflict",
      4: "conflict",
    });
    expect(roles([row(2, "deactivate"), row(3, "deactivate")])).toEqual({ 2: "send", 3: "duplicate of 2" });
  });
});

describe("resolveUserRows with dates", () => {
  it("a leaver's lifecycle: on the removal's day the earlier steps are moot", () => {
    const lifecycle = [row(2, "signout", 1), row(3, "deactivate", 1), row(4, "delete", 31)];
    expect(roles(lifecycle)).toEqual({
      2: "superseded by 4",
      3: "superseded by 4",
      4: "send",
    });
    // Before the deletion is due (the caller leaves it out), the last day's steps run in order.
    expect(roles(lifecycle.slice(0, 2))).toEqual({ 2: "send", 3: "send after 2" });
  });

  it("a rehire: an activate dated after the deactivation overrides it and the sign-out", () => {
    expect(roles([row(5, "activate", 10), row(2, "signout", 1), row(3, "deactivate", 1)])).toEqual({
      2: "superseded by 5",
      3: "superseded by 5",
      5: "send",
    });
  });

  it("left, rehired, left again: the latest step decides", () => {
    expect(roles([row(2, "deactivate", 1), row(3, "activate", 10), row(4, "deactivate", 20)])).toEqual({
      2: "superseded by 3",
      3: "superseded by 4",
      4: "send",
    });
  });

  it("the first later row that overrides a row names it", () => {
    expect(roles([row(2, "downgrade", 1), row(3, "license", 5), row(4, "deactivate", 9)])).toEqual({
      2: "superseded by 3",
      3: "superseded by 4",
      4: "send",
    });
  });

  it("steps that do not override each other run in date order, not lifecycle order", () => {
    // A sign-out that HR dated after a downgrade goes after it.
    expect(roles([row(2, "signout", 5), row(3, "downgrade", 1)])).toEqual({ 2: "send after 3", 3: "send" });
  });

  it("contradicting rows on the same date are a conflict, those on different dates are not", () => {
    expect(roles([row(2, "activate", 3), row(3, "deactivate", 3)])).toEqual({ 2: "conflict", 3: "conflict" });
    expect(roles([row(2, "activate", 3), row(3, "deactivate", 4)])).toEqual({
      2: "superseded by 3",
      3: "send",
    });
    expect(roles([row(2, "delete", 3), row(3, "disassociate", 3), row(4, "signout", 1)])).toEqual({
      2: "conflict",
      3: "conflict",
      4: "superseded by 2",
    });
  });

  it("the same step on two dates: the later one stands; on one date, a duplicate", () => {
    expect(roles([row(2, "deactivate", 1), row(3, "deactivate", 8)])).toEqual({
      2: "superseded by 3",
      3: "send",
    });
    expect(roles([row(2, "deactivate", 8), row(3, "deactivate", 8)])).toEqual({
      2: "send",
      3: "duplicate of 2",
    });
  });

  it("stays linear for a user repeated many times", () => {
    const many = Array.from({ length: 50_000 }, (_, i) =>
      row(i + 2, i % 2 === 0 ? "signout" : "downgrade", i),
    );
    const result = resolveUserRows(many);
    expect(result.size).toBe(50_000);
    expect([...result.values()].filter((role) => role.kind === "send")).toHaveLength(2);
  });
});
