import { describe, expect, it } from "vitest";
import type { Action } from "../../src/domain/actions.js";
import type { UserSnapshot } from "../../src/domain/plan.js";
import { driftOf, snapshotOf, typeName } from "../../src/lookup/drift.js";
import type { UserRole, UserState, UserStatus } from "../../src/lookup/user-state.js";
import { verdictFor } from "../../src/lookup/verify-applied.js";

const found = (status: UserStatus, role: UserRole = "member", type: number | null = 2): UserState => ({
  kind: "found",
  status,
  role,
  type: type ?? undefined,
  protectedByList: false,
});
const notFound: UserState = { kind: "not_found", message: "User does not exist" };
const unknown: UserState = { kind: "unknown", message: "timed out" };
const planned: UserSnapshot = { status: "active", role: "member", type: 2 };

describe("driftOf", () => {
  it("sees no drift when nothing changed", () => {
    expect(driftOf("a@x.com", planned, found("active"), true)).toBeUndefined();
    expect(driftOf("a@x.com", planned, found("active"), false)).toBeUndefined();
  });

  it("says a user could not be looked up again, with the reason when known", () => {
    expect(driftOf("a@x.com", planned, undefined, false)).toBe("a@x.com could not be looked up again");
    expect(driftOf("a@x.com", planned, unknown, true)).toBe(
      "a@x.com could not be looked up again (timed out)",
    );
  });

  it("says a user is gone", () => {
    expect(driftOf("a@x.com", planned, notFound, false)).toBe("a@x.com is no longer in the account");
  });

  it("names a status change", () => {
    expect(driftOf("a@x.com", planned, found("inactive"), false)).toBe("a@x.com is now inactive, was active");
  });

  it("names a role change in words", () => {
    expect(driftOf("a@x.com", planned, found("active", "admin"), false)).toBe(
      "a@x.com is now an admin, was a member",
    );
    expect(driftOf("a@x.com", planned, found("active", "owner"), false)).toBe(
      "a@x.com is now an owner, was a member",
    );
    expect(driftOf("a@x.com", { ...planned, role: "room" }, found("active"), false)).toBe(
      "a@x.com is now a member, was a Zoom Room",
    );
    expect(driftOf("a@x.com", planned, found("active", "room"), false)).toBe(
      "a@x.com is now a Zoom Room, was a member",
    );
  });

  it("joins several changes", () => {
    expect(driftOf("a@x.com", planned, found("pending", "admin", 1), true)).toBe(
      "a@x.com is now pending, was active; an admin, was a member; Basic, was Licensed",
    );
  });

  it("counts a type change only withType", () => {
    expect(driftOf("a@x.com", planned, found("active", "member", 1), false)).toBeUndefined();
    expect(driftOf("a@x.com", planned, found("active", "member", 1), true)).toBe(
      "a@x.com is now Basic, was Licensed",
    );
    expect(driftOf("a@x.com", planned, found("active", "member", 4), true)).toBe(
      "a@x.com is now Unassigned, was Licensed",
    );
    expect(driftOf("a@x.com", planned, found("active", "member", 3), true)).toBe(
      "a@x.com is now type 3, was Licensed",
    );
  });

  it("does not count a type one side did not report", () => {
    expect(driftOf("a@x.com", planned, found("active", "member", null), true)).toBeUndefined();
    expect(
      driftOf("a@x.com", { ...planned, type: null }, found("active", "member", 1), true),
    ).toBeUndefined();
  });
});

describe("snapshotOf and typeName", () => {
  it("snapshots a found user, type null when unsaid", () => {
    expect(snapshotOf(found("inactive", "admin", null))).toEqual({
      status: "inactive",
      role: "admin",
      type: null,
    });
    expect(snapshotOf(found("active", "member", 1))).toEqual({ status: "active", role: "member", type: 1 });
    expect(snapshotOf(notFound)).toBeUndefined();
    expect(snapshotOf(unknown)).toBeUndefined();
    expect(snapshotOf(undefined)).toBeUndefined();
  });

  it("names types", () => {
    expect([1, 2, 4, 99].map(typeName)).toEqual(["Basic", "Licensed", "Unassigned", "type 99"]);
  });
});

describe("verdictFor", () => {
  const all: Action[] = [
    "signout",
    "downgrade",
    "license",
    "deactivate",
    "activate",
    "delete",
    "disassociate",
  ];

  it("cannot verify a sign-out, whatever Zoom shows", () => {
    for (const state of [undefined, notFound, unknown, found("active")]) {
      expect(verdictFor("signout", state)).toEqual({ kind: "unverifiable" });
    }
  });

  it("flags an unlisted or unknown user as not listed", () => {
    for (const action of all.filter((a) => a !== "signout")) {
      expect(verdictFor(action, undefined)).toEqual({ kind: "not_in_state", shows: "is not listed" });
      expect(verdictFor(action, unknown)).toEqual({ kind: "not_in_state", shows: "is not listed" });
    }
  });

  it("confirms a removal by absence, flags absence for the others", () => {
    expect(verdictFor("delete", notFound)).toEqual({ kind: "confirmed" });
    expect(verdictFor("disassociate", notFound)).toEqual({ kind: "confirmed" });
    for (const action of ["downgrade", "license", "deactivate", "activate"] as const) {
      expect(verdictFor(action, notFound)).toEqual({ kind: "not_in_state", shows: "is not in the account" });
    }
  });

  it("deactivate", () => {
    expect(verdictFor("deactivate", found("inactive"))).toEqual({ kind: "confirmed" });
    expect(verdictFor("deactivate", found("active"))).toEqual({
      kind: "not_in_state",
      shows: "shows active, Licensed",
    });
  });

  it("activate", () => {
    expect(verdictFor("activate", found("active"))).toEqual({ kind: "confirmed" });
    expect(verdictFor("activate", found("inactive", "member", null))).toEqual({
      kind: "not_in_state",
      shows: "shows inactive",
    });
  });

  it("downgrade", () => {
    expect(verdictFor("downgrade", found("active", "member", 1))).toEqual({ kind: "confirmed" });
    expect(verdictFor("downgrade", found("active", "member", 2))).toEqual({
      kind: "not_in_state",
      shows: "shows active, Licensed",
    });
    expect(verdictFor("downgrade", found("active", "member", null))).toEqual({
      kind: "not_in_state",
      shows: "shows active",
    });
  });

  it("license", () => {
    expect(verdictFor("license", found("inactive", "member", 2))).toEqual({ kind: "confirmed" });
    expect(verdictFor("license", found("active", "member", 1))).toEqual({
      kind: "not_in_state",
      shows: "shows active, Basic",
    });
  });

  it("delete and disassociate of a user still listed", () => {
    expect(verdictFor("delete", found("active"))).toEqual({
      kind: "not_in_state",
      shows: "is still in the account (active, Licensed)",
    });
    expect(verdictFor("disassociate", found("pending", "member", null))).toEqual({
      kind: "not_in_state",
      shows: "is still in the account (pending)",
    });
  });
});
