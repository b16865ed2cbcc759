import { describe, expect, it } from "vitest";
import { ACTIONS, type Action } from "../../src/domain/actions.js";
import type { UserRole, UserState, UserStatus } from "../../src/lookup/user-state.js";
import { verdictFor } from "../../src/lookup/verify-applied.js";

/** `type` null: the directory did not say. */
const found = (status: UserStatus, type: number | null = 2, role: UserRole = "member"): UserState => ({
  kind: "found",
  status,
  role,
  type: type ?? undefined,
  protectedByList: false,
});
const notFound: UserState = { kind: "not_found", message: "not in the account's directory" };
const unknown: UserState = { kind: "unknown", message: "directory read failed" };

const CONFIRMED = { kind: "confirmed" };
const shows = (words: string) => ({ kind: "not_in_state", shows: words });

describe("verdictFor", () => {
  it.each<[Action, UserStatus, number | null, ReturnType<typeof shows> | typeof CONFIRMED]>([
    ["deactivate", "inactive", 2, CONFIRMED],
    ["deactivate", "inactive", null, CONFIRMED],
    ["deactivate", "active", 2, shows("shows active, Licensed")],
    ["deactivate", "pending", null, shows("shows pending")],
    ["activate", "active", 1, CONFIRMED],
    ["activate", "inactive", 2, shows("shows inactive, Licensed")],
    ["activate", "inactive", null, shows("shows inactive")],
    ["activate", "pending", 4, shows("shows pending, Unassigned")],
    ["downgrade", "active", 1, CONFIRMED],
    ["downgrade", "inactive", 1, CONFIRMED],
    ["downgrade", "active", 2, shows("shows active, Licensed")],
    ["downgrade", "active", 4, shows("shows active, Unassigned")],
    // A type the directory did not say cannot confirm a downgrade.
    ["downgrade", "active", null, shows("shows active")],
    ["license", "active", 2, CONFIRMED],
    ["license", "inactive", 2, CONFIRMED],
    ["license", "active", 1, shows("shows active, Basic")],
    ["license", "active", 3, shows("shows active, type 3")],
    ["license", "active", null, shows("shows active")],
    ["delete", "active", 2, shows("is still in the account (active, Licensed)")],
    ["delete", "inactive", 1, shows("is still in the account (inactive, Basic)")],
    ["disassociate", "pending", null, shows("is still in the account (pending)")],
    ["disassociate", "active", 2, shows("is still in the account (active, Licensed)")],
  ])("%s, then the directory shows %s with type %s", (action, status, type, verdict) => {
    expect(verdictFor(action, found(status, type))).toEqual(verdict);
  });

  it("confirms a removal by the user's absence", () => {
    expect(verdictFor("delete", notFound)).toEqual(CONFIRMED);
    expect(verdictFor("disassociate", notFound)).toEqual(CONFIRMED);
  });

  it.each<Action>(["deactivate", "activate", "downgrade", "license"])(
    "contradicts %s of a user no longer in the account",
    (action) => {
      expect(verdictFor(action, notFound)).toEqual(shows("is not in the account"));
    },
  );

  it.each(ACTIONS.filter((action) => action !== "signout"))(
    "contradicts %s of a user the directory does not know (not listed, or unknown)",
    (action) => {
      expect(verdictFor(action, undefined)).toEqual(shows("is not listed"));
      expect(verdictFor(action, unknown)).toEqual(shows("is not listed"));
    },
  );

  it("cannot verify a sign-out, whatever the directory shows", () => {
    for (const state of [undefined, notFound, unknown, found("active"), found("inactive", 1)]) {
      expect(verdictFor("signout", state)).toEqual({ kind: "unverifiable" });
    }
  });

  it("does not look at the role: an admin deactivated is confirmed like anyone", () => {
    expect(verdictFor("deactivate", found("inactive", 2, "admin"))).toEqual(CONFIRMED);
    expect(verdictFor("activate", found("inactive", 2, "owner"))).toEqual(shows("shows inactive, Licensed"));
  });
});
