import { describe, expect, it } from "vitest";
import { type HttpAnswer, httpAnswer, type RawHeaders, type ZoomAnswer } from "../../src/zoom/answer.js";
import { classifyAnswer } from "../../src/zoom/classify-answer.js";
import { getUser } from "../../src/zoom/operations/get-user.js";
import { setStatus } from "../../src/zoom/operations/set-status.js";

const NOW = new Date("2026-11-30T18:00:00.000Z");

const PER_SECOND = "You have reached the maximum per-second rate limit for this API. Try again later.";
const DAILY =
  "You have reached the maximum daily rate limit for this API. Refer to the response header for details on when you can make another request.";
const HTML_502 =
  "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n</body>\r\n</html>";

/** An answer as the client would build it from the wire: status, headers and a raw body. */
function http(status: number, body: unknown = undefined, headers: RawHeaders = {}): ZoomAnswer {
  const text = body === undefined ? "" : typeof body === "string" ? body : JSON.stringify(body);
  return httpAnswer(status, headers, text);
}

const network = (errorCode: string): ZoomAnswer => ({ kind: "network", errorCode, message: errorCode });

/** The common rules, read through the two operations that have always used them. */
const classifyStatusAnswer = (answer: ZoomAnswer, now: Date) =>
  classifyAnswer(setStatus, { user: "jo@example.com", action: "deactivate" }, answer, now);
const classifyLookupAnswer = (answer: ZoomAnswer, now: Date) =>
  classifyAnswer(getUser, { user: "jo@example.com" }, answer, now);

