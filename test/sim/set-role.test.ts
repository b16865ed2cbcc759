import { describe, expect, it } from "vitest";
import { UserStore } from "../../src/sim/users.js";

describe("the simulator's portal-side role change", () => {
  const store = () =>
    new UserStore([{ id: "u1", email: "Ann@Acme.example", status: "active", role: "member" }]);

  it("makes a member an admin, found by id or by email in any case, and back", () => {
    const users = store();
    users.setRole("ann@acme.example", "admin");
    expect(users.find("u1")?.role).toBe("admin");
    users.setRole("u1", "member");
    expect(users.find("ANN@acme.example")?.role).toBe("member");
  });

  it("refuses a user it does not have, and changes nobody", () => {
    const users = store();
    expect(() => users.setRole("nobody@acme.example", "admin")).toThrow(
      "No simulator user `nobody@acme.example`",
    );
    expect(users.all().map((user) => user.role)).toEqual(["member"]);
  });
});
