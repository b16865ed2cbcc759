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

describe("undoInputText", () => {
  it("reverses exactly the applied rows, each on its report line, with quoting kept", () => {
    const { text, rows } = undoInputText([
      row(2, "a@x.com", "deactivate", "applied"),
      row(3, "b@x.com", "deactivate", "rejected"),
      row(4, "c@x.com", "activate", "applied"),
      row(6, "d,e@x.com", "deactivate", "applied"),
      row(7, "f@x.com", "deactivate", "not_found"),
    ]);
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
    expect(undoInputText([row(2, "a@x.com", "deactivate", "failed")]).rows).toBe(0);
  });
});
