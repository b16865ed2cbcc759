import { describe, expect, it } from "vitest";
import { classifyAnswer } from "../../../src/zoom/classify-answer.js";
import { downgrade, relicense } from "../../../src/zoom/operations/user-type.js";
import { http, NOW, zoomError } from "./answers.js";

describe("downgrade and relicense", () => {
  it.each([
    { operation: downgrade, type: 1 },
    { operation: relicense, type: 2 },
  ])("$operation.name: PATCH /users/{id} with only {type: $type}", ({ operation, type }) => {
    expect(operation.request({ user: "jo@example.com" })).toEqual({
      method: "PATCH",
      path: "/users/jo%40example.com",
      body: { type },
    });
  });

  it.each([
    { answer: http(204), verdict: { kind: "done", value: "applied" } },
    ...[
      { code: 300, message: 'You cannot change the user type to "Basic" because of upcoming Zoom Events.' },
      { code: 200, message: "A Zoom Room user cannot be changed to a free user type: u1" },
      { code: 1108, message: "Permission requirements to change the user type of this user were not met." },
    ].map(({ code, message }) => ({
      answer: zoomError(400, code, message),
      verdict: { kind: "final", outcome: "rejected", message },
    })),
    {
      answer: zoomError(400, 1108),
      verdict: { kind: "final", outcome: "rejected", message: "HTTP 400, Zoom code 1108" },
    },
    {
      answer: zoomError(400, 3412, "Basic user cap reached."),
      verdict: { kind: "final", outcome: "rejected", message: "Basic user cap reached." },
    },
    {
      answer: zoomError(404, 1001, "User does not exist: u1."),
      verdict: { kind: "final", outcome: "not_found", message: "User does not exist: u1." },
    },
  ])("$answer.status $answer.zoomCode → $verdict.kind", ({ answer, verdict }) => {
    expect(classifyAnswer(downgrade, { user: "u1" }, answer, NOW)).toEqual(verdict);
  });

  it.each([
    { operation: downgrade, reverse: relicense, type: 2 },
    { operation: relicense, reverse: downgrade, type: 1 },
  ])("$operation.name is undone by $reverse.name", ({ operation, reverse, type }) => {
    if (operation.undo.kind !== "reversible") throw new Error(`${operation.name} should be reversible`);
    const undo = operation.undo.reverse({ user: "u1" });
    expect(undo.operation).toBe(reverse);
    expect(undo.request).toEqual({ method: "PATCH", path: "/users/u1", body: { type } });
  });
});
