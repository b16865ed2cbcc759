import { describe, expect, it } from "vitest";
import { classifyAnswer } from "../../../src/zoom/classify-answer.js";
import { setStatus } from "../../../src/zoom/operations/set-status.js";
import { http, NOW, zoomError } from "./answers.js";

describe("setStatus", () => {
  it.each([
    { input: { user: "jo@example.com", action: "deactivate" }, path: "/users/jo%40example.com/status" },
    { input: { user: "a/b", action: "activate" }, path: "/users/a%2Fb/status" },
    {
      input: { user: "../../accounts/x", action: "deactivate" },
      path: "/users/..%2F..%2Faccounts%2Fx/status",
    },
  ] as const)("PUT $path {action: $input.action}", ({ input, path }) => {
    expect(setStatus.request(input)).toEqual({ method: "PUT", path, body: { action: input.action } });
  });

  const input = { user: "jo@example.com", action: "deactivate" } as const;
  it.each([
    { answer: http(200, { id: "x" }), verdict: { kind: "done", value: "applied" } },
    { answer: http(204), verdict: { kind: "done", value: "applied" } },
    ...[200, 300, 3412, 2033, 1120].map((code) => ({
      answer: zoomError(400, code, `refusal ${code}`),
      verdict: { kind: "final", outcome: "rejected", message: `refusal ${code}` },
    })),
    {
      answer: zoomError(400, 2033),
      verdict: { kind: "final", outcome: "rejected", message: "HTTP 400, Zoom code 2033" },
    },
    {
      answer: zoomError(404, 1001, "User does not exist: jo@example.com."),
      verdict: { kind: "final", outcome: "not_found", message: "User does not exist: jo@example.com." },
    },
  ])("$answer.status $answer.zoomCode → $verdict.kind", ({ answer, verdict }) => {
    expect(classifyAnswer(setStatus, input, answer, NOW)).toEqual(verdict);
  });

  it.each([
    { action: "deactivate", reverse: "activate" },
    { action: "activate", reverse: "deactivate" },
  ] as const)("is undone by the other action: $action ↔ $reverse", ({ action, reverse }) => {
    expect(setStatus.undo.kind).toBe("reversible");
    if (setStatus.undo.kind !== "reversible") return;
    const undo = setStatus.undo.reverse({ user: "u1", action });
    expect(undo.operation).toBe(setStatus);
    expect(undo.input).toEqual({ user: "u1", action: reverse });
    expect(undo.request).toEqual({ method: "PUT", path: "/users/u1/status", body: { action: reverse } });
  });
});

describe("userPath", () => {
  it.each(["", ".", ".."])("refuses %j, which cannot be one path segment", (user) => {
    expect(() => setStatus.request({ user, action: "deactivate" })).toThrow(RangeError);
  });

  it.each([
    { user: "...", path: "/users/.../status" },
    { user: "a.b@example.com", path: "/users/a.b%40example.com/status" },
  ])("keeps $user as it is otherwise", ({ user, path }) => {
    expect(setStatus.request({ user, action: "deactivate" }).path).toBe(path);
  });
});
