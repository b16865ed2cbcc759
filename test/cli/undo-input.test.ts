import { describe, expect, it } from "vitest";
import { undoInputText } from "../../src/cli/commands/undo-input.js";
import type { ReadReportRow } from "../../src/report/read-report.js";

const row = (
  fileLine: number,
  userId: string,
  action: string,
  outcome: ReadReportRow["outcome"],
): ReadReportRow => ({
  fileLine,
  line: fileLine + 10,
  userId,
  action,
  outcome,
  message: "",
  attempts: 1,
  finishedAt: new Date(0),
});

const NOW = new Date("2026-12-02T12:00:00Z");

describe("undoInputText", () => {
  it("reverses exactly the applied rows, each on its report line, with quoting kept", () => {
    const { text, rows } = undoInputText(
      [
        row(2, "a@x.com", "deactivate", "applied"),
        row(3, "b@x.com", "deactivate", "rejected"),
        row(4, "c@x.com", "activate", "applied"),
        row(6, "d,e@x.com", "deactivate", "applied"),
        row(7, "f@x.com", "deactivate", "not_found"),
      ],
      NOW,
    );
    expect(rows).toBe(3);
    expect(text.split("\n")).toEqual([
      "user_id,action",
      "a@x.com,activate",
      "",
      "c@x.com,deactivate",
      "",
      '"d,e@x.com",activate',
      "",
    ]);
  });

  it("has nothing to do for a report without applied rows", () => {
    expect(undoInputText([row(2, "a@x.com", "deactivate", "failed")], NOW).rows).toBe(0);
  });

  it("reverses a downgrade by licensing again, and says plainly of each change nothing can undo", () => {
    const { text, rows, irreversible } = undoInputText(
      [
        row(2, "a@x.com", "signout", "applied"),
        row(3, "a@x.com", "downgrade", "applied"),
        row(4, "b@x.com", "delete", "applied"),
        row(5, "c@x.com", "disassociate", "applied"),
        row(6, "d@x.com", "license", "applied"),
        row(7, "e@x.com", "delete", "rejected"),
      ],
      NOW,
    );
    expect(rows).toBe(2);
    expect(text.split("\n")).toEqual([
      "user_id,action",
      "",
      "a@x.com,license",
      "",
      "",
      "d@x.com,downgrade",
      "",
    ]);
    expect(irreversible.map((r) => [r.line, r.userId, r.action, r.outcome, r.attempts])).toEqual([
      [2, "a@x.com", "signout", "irreversible", 0],
      [4, "b@x.com", "delete", "irreversible", 0],
      [5, "c@x.com", "disassociate", "irreversible", 0],
    ]);
    expect(irreversible.map((r) => r.message)).toEqual([
      "signout cannot be undone (a session cannot be given back; the user signs in again): nothing was sent",
      "delete cannot be undone (a deleted user and their data are gone; a disassociated user has an account of their own): nothing was sent",
      "disassociate cannot be undone (a deleted user and their data are gone; a disassociated user has an account of their own): nothing was sent",
    ]);
  });
});
