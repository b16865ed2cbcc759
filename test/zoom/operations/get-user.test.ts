import { describe, expect, it } from "vitest";
import { classifyAnswer } from "../../../src/zoom/classify-answer.js";
import { getUser } from "../../../src/zoom/operations/get-user.js";
import { http, NOW, zoomError } from "./answers.js";

const classify = (answer: ReturnType<typeof http>) => classifyAnswer(getUser, { user: "u1" }, answer, NOW);

describe("getUser", () => {
  it.each([
    { user: "KdYKjnimT4KPd8FFgQt9FQ", path: "/users/KdYKjnimT4KPd8FFgQt9FQ" },
    { user: "a/b@c.com", path: "/users/a%2Fb%40c.com" },
    { user: "x?y=1#z", path: "/users/x%3Fy%3D1%23z" },
  ])("GET $path, no query, no body", ({ user, path }) => {
    expect(getUser.request({ user })).toEqual({ method: "GET", path });
  });

  it.each([
    {
      body: { id: "u1", email: "o@x.com", status: "active", role_id: "0", type: 2 },
      value: { kind: "found", status: "active", role: "owner", type: 2, id: "u1", email: "o@x.com" },
    },
    {
      body: { id: "u2", status: "inactive", role_name: "Admin", type: 1 },
      value: { kind: "found", status: "inactive", role: "admin", type: 1, id: "u2" },
    },
    {
      body: { email: "p@x.com", status: "pending", type: "2", id: "" },
      value: { kind: "found", status: "pending", role: "member", email: "p@x.com" },
    },
  ])("found: $body", ({ body, value }) => {
    expect(classify(http(200, body))).toEqual({ kind: "done", value });
  });

  it.each([
    { answer: zoomError(404, 1001, "User does not exist: u1."), message: "User does not exist: u1." },
    { answer: zoomError(400, 1001, "User does not exist: u1."), message: "User does not exist: u1." },
    { answer: http(404), message: "user not found (HTTP 404)" },
  ])("not found is an answer, not a failure: $message", ({ answer, message }) => {
    expect(classify(answer)).toEqual({ kind: "done", value: { kind: "not_found", message } });
  });

  it.each([
    { name: "no status", answer: http(200, { id: "u1" }) },
    { name: "an unknown status", answer: http(200, { id: "u1", status: "deleted" }) },
    { name: "an HTML page", answer: http(200, "<html></html>") },
    { name: "no body", answer: http(204) },
  ])("a 2xx with $name → failed, unexpected answer", ({ answer }) => {
    expect(classify(answer)).toMatchObject({
      kind: "final",
      outcome: "failed",
      message: /^unexpected answer/,
    });
  });

  it("an expired invitation (1120) is refused in Zoom's words", () => {
    expect(classify(zoomError(400, 1120, "A valid invitation was not found."))).toEqual({
      kind: "final",
      outcome: "rejected",
      message: "A valid invitation was not found.",
    });
  });

  it("is a read", () => {
    expect(getUser.undo).toEqual({ kind: "read_only" });
    expect(getUser.label).toBe("Light");
  });
});
