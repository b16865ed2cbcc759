import { describe, expect, it } from "vitest";
import { classifyAnswer } from "../../../src/zoom/classify-answer.js";
import {
  type RemoveUserInput,
  removeUser,
  TRANSFER_ITEMS,
} from "../../../src/zoom/operations/remove-user.js";
import { http, NOW, zoomError } from "./answers.js";

const classify = (answer: ReturnType<typeof http>) =>
  classifyAnswer(removeUser, { user: "u1", action: "delete" }, answer, NOW);

describe("removeUser", () => {
  it.each([
    { input: { user: "jo@example.com", action: "disassociate" }, query: { action: "disassociate" } },
    { input: { user: "jo@example.com", action: "delete", transfer: {} }, query: { action: "delete" } },
    {
      input: {
        user: "jo@example.com",
        action: "delete",
        transferEmail: "heir@example.com",
        transfer: { recording: true, meeting: true, webinar: false },
      },
      // Zoom's names, in a fixed order, only the ones asked for.
      query: {
        action: "delete",
        transfer_email: "heir@example.com",
        transfer_meeting: "true",
        transfer_webinar: "false",
        transfer_recording: "true",
      },
    },
    {
      input: {
        user: "jo@example.com",
        action: "disassociate",
        transferEmail: "heir@example.com",
        transfer: Object.fromEntries(TRANSFER_ITEMS.map((item) => [item, true])),
      },
      query: {
        action: "disassociate",
        transfer_email: "heir@example.com",
        transfer_meeting: "true",
        transfer_webinar: "true",
        transfer_recording: "true",
        transfer_whiteboard: "true",
        transfer_clipfiles: "true",
        transfer_notes: "true",
        transfer_docs: "true",
        transfer_visitors: "true",
      },
    },
  ] satisfies { input: RemoveUserInput; query: Record<string, string> }[])(
    "DELETE /users/{id} $query",
    ({ input, query }) => {
      const request = removeUser.request(input);
      expect(request).toEqual({ method: "DELETE", path: "/users/jo%40example.com", query });
      // Insertion order is the order on the wire.
      expect(Object.keys(request.query ?? {})).toEqual(Object.keys(query));
    },
  );

  it.each([
    { answer: http(204), verdict: { kind: "done", value: "applied" } },
    {
      answer: zoomError(404, 1001, "User does not exist: u1."),
      verdict: { kind: "final", outcome: "already", message: "not in the account: already gone" },
    },
    {
      answer: zoomError(400, 1001, "User does not exist: u1."),
      verdict: { kind: "final", outcome: "already", message: "not in the account: already gone" },
    },
    ...[
      { code: 300, message: "Unable to unlink API user(s)." },
      { code: 200, message: "Unable to delete this deactivated user. Please contact Zoom support team." },
      { code: 1000, message: "The user cannot be changed because they are a Call-queue manager." },
      { code: 1107, message: "You can not disassociate a user with managed domain." },
      { code: 1117, message: "You can not disassociate an Admin user." },
      { code: 1120, message: "A valid invitation to join the Zoom account was not found for this user." },
    ].map(({ code, message }) => ({
      answer: zoomError(400, code, message),
      verdict: { kind: "final", outcome: "rejected", message },
    })),
    {
      answer: zoomError(400, 1117),
      verdict: { kind: "final", outcome: "rejected", message: "HTTP 400, Zoom code 1117" },
    },
    ...[
      "Too many concurrent requests. A request to disassociate this user has already been made.",
      "A request to disassociate this user has already been made.",
      "A request to delete this user has already been made.",
    ].map((message) => ({
      answer: zoomError(429, 429, message),
      verdict: { kind: "retry", reason: "concurrent", retryAfterMs: undefined, pauseAll: false },
    })),
    {
      answer: http(
        429,
        { code: 429, message: "A request to disassociate this user has already been made." },
        {
          "retry-after": "3",
        },
      ),
      verdict: { kind: "retry", reason: "concurrent", retryAfterMs: 3000, pauseAll: false },
    },
    {
      answer: zoomError(429, 429, "You have reached the maximum per-second rate limit for this API."),
      verdict: { kind: "retry", reason: "rate_limit", retryAfterMs: undefined, pauseAll: true },
    },
  ])("$answer.status $answer.message → $verdict.kind", ({ answer, verdict }) => {
    expect(classify(answer)).toEqual(verdict);
  });

  it("cannot be undone", () => {
    expect(removeUser.undo.kind).toBe("irreversible");
  });
});
