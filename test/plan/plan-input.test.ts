import { describe, expect, it } from "vitest";
import { applyInputText, approvedChanges } from "../../src/plan/plan-input.js";
import { change, plan } from "./plan-fixture.js";

describe("applyInputText", () => {
  it("places each change on its planned line, blank lines between", () => {
    const p = plan({
      changes: [
        change(6, "c@x.com", "signout"),
        change(2, "a@x.com", "deactivate"),
        change(3, "b@x.com", "delete", "boss@x.com"),
      ],
    });
    const text = applyInputText(p);
    expect(text).toBe(
      "user_id,action,transfer_to\na@x.com,deactivate,\nb@x.com,delete,boss@x.com\n\n\nc@x.com,signout,\n",
    );
    const lines = text.split("\n");
    expect(lines[1]).toBe("a@x.com,deactivate,");
    expect(lines[2]).toBe("b@x.com,delete,boss@x.com");
    expect(lines[5]).toBe("c@x.com,signout,");
  });

  it("quotes values CSV needs quoted", () => {
    const p = plan({ changes: [change(4, 'odd,"user"', "license")] });
    expect(applyInputText(p)).toBe('user_id,action,transfer_to\n\n\n"odd,""user""",license,\n');
  });

  it("is only the header for a plan without changes", () => {
    expect(applyInputText(plan({ changes: [] }))).toBe("user_id,action,transfer_to\n");
  });
});

describe("approvedChanges", () => {
  it("finds each change by its line, and nothing on other lines", () => {
    const p = plan();
    const approved = approvedChanges(p);
    expect(approved.get(2)).toBe(p.changes[0]);
    expect(approved.get(3)).toBe(p.changes[1]);
    expect(approved.get(3)?.transfer_to).toBe("boss@x.com");
    expect(approved.get(1)).toBeUndefined();
    expect(approved.get(4)).toBeUndefined();
  });
});
