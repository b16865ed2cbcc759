import { describe, expect, it } from "vitest";
import { nextUtcMidnight, parseRetryAfter } from "../../src/zoom/retry-after.js";

const NOW = new Date("2026-11-30T18:00:00.000Z");

describe("parseRetryAfter", () => {
  it.each([
    { value: "3", expected: 3000, why: "delta-seconds" },
    { value: " 3 ", expected: 3000, why: "surrounding spaces" },
    { value: "0", expected: 0, why: "zero" },
    { value: "0.5", expected: 500, why: "fractional seconds" },
    { value: "1.25", expected: 1250, why: "fractional seconds, two digits" },
    { value: "-3", expected: 0, why: "negative seconds clamp to 0" },
    { value: "2026-12-01T00:00:00Z", expected: 6 * 3600_000, why: "Zoom's daily-limit ISO date" },
    { value: "2026-12-01T00:00:00.000Z", expected: 6 * 3600_000, why: "ISO with milliseconds" },
    { value: "2026-12-01T01:00:00+01:00", expected: 6 * 3600_000, why: "ISO with an offset" },
    { value: "2026-12-01T01:00:00+0100", expected: 6 * 3600_000, why: "ISO with an offset without a colon" },
    { value: "2026-12-01T00:00Z", expected: 6 * 3600_000, why: "ISO without seconds" },
    { value: "2026-12-01T00:00:00", expected: 6 * 3600_000, why: "ISO without a zone is UTC" },
    { value: "2026-12-01 00:00:00", expected: 6 * 3600_000, why: "ISO with a space, without a zone" },
    { value: "2026-12-01 00:00:00Z", expected: 6 * 3600_000, why: "ISO with a space and a zone" },
    { value: "2026-12-01", expected: 6 * 3600_000, why: "ISO date only" },
    { value: "Tue, 01 Dec 2026 00:00:00 GMT", expected: 6 * 3600_000, why: "IMF-fixdate" },
    { value: "Tuesday, 01-Dec-26 00:00:00 GMT", expected: 6 * 3600_000, why: "RFC 850 date" },
    { value: "Tue Dec  1 00:00:00 2026", expected: 6 * 3600_000, why: "asctime date (GMT)" },
    { value: "Fri Dec 11 00:00:00 2026", expected: (10 * 24 + 6) * 3600_000, why: "asctime, two-digit day" },
    { value: "2026-11-30T17:00:00Z", expected: 0, why: "a date in the past gives 0" },
  ])("$why: $value → $expected ms", ({ value, expected }) => {
    expect(parseRetryAfter(value, NOW)).toBe(expected);
  });

  it.each([
    { value: undefined },
    { value: "" },
    { value: "   " },
    { value: "soon" },
    { value: "3s" },
    { value: "1e3" },
    { value: "hello 2026" },
    { value: "2026-13-45T99:99:99Z" },
    { value: "Tue, 01 Dec 2026" },
  ])("garbage $value → undefined", ({ value }) => {
    expect(parseRetryAfter(value, NOW)).toBeUndefined();
  });

  // Date.parse reads every one of these, but none is one of the three forms: junk around a date is refused.
  it.each([
    { value: "+002026-12-01T00:00:00Z", why: "ISO with an expanded year" },
    { value: "2026-12-01(Tue)", why: "ISO with a comment after it" },
    { value: "x Tue, 01 Dec 2026 00:00:00 GMT", why: "IMF-fixdate after a word" },
    { value: "Tue, 01 Dec 2026 00:00:00 GMT+0100", why: "IMF-fixdate with an offset" },
    { value: "x Tuesday, 01-Dec-26 00:00:00 GMT", why: "RFC 850 date after a word" },
    { value: "Tuesday, 01-Dec-26 00:00:00 GMT+0100", why: "RFC 850 date with an offset" },
    { value: "x Tue Dec  1 00:00:00 2026", why: "asctime after a word" },
    { value: "Tue Dec  1 00:00:00 2026 +0100", why: "asctime with an offset" },
  ])("$why: $value → undefined", ({ value }) => {
    expect(Date.parse(value)).not.toBeNaN();
    expect(parseRetryAfter(value, NOW)).toBeUndefined();
  });
});

describe("nextUtcMidnight", () => {
  it.each([
    { now: "2026-11-30T18:00:00.000Z", expected: "2026-12-01T00:00:00.000Z" },
    { now: "2026-12-31T23:59:59.999Z", expected: "2027-01-01T00:00:00.000Z" },
    { now: "2026-06-15T00:00:00.000Z", expected: "2026-06-16T00:00:00.000Z" },
    { now: "2028-02-28T12:00:00.000Z", expected: "2028-02-29T00:00:00.000Z" },
  ])("$now → $expected", ({ now, expected }) => {
    expect(nextUtcMidnight(new Date(now)).toISOString()).toBe(expected);
  });
});
