/**
 * Turning what undici gives us (a status, headers and a body, or an error) into a `ZoomAnswer`: the facts the
 * classifier needs, read defensively because Zoom, its load balancers and proxies in between all answer differently.
 */

import { oneLine } from "../domain/report-row.js";

/** What one request to Zoom produced. Never a thrown error: network trouble is an answer too. */
export type ZoomAnswer =
  | {
      kind: "http";
      status: number;
      /** Zoom's `code` from an error body (not read from 2xx bodies, where it has no meaning). */
      zoomCode: number | undefined;
      /** Zoom's `message` from an error body, one line. */
      message: string | undefined;
      /** The parsed JSON body, else the raw text (truncated), else undefined when empty. */
      body: unknown;
      rateLimitType: string | undefined;
      rateLimitCategory: string | undefined;
      rateLimitRemaining: number | undefined;
      retryAfter: string | undefined;
      trackingId: string | undefined;
    }
  | { kind: "network"; errorCode: string; message: string };

export type HttpAnswer = Extract<ZoomAnswer, { kind: "http" }>;
export type NetworkAnswer = Extract<ZoomAnswer, { kind: "network" }>;

/** Header values as undici hands them over. */
export type RawHeaders = Record<string, string | string[] | undefined>;

/** A non-JSON body (an HTML 502 page from a load balancer) is kept only this long, for the logs. */
const MAX_TEXT_BODY = 2000;

export function httpAnswer(status: number, headers: RawHeaders, text: string): HttpAnswer {
  const header = headerReader(headers);
  const body = parseBody(text);
  const isError = status < 200 || status >= 300;
  const fields = isError && isRecord(body) ? body : {};
  const remaining = header("x-ratelimit-remaining");
  return {
    kind: "http",
    status,
    zoomCode: toCode(fields.code),
    message: typeof fields.message === "string" ? oneLine(fields.message) || undefined : undefined,
    body,
    rateLimitType: header("x-ratelimit-type"),
    rateLimitCategory: header("x-ratelimit-category"),
    rateLimitRemaining: remaining !== undefined && /^\d+$/.test(remaining) ? Number(remaining) : undefined,
    retryAfter: header("retry-after"),
    trackingId: header("x-zm-trackingid"),
  };
}

/**
 * Any failure to get a complete answer: refused or reset connections, DNS, TLS, undici's own timeouts, and our
 * `AbortSignal.timeout` (which rejects with a DOMException named `TimeoutError`, carrying no `code`).
 */
export function networkAnswer(error: unknown): NetworkAnswer {
  const err = error instanceof Error ? error : new Error(String(error));
  const code = errorCodeOf(err);
  const cause = err.cause instanceof Error ? err.cause : undefined;
  const causeCode = cause ? errorCodeOf(cause) : undefined;
  const detail = cause && cause.message !== err.message ? `${err.message} (${cause.message})` : err.message;
  return {
    kind: "network",
    errorCode: code ?? causeCode ?? "UNKNOWN",
    message: oneLine(detail) || code || "network error",
  };
}

function errorCodeOf(err: Error): string | undefined {
  if (err.name === "TimeoutError" || err.name === "AbortError") return "TIMEOUT";
  const code = (err as Error & { code?: unknown }).code;
  return typeof code === "string" && code !== "" ? code : undefined;
}

/** Header names are case-insensitive; undici lower-cases them, but a mock or a proxy may not. */
function headerReader(headers: RawHeaders): (name: string) => string | undefined {
  const byName = new Map<string, string>();
  for (const [name, value] of Object.entries(headers)) {
    const first = Array.isArray(value) ? value[0] : value;
    if (first !== undefined) byName.set(name.toLowerCase(), first.trim());
  }
  return (name) => byName.get(name) || undefined;
}

function parseBody(text: string): unknown {
  if (text.trim() === "") return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text.length > MAX_TEXT_BODY ? `${text.slice(0, MAX_TEXT_BODY)}…` : text;
  }
}

/** Zoom's codes are numbers; tolerate a numeric string. */
function toCode(value: unknown): number | undefined {
  if (typeof value === "number" && Number.isFinite(value)) return value;
  if (typeof value === "string" && /^\d+$/.test(value.trim())) return Number(value);
  return undefined;
}

export function is2xx(status: number): boolean {
  return status >= 200 && status <= 299;
}

export function is4xx(status: number): boolean {
  return status >= 400 && status <= 499;
}

/** Zoom's "User does not exist: {userId}." comes as 404 code 1001; trust the code with another 4xx too. */
export function isNoSuchUser(answer: HttpAnswer): boolean {
  return answer.status === 404 || (is4xx(answer.status) && answer.zoomCode === 1001);
}

/** "HTTP 400, Zoom code 3412: <message>" for messages and stop reasons. */
export function describeAnswer(answer: HttpAnswer): string {
  const code = answer.zoomCode === undefined ? "" : `, Zoom code ${answer.zoomCode}`;
  const text = answer.message === undefined ? "" : `: ${answer.message}`;
  return oneLine(`HTTP ${answer.status}${code}${text}`);
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
