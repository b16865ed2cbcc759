import { describe, expect, it } from "vitest";
import { classifyAnswer } from "../../../src/zoom/classify-answer.js";
import { type ListUsersInput, listUsers } from "../../../src/zoom/operations/list-users.js";
import { http, NOW, zoomError } from "./answers.js";

const INPUT: ListUsersInput = { status: "inactive", pageSize: 300 };
const classify = (answer: ReturnType<typeof http>) => classifyAnswer(listUsers, INPUT, answer, NOW);

describe("listUsers", () => {
  it.each([
    { input: { status: "active", pageSize: 300 }, query: { status: "active", page_size: "300" } },
    {
      input: { status: "pending", pageSize: 100, nextPageToken: "a+b/c=" },
      query: { status: "pending", page_size: "100", next_page_token: "a+b/c=" },
    },
    {
      input: { status: "inactive", pageSize: 30, nextPageToken: "" },
      query: { status: "inactive", page_size: "30" },
    },
  ] satisfies { input: ListUsersInput; query: Record<string, string> }[])(
    "GET /users $query",
    ({ input, query }) => {
      expect(listUsers.request(input)).toEqual({ method: "GET", path: "/users", query });
    },
  );

  it("reads a page, leaving out entries it cannot read", () => {
    const body = {
      total_records: 4,
      next_page_token: "next",
      users: [
        { id: "u1", email: "a@x.com", status: "inactive", role_id: "2", type: 1 },
        { email: "p@x.com", status: "pending" },
        { id: "u3", status: "archived" },
        "nonsense",
      ],
    };
    expect(classify(http(200, body))).toEqual({
      kind: "done",
      value: {
        totalRecords: 4,
        nextPageToken: "next",
        users: [
          { id: "u1", email: "a@x.com", status: "inactive", role: "member", type: 1 },
          { email: "p@x.com", status: "pending", role: "member" },
        ],
      },
    });
  });

  it("the last page: no token, and the count from the page when Zoom gives none", () => {
    expect(classify(http(200, { users: [{ id: "u1", status: "active" }] }))).toMatchObject({
      kind: "done",
      value: { totalRecords: 1, nextPageToken: "" },
    });
  });

  it.each([
    { name: "no users array", answer: http(200, { total_records: 3 }) },
    { name: "an HTML page", answer: http(200, "<html></html>") },
    { name: "no body", answer: http(204) },
  ])("a 2xx that is not a page ($name) → retry, for this request only", ({ answer }) => {
    expect(classify(answer)).toEqual({
      kind: "retry",
      reason: "unexpected_answer",
      retryAfterMs: undefined,
      pauseAll: false,
    });
  });

  it.each([
    { answer: zoomError(400, 300, "The next page token is invalid or expired."), detail: "Zoom code 300" },
    {
      answer: zoomError(400, 4711, "Invalid access token, does not contain scopes"),
      detail: "Zoom code 4711",
    },
    { answer: zoomError(403, 403, "Access to the Zoom REST API has been denied"), detail: "HTTP 403" },
    { answer: http(404), detail: "HTTP 404" },
    { answer: http(400), detail: "HTTP 400" },
  ])("a refused listing ($detail) fails at once, without stopping the run", ({ answer, detail }) => {
    const verdict = classify(answer);
    expect(verdict).toMatchObject({ kind: "final", outcome: "failed", message: /^listing refused: HTTP/ });
    expect(verdict).not.toHaveProperty("stopRun");
    if (verdict.kind === "final") expect(verdict.message).toContain(detail);
  });

  it.each([
    { answer: zoomError(429, 429, "You have reached the maximum per-second rate limit"), kind: "retry" },
    { answer: http(429, undefined, { "x-ratelimit-type": "Daily-limit" }), kind: "daily_limit" },
    { answer: zoomError(401, 124, "Invalid access token."), kind: "token_expired" },
  ])("the rate limits and the token stay the common rules': $kind", ({ answer, kind }) => {
    expect(classify(answer).kind).toBe(kind);
  });

  it("spends the Medium budget and reads only", () => {
    expect(listUsers.label).toBe("Medium");
    expect(listUsers.undo).toEqual({ kind: "read_only" });
  });
});
