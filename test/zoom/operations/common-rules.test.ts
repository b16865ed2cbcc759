import { describe, expect, it } from "vitest";
import type { ZoomAnswer } from "../../../src/zoom/answer.js";
import type { OperationCall } from "../../../src/zoom/operation.js";
import { listUsers, OPERATIONS } from "../../../src/zoom/operations/index.js";
import { http, NOW, zoomError } from "./answers.js";
import { SAMPLE_CALLS } from "./samples.js";

const PER_SECOND = "You have reached the maximum per-second rate limit for this API. Try again later.";
const DAILY = "You have reached the maximum daily rate limit for this API.";

/** Answers no operation may read its own way: they concern the network, the token, the budget or Zoom's side. */
const COMMON: { name: string; answer: ZoomAnswer; verdict: object }[] = [
  {
    name: "a reset connection",
    answer: { kind: "network", errorCode: "ECONNRESET", message: "read ECONNRESET" },
    verdict: { kind: "retry", reason: "network", retryAfterMs: undefined, pauseAll: false },
  },
  {
    name: "the deadline",
    answer: { kind: "network", errorCode: "TIMEOUT", message: "no complete answer within 1000 ms" },
    verdict: { kind: "retry", reason: "network", retryAfterMs: undefined, pauseAll: false },
  },
  {
    name: "401 code 124",
    answer: zoomError(401, 124, "Access token is expired."),
    verdict: { kind: "token_expired" },
  },
  {
    name: "400 code 124",
    answer: zoomError(400, 124, "Invalid access token."),
    verdict: { kind: "token_expired" },
  },
  {
    name: "429 per second",
    answer: http(429, { code: 429, message: PER_SECOND }, { "x-ratelimit-type": "QPS", "retry-after": "1" }),
    verdict: { kind: "retry", reason: "rate_limit", retryAfterMs: 1000, pauseAll: true },
  },
  {
    name: "429 without anything",
    answer: http(429),
    verdict: { kind: "retry", reason: "rate_limit", retryAfterMs: undefined, pauseAll: true },
  },
  {
    name: "429 too many concurrent requests",
    answer: zoomError(429, 429, "Too many concurrent requests."),
    verdict: { kind: "retry", reason: "concurrent", retryAfterMs: undefined, pauseAll: false },
  },
  {
    name: "429 daily",
    answer: http(429, { code: 429, message: DAILY }, { "retry-after": "2026-12-01T00:00:00Z" }),
    verdict: { kind: "daily_limit", resetAt: new Date("2026-12-01T00:00:00Z") },
  },
  {
    name: "503 with Retry-After",
    answer: http(503, undefined, { "retry-after": "5" }),
    verdict: { kind: "retry", reason: "server_error", retryAfterMs: 5000, pauseAll: false },
  },
  {
    name: "502 from the load balancer",
    answer: http(502, "<html>502 Bad Gateway</html>"),
    verdict: { kind: "retry", reason: "server_error", retryAfterMs: undefined, pauseAll: false },
  },
  {
    name: "301",
    answer: http(301, "", { location: "https://example.com/" }),
    verdict: { kind: "final", outcome: "failed", message: "unexpected answer: HTTP 301" },
  },
];

/** Refusals that stop the run: every other request would be refused alike. */
const RUN_WIDE: { name: string; answer: ZoomAnswer; stopRun: RegExp }[] = [
  {
    name: "400 code 4711",
    answer: zoomError(400, 4711, "does not contain scopes"),
    stopRun: /lacks a required scope/,
  },
  {
    name: "401 without 124",
    answer: zoomError(401, 401, "Unauthorized"),
    stopRun: /refused the app's access/,
  },
  { name: "403", answer: http(403), stopRun: /refused the app's access \(HTTP 403\)/ },
];

const named = (calls: readonly OperationCall[]) => calls.map((call) => ({ call, name: call.operation.name }));

describe.each(named(SAMPLE_CALLS))("$name", ({ call }) => {
  it.each(COMMON)("$name → the common verdict", ({ answer, verdict }) => {
    expect(call.classify(answer, NOW)).toEqual(verdict);
  });
});

// A refused listing fails without stopping anything: the caller looks users up one by one instead.
describe.each(named(SAMPLE_CALLS.filter((call) => call.operation !== listUsers)))("$name", ({ call }) => {
  it.each(RUN_WIDE)("$name → rejected, and the run stops", ({ answer, stopRun }) => {
    expect(call.classify(answer, NOW)).toMatchObject({ kind: "final", outcome: "rejected", stopRun });
  });

  it("names the operation and each of its scopes when one is missing", () => {
    const verdict = call.classify(zoomError(400, 4711, "no scope"), NOW);
    const stopRun = verdict.kind === "final" ? (verdict.stopRun ?? "") : "";
    expect(stopRun).toContain(call.operation.name);
    for (const scope of call.operation.scopes) expect(stopRun).toContain(scope);
  });

  it("an unknown 4xx is rejected in Zoom's words, on one line", () => {
    expect(call.classify(zoomError(418, 7, "line one\r\nline two"), NOW)).toEqual({
      kind: "final",
      outcome: "rejected",
      message: "line one line two",
    });
  });
});

it("every operation has a sample", () => {
  expect(SAMPLE_CALLS.map((call) => call.operation)).toEqual(OPERATIONS);
});
