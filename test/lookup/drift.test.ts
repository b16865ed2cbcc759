import { describe, expect, it } from "vitest";
import type { UserSnapshot } from "../../src/domain/plan.js";
import { driftOf, snapshotOf, typeName } from "../../src/lookup/drift.js";
import type { UserRole, UserState, UserStatus } from "../../src/lookup/user-state.js";

const found = (
  status: UserStatus,
  role: UserRole = "member",
  /** null: Zoom did not say. */
  type: number | null = 2,
  protectedByList = false,
): UserState => ({ kind: "found", status, role, type: type ?? undefined, protectedByList });

/** An active Licensed member, as the plan saw them. */
const planned: UserSnapshot = { status: "active", role: "member", type: 2 };
const WHO = "bob@acme.example";

describe("driftOf", () => {
  it.each([true, false])("is undefined when nothing changed (withType %s)", (withType) => {
    expect(driftOf(WHO, planned, found("active", "member", 2), withType)).toBeUndefined();
    expect(
      driftOf(
        WHO,
        { status: "pending", role: "member", type: null },
        found("pending", "member", null),
        withType,
      ),
    ).toBeUndefined();
  });

  it("is undefined when only the protect-list mark or the answer's facts differ", () => {
    expect(driftOf(WHO, planned, found("active", "member", 2, true), true)).toBeUndefined();
    expect(driftOf(WHO, planned, { ...found("active"), facts: { httpStatus: 200 } }, true)).toBeUndefined();
  });

  it("says the user could not be looked up again: nothing known, or the look-up failed", () => {
    expect(driftOf(WHO, planned, undefined, false)).toBe(`${WHO} could not be looked up again`);
    expect(driftOf(WHO, planned, { kind: "unknown", message: "look-up failed after 5 attempts" }, true)).toBe(
      `${WHO} could not be looked up again (look-up failed after 5 attempts)`,
    );
  });

  it("says the user is no longer in the account", () => {
    expect(driftOf(WHO, planned, { kind: "not_found", message: "User does not exist: bob." }, false)).toBe(
      `${WHO} is no longer in the account`,
    );
  });

  it.each<[UserStatus, UserStatus, string]>([
    ["active", "inactive", "inactive, was active"],
    ["inactive", "active", "active, was inactive"],
    ["pending", "active", "active, was pending"],
    ["active", "pending", "pending, was active"],
  ])("names a status change %s → %s", (was, now, words) => {
    expect(driftOf(WHO, { ...planned, status: was }, found(now), false)).toBe(`${WHO} is now ${words}`);
  });

  it.each<[UserRole, UserRole, string]>([
    ["member", "admin", "an admin, was a member"],
    ["member", "owner", "an owner, was a member"],
    ["member", "room", "a Zoom Room, was a member"],
    ["admin", "member", "a member, was an admin"],
    ["room", "owner", "an owner, was a Zoom Room"],
    ["room", "member", "a member, was a Zoom Room"],
  ])("names a role change %s → %s in words", (was, now, words) => {
    expect(driftOf(WHO, { ...planned, role: was }, found("active", now), false)).toBe(
      `${WHO} is now ${words}`,
    );
  });

  it.each<[number, number, string]>([
    [2, 1, "Basic, was Licensed"],
    [1, 2, "Licensed, was Basic"],
    [2, 4, "Unassigned, was Licensed"],
    [1, 3, "type 3, was Basic"],
    [99, 1, "Basic, was type 99"],
  ])("with the type, names a type change %i → %i", (was, now, words) => {
    expect(driftOf(WHO, { ...planned, type: was }, found("active", "member", now), true)).toBe(
      `${WHO} is now ${words}`,
    );
  });

  it("without the type, a type change is not a change", () => {
    expect(driftOf(WHO, planned, found("active", "member", 1), false)).toBeUndefined();
  });

  it("a type not reported on one side is not a change", () => {
    expect(driftOf(WHO, planned, found("active", "member", null), true)).toBeUndefined();
    expect(driftOf(WHO, { ...planned, type: null }, found("active", "member", 1), true)).toBeUndefined();
    // A status change still counts when the type is not known.
    expect(driftOf(WHO, { ...planned, type: null }, found("inactive", "member", 1), true)).toBe(
      `${WHO} is now inactive, was active`,
    );
  });

  it("names every change, status then role then type, joined by semicolons", () => {
    expect(driftOf(WHO, planned, found("inactive", "admin", 1), true)).toBe(
      `${WHO} is now inactive, was active; an admin, was a member; Basic, was Licensed`,
    );
    expect(driftOf(WHO, planned, found("inactive", "admin", 1), false)).toBe(
      `${WHO} is now inactive, was active; an admin, was a member`,
    );
  });

  it("names whoever it is told to (a transfer target)", () => {
    expect(driftOf("the transfer target dave@acme.example", planned, found("inactive"), true)).toBe(
      "the transfer target dave@acme.example is now inactive, was active",
    );
  });
});

describe("snapshotOf", () => {
  it("keeps status, role and type of a found user, and nothing else", () => {
    expect(snapshotOf(found("inactive", "admin", 1, true))).toEqual({
      status: "inactive",
      role: "admin",
      type: 1,
    });
    expect(snapshotOf({ ...found("active", "member", 2), facts: { httpStatus: 200 } })).toEqual({
      status: "active",
      role: "member",
      type: 2,
    });
  });

  it("writes a type Zoom did not say as null (JSON has no undefined)", () => {
    const snapshot = snapshotOf(found("pending", "member", null));
    expect(snapshot).toEqual({ status: "pending", role: "member", type: null });
    expect(snapshot?.type).toBeNull();
  });

  it("is undefined for a user not found, not known, or never looked up", () => {
    expect(snapshotOf({ kind: "not_found", message: "User does not exist" })).toBeUndefined();
    expect(snapshotOf({ kind: "unknown", message: "timed out" })).toBeUndefined();
    expect(snapshotOf(undefined)).toBeUndefined();
  });

  it("gives no drift when held against the same state", () => {
    for (const state of [
      found("active", "member", 2),
      found("inactive", "admin", null),
      found("pending", "room", 4),
    ]) {
      expect(driftOf(WHO, snapshotOf(state) as UserSnapshot, state, true)).toBeUndefined();
    }
  });
});

describe("typeName", () => {
  it("names Zoom's user types, and any other by its number", () => {
    expect([1, 2, 3, 4, 99].map(typeName)).toEqual(["Basic", "Licensed", "type 3", "Unassigned", "type 99"]);
  });
});
