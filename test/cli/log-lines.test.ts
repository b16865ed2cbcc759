import { describe, expect, it } from "vitest";
import { terminalLine } from "../../src/cli/log-lines.js";

describe("terminal log lines", () => {
  it.each([
    [
      {
        msg: "input checked",
        rows: 40,
        toDeactivate: 36,
        toActivate: 1,
        invalid: 2,
        duplicate: 1,
        conflict: 0,
      },
      "input checked: 40 rows, 36 to deactivate, 1 to activate; 2 invalid, 1 duplicate",
    ],
    [
      {
        msg: "input checked",
        rows: 3,
        toDeactivate: 3,
        toActivate: 0,
        invalid: 0,
        duplicate: 0,
        conflict: 0,
      },
      "input checked: 3 rows, 3 to deactivate, 0 to activate",
    ],
    [
      {
        msg: "pacing Light requests",
        tier: "business",
        rpsLimit: 80,
        pacedRps: 78.05,
        sharedThroughRedis: true,
      },
      "pacing Light requests at 78.05/s (business plan, limit 80/s, shared through Redis)",
    ],
    [{ msg: "look-up strategy", lookup: "directory" }, "looking users up in the directory (Medium budget)"],
    [{ msg: "look-up strategy", lookup: "per-user" }, "looking users up one by one (Light budget)"],
    [{ msg: "look-up strategy", lookup: "none" }, "no look-ups: Zoom's answers decide"],
    [
      { msg: "directory read", users: 37, requests: 3, tableBytes: 24576 },
      "directory read: 37 users in 3 requests",
    ],
    [{ msg: "changes planned", deactivate: 32, activate: 1 }, "planned: 32 to deactivate, 1 to activate"],
    [
      {
        msg: "Light pace changed",
        fromRps: 30,
        toRps: 17,
        reason: "rate limited by another app on the account",
      },
      "Light pace 30/s → 17/s: rate limited by another app on the account",
    ],
    [{ msg: "something new", detail: 1 }, "something new"],
    [{ msg: "input checked" }, "input checked: ? rows, ? to deactivate, ? to activate"],
  ])("%o reads %j", (log, line) => {
    expect(terminalLine(log)).toBe(line);
  });
});
