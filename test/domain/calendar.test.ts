import { describe, expect, it } from "vitest";
import {
  formatInZone,
  howLongUntil,
  isTimeZone,
  machineTimeZone,
  parseMoment,
} from "../../src/domain/calendar.js";

const at = (text: string, zone = "UTC") => {
  const parsed = parseMoment(text, zone);
  return parsed.ok ? new Date(parsed.at).toISOString() : parsed.reason;
};

describe("parseMoment", () => {
  it.each([
    ["2026-12-31", "UTC", "2026-12-31T00:00:00.000Z"],
    ["2026-12-31", "Europe/Berlin", "2026-12-30T23:00:00.000Z"],
    ["2026-07-01", "Europe/Berlin", "2026-06-30T22:00:00.000Z"],
    ["2026-12-31", "America/New_York", "2026-12-31T05:00:00.000Z"],
    ["2026-12-31", "Asia/Kolkata", "2026-12-30T18:30:00.000Z"],
    ["2026-12-31T17:00", "America/New_York", "2026-12-31T22:00:00.000Z"],
    ["2026-12-31 17:00:30", "UTC", "2026-12-31T17:00:30.000Z"],
    ["2026-12-31T17:00:00-05:00", "Europe/Berlin", "2026-12-31T22:00:00.000Z"],
    ["2026-12-31T17:00:00+0530", "UTC", "2026-12-31T11:30:00.000Z"],
    ["2026-12-31T17:00:00.250Z", "Europe/Berlin", "2026-12-31T17:00:00.250Z"],
    ["2026-12-31t17:00:00z", "UTC", "2026-12-31T17:00:00.000Z"],
    [" 2026-12-31 ", "UTC", "2026-12-31T00:00:00.000Z"],
    ["2028-02-29", "UTC", "2028-02-29T00:00:00.000Z"],
  ])("%s in %s is %s", (text, zone, expected) => {
    expect(at(text, zone)).toBe(expected);
  });

  it("settles a wall-clock time across daylight-saving changes", () => {
    // 2026-03-29 02:30 does not exist in Berlin (clocks jump from 02:00 to 03:00): it lands just after the gap.
    expect(at("2026-03-29T02:30", "Europe/Berlin")).toBe("2026-03-29T01:30:00.000Z");
    expect(at("2026-03-29T03:30", "Europe/Berlin")).toBe("2026-03-29T01:30:00.000Z");
    expect(at("2026-03-29T01:30", "Europe/Berlin")).toBe("2026-03-29T00:30:00.000Z");
    // The day after the change starts an hour earlier in UTC than the day before it.
    expect(at("2026-03-30", "Europe/Berlin")).toBe("2026-03-29T22:00:00.000Z");
    expect(at("2026-10-26", "Europe/Berlin")).toBe("2026-10-25T23:00:00.000Z");
  });

  it.each([
    ["31/12/2026", /not a date/],
    ["2026-12-31T25:00", /no such time/],
    ["2026-13-01", /no such day/],
    ["2026-02-29", /no such day: 2026-02-29/],
    ["2026-04-31", /no such day/],
    ["2026-12-31T10:00:00+19:00", /no such UTC offset/],
    ["tomorrow", /not a date/],
    ["", /not a date/],
    ["2026-12-31T10", /not a date/],
  ])("refuses %j", (text, reason) => {
    const parsed = parseMoment(text, "UTC");
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.reason).toMatch(reason);
  });
});

describe("zones", () => {
  it("knows real zones and refuses misspelt ones", () => {
    expect(isTimeZone("Europe/Berlin")).toBe(true);
    expect(isTimeZone("UTC")).toBe(true);
    expect(isTimeZone("Europe/Berln")).toBe(false);
    expect(isTimeZone("")).toBe(false);
    expect(isTimeZone(machineTimeZone())).toBe(true);
  });

  it("shows a moment on the zone's clock", () => {
    const moment = Date.parse("2026-12-30T23:00:00Z");
    expect(formatInZone(moment, "Europe/Berlin")).toBe("2026-12-31 00:00");
    expect(formatInZone(moment, "UTC")).toBe("2026-12-30 23:00");
    expect(formatInZone(moment, "America/Los_Angeles")).toBe("2026-12-30 15:00");
  });

  it("says roughly how long until a moment", () => {
    const now = Date.parse("2026-12-01T00:00:00Z");
    expect(howLongUntil(now + 30_000, now)).toBe("in 1 minute");
    expect(howLongUntil(now + 90 * 60_000, now)).toBe("in 90 minutes");
    expect(howLongUntil(now + 5 * 3_600_000, now)).toBe("in 5 hours");
    expect(howLongUntil(now + 30 * 86_400_000, now)).toBe("in 30 days");
  });
});