describe("classifyAnswer: common rules, through set status", () => {
  it.each([
    { name: "200 with a body", answer: http(200, { id: "x" }) },
    { name: "204 without a body", answer: http(204) },
    { name: "201", answer: http(201, "") },
    { name: "2xx even with an odd body", answer: http(200, "<html>ok</html>") },
    { name: "299, the last 2xx", answer: http(299) },
    {
      name: "2xx even when the answer carries code 124",
      answer: { ...(http(200) as HttpAnswer), zoomCode: 124 },
    },
  ])("$name → done, applied", ({ answer }) => {
    expect(classifyStatusAnswer(answer, NOW)).toEqual({ kind: "done", value: "applied" });
  });

  it.each([
    { name: "401 code 124", answer: http(401, { code: 124, message: "Access token is expired." }) },
    { name: "400 code 124", answer: http(400, { code: 124, message: "Invalid access token." }) },
    { name: "code 124 as a string", answer: http(401, { code: "124", message: "Invalid access token." }) },
    {
      name: "429 code 124 (the code wins)",
      answer: http(429, { code: 124, message: "Invalid access token." }),
    },
  ])("$name → token_expired", ({ answer }) => {
    expect(classifyStatusAnswer(answer, NOW)).toEqual({ kind: "token_expired" });
  });

  it.each([
    {
      name: "type header and ISO Retry-After",
      answer: http(
        429,
        { code: 429, message: DAILY },
        {
          "x-ratelimit-type": "Daily-limit",
          "retry-after": "2026-12-01T00:00:00Z",
        },
      ),
      resetAt: "2026-12-01T00:00:00.000Z",
    },
    {
      name: "type header in another case, Retry-After in seconds",
      answer: http(
        429,
        { code: 429, message: "Too many requests" },
        {
          "X-RateLimit-Type": "DAILY-LIMIT",
          "Retry-After": "3600",
        },
      ),
      resetAt: "2026-11-30T19:00:00.000Z",
    },
    {
      name: "type header, no Retry-After → next 00:00 UTC",
      answer: http(429, undefined, { "x-ratelimit-type": "Daily-limit" }),
      resetAt: "2026-12-01T00:00:00.000Z",
    },
    {
      name: "message only, no headers at all → next 00:00 UTC",
      answer: http(429, { code: 429, message: DAILY }),
      resetAt: "2026-12-01T00:00:00.000Z",
    },
    {
      name: "message only, unreadable Retry-After → next 00:00 UTC",
      answer: http(429, { code: 429, message: DAILY }, { "retry-after": "tomorrow" }),
      resetAt: "2026-12-01T00:00:00.000Z",
    },
    {
      name: "Retry-After as an HTTP-date",
      answer: http(429, { code: 429, message: DAILY }, { "retry-after": "Tue, 01 Dec 2026 00:00:00 GMT" }),
      resetAt: "2026-12-01T00:00:00.000Z",
    },
  ])("daily limit: $name", ({ answer, resetAt }) => {
    const verdict = classifyStatusAnswer(answer, NOW);
    expect(verdict.kind).toBe("daily_limit");
    if (verdict.kind === "daily_limit") expect(verdict.resetAt.toISOString()).toBe(resetAt);
  });

  it.each([
    {
      name: "429 QPS with Retry-After seconds",
      answer: http(
        429,
        { code: 429, message: PER_SECOND },
        {
          "x-ratelimit-type": "QPS",
          "x-ratelimit-category": "Light",
          "retry-after": "2",
        },
      ),
      expected: { reason: "rate_limit", retryAfterMs: 2000, pauseAll: true },
    },
    {
      name: "429 QPS with Retry-After as an ISO date",
      answer: http(
        429,
        { code: 429, message: PER_SECOND },
        {
          "x-ratelimit-type": "QPS",
          "retry-after": "2026-11-30T18:00:01Z",
        },
      ),
      expected: { reason: "rate_limit", retryAfterMs: 1000, pauseAll: true },
    },
    {
      name: "429 without any header or body",
      answer: http(429),
      expected: { reason: "rate_limit", retryAfterMs: undefined, pauseAll: true },
    },
    {
      name: "429 with an HTML body",
      answer: http(429, "<html>Too Many Requests</html>"),
      expected: { reason: "rate_limit", retryAfterMs: undefined, pauseAll: true },
    },
    {
      name: "429 too many concurrent requests",
      answer: http(429, { code: 429, message: "Too many concurrent requests." }),
      expected: { reason: "concurrent", retryAfterMs: undefined, pauseAll: false },
    },
    {
      name: "429 concurrent, in another case, with Retry-After",
      answer: http(429, { code: 429, message: "too many Concurrent requests" }, { "retry-after": "1" }),
      expected: { reason: "concurrent", retryAfterMs: 1000, pauseAll: false },
    },
    ...[500, 502, 503, 504, 520, 599].map((status) => ({
      name: `${status} without a body`,
      answer: http(status),
      expected: { reason: "server_error", retryAfterMs: undefined, pauseAll: false },
    })),
    {
      name: "502 with an HTML page",
      answer: http(502, HTML_502, { "content-type": "text/html" }),
      expected: { reason: "server_error", retryAfterMs: undefined, pauseAll: false },
    },
    {
      name: "503 with Retry-After",
      answer: http(503, { code: 503, message: "Service unavailable" }, { "retry-after": "5" }),
      expected: { reason: "server_error", retryAfterMs: 5000, pauseAll: false },
    },
    ...["ECONNRESET", "ECONNREFUSED", "UND_ERR_SOCKET", "UND_ERR_HEADERS_TIMEOUT", "TIMEOUT"].map((code) => ({
      name: `network ${code}`,
      answer: network(code),
      expected: { reason: "network", retryAfterMs: undefined, pauseAll: false },
    })),
  ])("retry: $name", ({ answer, expected }) => {
    expect(classifyStatusAnswer(answer, NOW)).toEqual({ kind: "retry", ...expected });
  });

  it.each([
    {
      name: "404 code 1001",
      answer: http(404, { code: 1001, message: "User does not exist: jo@example.com." }),
      expected: { outcome: "not_found", message: "User does not exist: jo@example.com." },
    },
    {
      name: "404 without a body",
      answer: http(404),
      expected: { outcome: "not_found", message: "user not found (HTTP 404)" },
    },
    {
      name: "400 code 1001",
      answer: http(400, { code: 1001, message: "User does not exist: abc." }),
      expected: { outcome: "not_found", message: "User does not exist: abc." },
    },
    {
      name: "400 code 200 (admin / Zoom Room)",
      answer: http(400, {
        code: 200,
        message: "Zoom Room and Admin users' status cannot be activated or deactivated.",
      }),
      expected: {
        outcome: "rejected",
        message: "Zoom Room and Admin users' status cannot be activated or deactivated.",
      },
    },
    {
      name: "400 code 300 (upcoming Zoom Events), multi-line message",
      answer: http(400, {
        code: 300,
        message:
          "You cannot deactivate this user\n because the user has an upcoming   Zoom Events scheduled.",
      }),
      expected: {
        outcome: "rejected",
        message: "You cannot deactivate this user because the user has an upcoming Zoom Events scheduled.",
      },
    },
    {
      name: "400 code 3412 (Basic user cap)",
      answer: http(400, { code: 3412, message: "Your request to activate the user was not approved." }),
      expected: { outcome: "rejected", message: "Your request to activate the user was not approved." },
    },
    {
      name: "400 code 2033 without a message",
      answer: http(400, { code: 2033 }),
      expected: { outcome: "rejected", message: "HTTP 400, Zoom code 2033" },
    },
    {
      name: "400 code 1120 (invitation expired)",
      answer: http(400, {
        code: 1120,
        message: "A valid invitation to join the Zoom account was not found.",
      }),
      expected: {
        outcome: "rejected",
        message: "A valid invitation to join the Zoom account was not found.",
      },
    },
    {
      name: "400 with an unknown code",
      answer: http(400, { code: 9999, message: "Something odd." }),
      expected: { outcome: "rejected", message: "Something odd." },
    },
    {
      name: "400 without a body",
      answer: http(400),
      expected: { outcome: "rejected", message: "rejected by Zoom (HTTP 400)" },
    },
    {
      name: "405 with an HTML body",
      answer: http(405, "<html>Method Not Allowed</html>"),
      expected: { outcome: "rejected", message: "rejected by Zoom (HTTP 405)" },
    },
    {
      name: "409",
      answer: http(409, { code: 409, message: "Conflict" }),
      expected: { outcome: "rejected", message: "Conflict" },
    },
    {
      name: "499, the last 4xx",
      answer: http(499),
      expected: { outcome: "rejected", message: "rejected by Zoom (HTTP 499)" },
    },
    {
      name: "600, past the 5xx range",
      answer: http(600, { code: 600, message: "odd" }),
      expected: { outcome: "failed", message: "unexpected answer: HTTP 600" },
    },
    {
      name: "301 redirect",
      answer: http(301, "", { location: "https://example.com/" }),
      expected: { outcome: "failed", message: "unexpected answer: HTTP 301" },
    },
    {
      name: "100 informational",
      answer: http(100),
      expected: { outcome: "failed", message: "unexpected answer: HTTP 100" },
    },
  ])("final: $name", ({ answer, expected }) => {
    expect(classifyStatusAnswer(answer, NOW)).toEqual({ kind: "final", ...expected });
  });

  it.each([
    {
      name: "400 code 4711 (missing scope)",
      answer: http(400, {
        code: 4711,
        message: "Invalid access token, does not contain scopes:[user:write:admin].",
      }),
      stopRun:
        "the app lacks a required scope for set status (any of user:update:status:admin, user:write:admin): Zoom code 4711",
    },
    {
      name: "400 code 4711 without a message",
      answer: http(400, { code: 4711 }),
      stopRun:
        "the app lacks a required scope for set status (any of user:update:status:admin, user:write:admin): Zoom code 4711",
      message: "missing scope (HTTP 400, Zoom code 4711)",
    },
    {
      name: "401 without code 124",
      answer: http(401, { code: 401, message: "Unauthorized" }),
      stopRun: expect.stringContaining("HTTP 401"),
    },
    {
      name: "403 without a body",
      answer: http(403),
      stopRun: expect.stringContaining("HTTP 403"),
    },
    {
      name: "403 account denied",
      answer: http(403, { message: "Access to the Zoom REST API has been denied for this account." }),
      stopRun: expect.stringContaining("has been denied"),
    },
  ])("final with stopRun: $name", ({ answer, stopRun, message }) => {
    const verdict = classifyStatusAnswer(answer, NOW);
    expect(verdict).toMatchObject({ kind: "final", outcome: "rejected", stopRun });
    if (verdict.kind === "final") expect(verdict.message).not.toMatch(/\n/);
    if (message !== undefined) expect(verdict).toMatchObject({ message });
  });

  it("keeps every message on one line", () => {
    const verdict = classifyStatusAnswer(http(418, { code: 7, message: "line one\r\nline two\t<br>" }), NOW);
    expect(verdict).toEqual({ kind: "final", outcome: "rejected", message: "line one line two <br>" });
  });
});

