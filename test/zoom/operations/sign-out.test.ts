import { describe, expect, it } from "vitest";
import { classifyAnswer } from "../../../src/zoom/classify-answer.js";
import { signOut } from "../../../src/zoom/operations/sign-out.js";
import { http, NOW, zoomError } from "./answers.js";

describe("signOut", () => {
  it.each([
    { user: "jo@example.com", path: "/users/jo%40example.com/token" },
    { user: "a/b", path: "/users/a%2Fb/token" },
  ])("DELETE $path, no query, no body", ({ user, path }) => {
    expect(signOut.request({ user })).toEqual({ method: "DELETE", path });
  });

  it.each([
    { answer: http(204), verdict: { kind: "done", value: "applied" } },
    { answer: http(200, {}), verdict: { kind: "done", value: "applied" } },
    {
      answer: zoomError(404, 1001, "User does not exist: u1."),
      verdict: { kind: "final", outcome: "not_found", message: "User does not exist: u1." },
    },
    {
      answer: zoomError(400, 1001, "User does not exist: u1."),
      verdict: { kind: "final", outcome: "not_found", message: "User does not exist: u1." },
    },
    {
      answer: zoomError(400, 2300, "This API endpoint is not recognized."),
      verdict: { kind: "final", outcome: "rejected", message: "This API endpoint is not recognized." },
    },
  ])("$answer.status $answer.zoomCode → $verdict.kind", ({ answer, verdict }) => {
    expect(classifyAnswer(signOut, { user: "u1" }, answer, NOW)).toEqual(verdict);
  });

  it("cannot be undone", () => {
    expect(signOut.undo.kind).toBe("irreversible");
  });
});
