import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { type InputRecord, openInput } from "../../src/input/open-input.js";
import { applyInputText, approvedChanges } from "../../src/plan/plan-input.js";
import { tempDir } from "../helpers/cleanup.js";
import { change, sealedPlan } from "./plan-samples.js";

const HEADER = "user_id,action,transfer_to";

async function readBack(text: string): Promise<{ header: string[]; records: InputRecord[] }> {
  const path = join(tempDir("zo-plan-input-"), "plan-input.csv");
  writeFileSync(path, text);
  const input = await openInput(path);
  const records: InputRecord[] = [];
  for await (const record of input.records) records.push(record);
  return { header: input.layout.header, records };
}

describe("applyInputText", () => {
  it("puts each change on the line it had, with blank lines elsewhere", () => {
    const text = applyInputText(sealedPlan());
    expect(text).toBe(
      `${HEADER}\nbob@acme.example,deactivate,\n\ncarol@acme.example,delete,dave@acme.example\n`,
    );
    const lines = text.split("\n");
    expect(lines[1]).toBe("bob@acme.example,deactivate,");
    expect(lines[2]).toBe("");
    expect(lines[3]).toBe("carol@acme.example,delete,dave@acme.example");
  });

  it("orders the changes by line whatever their order in the plan", () => {
    const plan = sealedPlan({
      changes: [
        change(7, "g@acme.example", { action: "signout" }),
        change(2, "b@acme.example"),
        change(5, "e@acme.example", { action: "license" }),
      ],
    });
    expect(applyInputText(plan)).toBe(
      `${HEADER}\nb@acme.example,deactivate,\n\n\ne@acme.example,license,\n\ng@acme.example,signout,\n`,
    );
  });

  it("writes no blank line for consecutive lines, and only the header for a plan without changes", () => {
    const plan = sealedPlan({ changes: [change(2, "a@acme.example"), change(3, "b@acme.example")] });
    expect(applyInputText(plan)).toBe(`${HEADER}\na@acme.example,deactivate,\nb@acme.example,deactivate,\n`);
    expect(applyInputText(sealedPlan({ changes: [] }))).toBe(`${HEADER}\n`);
  });

  it("quotes the values CSV needs quoted, and only those", () => {
    const plan = sealedPlan({
      changes: [
        change(2, 'odd,"user"@acme.example', { action: "delete", transfer_to: "boss,jr@acme.example" }),
        change(3, "=cmd@acme.example"),
      ],
    });
    expect(applyInputText(plan)).toBe(
      `${HEADER}\n"odd,""user""@acme.example",delete,"boss,jr@acme.example"\n=cmd@acme.example,deactivate,\n`,
    );
  });

  it("writes the transfer target in the transfer_to column, empty for a change without one", () => {
    const [, first, , second] = applyInputText(sealedPlan()).split("\n");
    expect(first?.split(",")).toEqual(["bob@acme.example", "deactivate", ""]);
    expect(second?.split(",")).toEqual(["carol@acme.example", "delete", "dave@acme.example"]);
  });

  it("does not change the plan's order of changes", () => {
    const plan = sealedPlan({ changes: [change(4, "d@acme.example"), change(2, "b@acme.example")] });
    applyInputText(plan);
    expect(plan.changes.map((each) => each.line)).toEqual([4, 2]);
  });

  it("reads back through openInput with every change on its planned line", async () => {
    const plan = sealedPlan({
      changes: [
        change(2, "bob@acme.example"),
        change(4, "carol@acme.example", { action: "delete", transfer_to: "dave@acme.example" }),
        change(5, 'odd,"user"@acme.example', { action: "disassociate" }),
        change(9, "zed@acme.example", { action: "downgrade" }),
      ],
    });
    const { header, records } = await readBack(applyInputText(plan));
    expect(header).toEqual(["user_id", "action", "transfer_to"]);
    expect(records.map(({ line, user, action, transferTo }) => ({ line, user, action, transferTo }))).toEqual(
      [
        { line: 2, user: "bob@acme.example", action: "deactivate", transferTo: "" },
        { line: 4, user: "carol@acme.example", action: "delete", transferTo: "dave@acme.example" },
        { line: 5, user: 'odd,"user"@acme.example', action: "disassociate", transferTo: "" },
        { line: 9, user: "zed@acme.example", action: "downgrade", transferTo: "" },
      ],
    );
    // Each record read back is the change the plan holds for its line.
    const approved = approvedChanges(plan);
    for (const record of records) expect(approved.get(record.line)?.user).toBe(record.user);
  });
});

describe("approvedChanges", () => {
  it("gives the plan's change for each planned line, and nothing for any other line", () => {
    const plan = sealedPlan();
    const approved = approvedChanges(plan);
    expect(approved.get(2)).toBe(plan.changes[0]);
    expect(approved.get(4)).toBe(plan.changes[1]);
    expect(approved.get(4)).toMatchObject({
      user: "carol@acme.example",
      action: "delete",
      transfer_to: "dave@acme.example",
    });
    // Line 3 is a row the plan does not send; line 1 is the header.
    for (const line of [0, 1, 3, 5, 100]) expect(approved.get(line)).toBeUndefined();
  });

  it("is empty for a plan without changes", () => {
    expect(approvedChanges(sealedPlan({ changes: [] })).get(2)).toBeUndefined();
  });
});
