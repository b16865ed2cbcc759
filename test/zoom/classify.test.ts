import { describe, expect, it } from "vitest";
import { httpAnswer } from "../../src/zoom/answer.js";
import { classifyLookupAnswer, classifyStatusAnswer } from "../../src/zoom/classify.js";

// The deprecated shapes the batch and the look-ups still read: the common rules themselves are tested through
// classifyAnswer (classify-answer.test.ts); here only the mapping of `done`.
const NOW = new Date("2026-11-30T18:00:00.000Z");
const http = (status: number, body?: unknown) =>
  httpAnswer(status, {}, body === undefined ? "" : JSON.stringify(body));

describe("classifyStatusAnswer (deprecated)", () => {
  it.each([
    { answer: http(204), verdict: { kind: "success" } },
    { answer: http(200, { id: "x" }), verdict: { kind: "success" } },
    {
      answer: http(503),
      verdict: { kind: "retry", reason: "server_error", retryAfterMs: undefined, pauseAll: false },
    },
    {
      answer: http(400, { code: 300, message: "upcoming Zoom Events" }),
      verdict: { kind: "final", outcome: "rejected", message: "upcoming Zoom Events" },
    },
    {
      answer: http(404, { code: 1001, message: "User does not exist: u1." }),
      verdict: { kind: "final", outcome: "not_found", message: "User does not exist: u1." },
    },
  ])("HTTP $answer.status → $verdict.kind", ({ answer, verdict }) => {
    expect(classifyStatusAnswer(answer, NOW)).toEqual(verdict);
  });
});

describe("classifyLookupAnswer (deprecated)", () => {
  it.each([
    {
      answer: http(200, { id: "u1", email: "a@x.com", status: "active", role_id: "1", type: 2 }),
      verdict: { kind: "found", status: "active", role: "admin", type: 2, id: "u1", email: "a@x.com" },
    },
    {
      answer: http(404, { code: 1001, message: "User does not exist: u1." }),
      verdict: { kind: "not_found", message: "User does not exist: u1." },
    },
    {
      answer: http(200, "<html></html>"),
      verdict: {
        kind: "final",
        outcome: "failed",
        message: "unexpected answer: HTTP 200 without a user status",
      },
    },
    {
      answer: http(401, { code: 124, message: "Invalid access token." }),
      verdict: { kind: "token_expired" },
    },
  ])("HTTP $answer.status → $verdict.kind", ({ answer, verdict }) => {
    expect(classifyLookupAnswer(answer, NOW)).toEqual(verdict);
  });
});
