/**
 * Dates as HR exports write them, read in an IANA time zone with the platform's Intl data: `2026-12-31` is the start
 * of that day in the zone, `2026-12-31T17:00` a wall-clock time there, and `2026-12-31T17:00:00-05:00` (or `…Z`) an
 * exact moment whatever the zone. Pure.
 */

const DATE_TIME =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?\s*(Z|[+-]\d{2}:?\d{2})?)?$/i;

export type ParsedMoment = { ok: true; at: number } | { ok: false; reason: string };

/** The moment a cell names, in epoch milliseconds, or why it names none. */
export function parseMoment(text: string, timeZone: string): ParsedMoment {
  const match = DATE_TIME.exec(text.trim());
  if (match === null) {
    return { ok: false, reason: "not a date: write 2026-12-31, or 2026-12-31T17:00:00-05:00 for a moment" };
  }
  const [, y, mo, d, h = "0", mi = "0", s = "0", fraction = "0", offset] = match;
  const [year, month, day] = [Number(y), Number(mo), Number(d)];
  const [hour, minute, second] = [Number(h), Number(mi), Number(s)];
  if (month < 1 || month > 12 || day < 1 || day > daysIn(year, month)) {
    return { ok: false, reason: `no such day: ${y}-${mo}-${d}` };
  }
  if (hour > 23 || minute > 59 || second > 59) {
    return { ok: false, reason: `no such time: ${h}:${mi}:${s.padStart(2, "0")}` };
  }
  const millisecond = Number(fraction.slice(0, 3).padEnd(3, "0"));
  const wall = Date.UTC(year, month - 1, day, hour, minute, second, millisecond);
  if (offset === undefined) return { ok: true, at: wallClockToInstant(wall, timeZone) };
  if (offset.toUpperCase() === "Z") return { ok: true, at: wall };
  const digits = offset.replace(":", "");
  const offsetMinutes = Number(digits.slice(1, 3)) * 60 + Number(digits.slice(3, 5));
  if (offsetMinutes > 18 * 60 || Number(digits.slice(3, 5)) > 59) {
    return { ok: false, reason: `no such UTC offset: ${offset}` };
  }
  return { ok: true, at: wall - (digits.startsWith("-") ? -1 : 1) * offsetMinutes * 60_000 };
}

/** Whether the platform knows the zone (`Europe/Berlin`, `UTC`); a misspelt one would silently shift every date. */
export function isTimeZone(zone: string): boolean {
  try {
    formatter(zone);
    return true;
  } catch {
    return false;
  }
}

/** The machine's zone, as the TZ variable or the system sets it. */
export function machineTimeZone(): string {
  return new Intl.DateTimeFormat().resolvedOptions().timeZone;
}

/** `2026-12-31 00:00` as a clock in `zone` shows the moment. */
export function formatInZone(at: number, zone: string): string {
  const p = wallClock(at, zone);
  const two = (n: number) => String(n).padStart(2, "0");
  return `${p.year}-${two(p.month)}-${two(p.day)} ${two(p.hour)}:${two(p.minute)}`;
}

/** "in 3 days", "in 5 hours": how far off a moment is, roughly, for people. */
export function howLongUntil(at: number, now: number): string {
  const minutes = Math.max(1, Math.ceil((at - now) / 60_000));
  if (minutes < 120) return `in ${minutes} minute${minutes === 1 ? "" : "s"}`;
  const hours = Math.round(minutes / 60);
  if (hours < 48) return `in ${hours} hours`;
  return `in ${Math.round(hours / 24)} days`;
}

function daysIn(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/**
 * The instant at which a clock in `zone` shows `wall` (a wall-clock time written as if it were UTC). The zone's
 * offset is read at a first guess and again at the result, which settles it across a daylight-saving change; a
 * time that the change skips lands just after the gap.
 */
function wallClockToInstant(wall: number, zone: string): number {
  const first = wall - offsetAt(wall, zone);
  const second = wall - offsetAt(first, zone);
  return second === first ? first : Math.max(first, second);
}

/** How far the zone's clock is ahead of UTC at `at`, in milliseconds. */
function offsetAt(at: number, zone: string): number {
  const p = wallClock(at, zone);
  const shown = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second);
  return shown - Math.floor(at / 1000) * 1000;
}

interface WallClock {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

function wallClock(at: number, zone: string): WallClock {
  const parts: Record<string, number> = {};
  for (const part of formatter(zone).formatToParts(at)) {
    if (part.type !== "literal") parts[part.type] = Number(part.value);
  }
  return {
    year: parts.year ?? 0,
    month: parts.month ?? 1,
    day: parts.day ?? 1,
    hour: parts.hour ?? 0,
    minute: parts.minute ?? 0,
    second: parts.second ?? 0,
  };
}

/** One formatter per zone: building one costs far more than using it, and a file names one zone. */
const FORMATTERS = new Map<string, Intl.DateTimeFormat>();

function formatter(zone: string): Intl.DateTimeFormat {
  let format = FORMATTERS.get(zone);
  if (format === undefined) {
    format = new Intl.DateTimeFormat("en-US", {
      timeZone: zone,
      hourCycle: "h23",
      year: "numeric",
      month: "numeric",
      day: "numeric",
      hour: "numeric",
      minute: "numeric",
      second: "numeric",
    });
    FORMATTERS.set(zone, format);
  }
  return format;
}
