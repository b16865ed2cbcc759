/**
 * `Retry-After` parsing. Zoom sends an ISO-8601 UTC date on the daily limit (`2026-12-01T00:00:00Z`), which is
 * neither of the two forms HTTP defines, and delta-seconds elsewhere; proxies in front of it may send an HTTP-date.
 * We accept all three, like undici's RetryHandler (seconds or a date), and never throw on a bad header.
 */

/** Delta-seconds. RFC 9110 allows only a non-negative integer; we also take fractions and clamp negatives to 0. */
const DELTA_SECONDS = /^-?\d+(?:\.\d+)?$/;

/** ISO-8601 date or date-time, with an optional zone (`Z` or `±hh:mm`). */
const ISO_8601 = /^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/i;

/** The three HTTP-date forms: IMF-fixdate, obsolete RFC 850 and asctime. */
const HTTP_DATE_GMT = [
  /^[A-Za-z]{3}, \d{2} [A-Za-z]{3} \d{4} \d{2}:\d{2}:\d{2} GMT$/,
  /^[A-Za-z]+, \d{2}-[A-Za-z]{3}-\d{2} \d{2}:\d{2}:\d{2} GMT$/,
];
/** asctime carries no zone but means GMT. */
const ASCTIME = /^[A-Za-z]{3} [A-Za-z]{3} [ \d]\d \d{2}:\d{2}:\d{2} \d{4}$/;

/**
 * How long to wait, in ms from `now`, according to a `Retry-After` value. A time in the past gives 0;
 * a missing or unreadable value gives `undefined` (the caller falls back to its own backoff).
 */
export function parseRetryAfter(value: string | undefined, now: Date): number | undefined {
  const text = value?.trim();
  if (!text) return undefined;

  if (DELTA_SECONDS.test(text)) {
    return Math.max(0, Math.ceil(Number(text) * 1000));
  }

  const at = parseDate(text);
  if (at === undefined) return undefined;
  return Math.max(0, at - now.getTime());
}

/** Epoch ms of an ISO-8601 or HTTP-date string, or undefined. `Date.parse` alone is too lenient to trust. */
function parseDate(text: string): number | undefined {
  let candidate: string | undefined;
  const iso = ISO_8601.exec(text);
  if (iso) {
    // A date-time without a zone would be read as local time; Zoom's dates are UTC, so say so.
    const hasTime = /[T ]\d/.test(text);
    candidate = hasTime && iso[1] === undefined ? `${text.replace(" ", "T")}Z` : text.replace(" ", "T");
  } else if (HTTP_DATE_GMT.some((form) => form.test(text))) {
    candidate = text;
  } else if (ASCTIME.test(text)) {
    candidate = `${text} GMT`;
  }
  if (candidate === undefined) return undefined;
  const ms = Date.parse(candidate);
  return Number.isNaN(ms) ? undefined : ms;
}

/** The next 00:00 UTC strictly after `now`: when Zoom's daily counters reset if it does not tell us. */
export function nextUtcMidnight(now: Date): Date {
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() + 1));
}