describe("classifyAnswer: through get user", () => {
  it.each([
    { user: { id: "a1", email: "o@x.com", status: "active", role_id: "0" }, status: "active", role: "owner" },
    { user: { id: "a2", email: "a@x.com", status: "active", role_id: "1" }, status: "active", role: "admin" },
    {
      user: { id: "a3", email: "m@x.com", status: "inactive", role_id: "2" },
      status: "inactive",
      role: "member",
    },
    { user: { id: "a4", status: "active", role_id: 0 }, status: "active", role: "owner" },
    { user: { id: "a5", status: "active", role_name: "Owner" }, status: "active", role: "owner" },
    { user: { id: "a6", status: "active", role_name: "Admin" }, status: "active", role: "admin" },
    {
      user: { id: "a7", status: "active", role_id: "R42", role_name: "Help desk" },
      status: "active",
      role: "member",
    },
    { user: { email: "p@x.com", status: "pending" }, status: "pending", role: "member" },
    { user: { id: "a8", status: "active", role_name: " ADMIN " }, status: "active", role: "admin" },
    { user: { id: "a9", status: "active", role_id: 1 }, status: "active", role: "admin" },
  ])("found: $user", ({ user, status, role }) => {
    const verdict = classifyLookupAnswer(http(200, user), NOW);
    expect(verdict).toMatchObject({ kind: "done", value: { kind: "found", status, role } });
    if (verdict.kind === "done" && verdict.value.kind === "found") {
      expect(verdict.value.id).toBe(user.id);
      expect(verdict.value.email).toBe(user.email);
    }
  });

  it.each([
    {
      name: "404 code 1001",
      answer: http(404, { code: 1001, message: "User does not exist: zz." }),
      message: "User does not exist: zz.",
    },
    {
      name: "400 code 1001",
      answer: http(400, { code: 1001, message: "User does not exist: zz." }),
      message: "User does not exist: zz.",
    },
  ])("not found is an answer: $name", ({ answer, message }) => {
    expect(classifyLookupAnswer(answer, NOW)).toEqual({
      kind: "done",
      value: { kind: "not_found", message },
    });
  });

  it.each([
    { name: "network", answer: network("ECONNRESET"), kind: "retry" },
    { name: "503", answer: http(503), kind: "retry" },
    { name: "429 QPS", answer: http(429, { code: 429, message: PER_SECOND }), kind: "retry" },
    {
      name: "401 code 124",
      answer: http(401, { code: 124, message: "Access token is expired." }),
      kind: "token_expired",
    },
    {
      name: "429 daily",
      answer: http(429, undefined, { "x-ratelimit-type": "Daily-limit" }),
      kind: "daily_limit",
    },
    {
      name: "400 code 1120",
      answer: http(400, { code: 1120, message: "invitation expired" }),
      kind: "final",
    },
    { name: "200 without a status", answer: http(200, { id: "x" }), kind: "final" },
    { name: "200 with HTML", answer: http(200, "<html></html>"), kind: "final" },
  ])("like a status answer: $name → $kind", ({ answer, kind }) => {
    expect(classifyLookupAnswer(answer, NOW).kind).toBe(kind);
  });

  it.each([
    { name: "without a status", body: { id: "x" } },
    { name: "with an unknown status", body: { id: "x", status: "deleted" } },
    { name: "with a body that is not an object", body: "<html></html>" },
  ])("a 200 $name is a failed look-up, saying why", ({ body }) => {
    expect(classifyLookupAnswer(http(200, body), NOW)).toEqual({
      kind: "final",
      outcome: "failed",
      message: "unexpected answer: HTTP 200 without a user status",
    });
  });

  it.each([
    { name: "empty", user: { id: "", email: "", status: "active" } },
    { name: "not strings", user: { id: 42, email: ["e@x.com"], status: "active" } },
  ])("leaves out an id and an email that are $name", ({ user }) => {
    expect(classifyLookupAnswer(http(200, user), NOW)).toEqual({
      kind: "done",
      value: { kind: "found", status: "active", role: "member" },
    });
  });

  it("names the read scopes on code 4711", () => {
    expect(classifyLookupAnswer(http(400, { code: 4711, message: "no scope" }), NOW)).toMatchObject({
      kind: "final",
      outcome: "rejected",
      stopRun:
        "the app lacks a required scope for get user (any of user:read:user:admin, user:read:admin, user:write:admin): Zoom code 4711",
    });
  });
});
