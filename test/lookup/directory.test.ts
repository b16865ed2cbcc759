import { describe, expect, it } from "vitest";
import { interpretListAnswer } from "../../src/lookup/zoom-lookups.js";
import { httpAnswer } from "../helpers/zoom-answer.js";

const http = httpAnswer;
const now = new Date("2026-11-29T12:00:00Z");

describe("interpretListAnswer", () => {
  it("reads a page: users with and without ids, roles, the total and the next token", () => {
    const meaning = interpretListAnswer(
      http(200, {
        total_records: 601,
        next_page_token: "tok",
        users: [
          { id: "u1", email: "a@x.com", status: "active", role_id: "0" },
          { id: "u2", email: "b@x.com", status: "active", role_id: "1" },
          { email: "c@x.com", status: "pending", role_name: "Member" },
          { id: "u4", email: "d@x.com", status: "weird" },
        ],
      }),
      now,
    );
    expect(meaning).toEqual({
      kind: "done",
      value: {
        totalRecords: 601,
        nextPageToken: "tok",
        users: [
          { id: "u1", email: "a@x.com", status: "active", role: "owner" },
          { id: "u2", email: "b@x.com", status: "active", role: "admin" },
          { email: "c@x.com", status: "pending", role: "member" },
        ],
      },
    });
  });

  it.each([
    [http(429, undefined, { rateLimitType: "QPS" }), "retry"],
    [http(503, undefined), "retry"],
    [http(401, undefined, { zoomCode: 124 }), "token_expired"],
    [http(200, "<html>not json</html>"), "retry"],
    [http(429, undefined, { rateLimitType: "Daily-limit" }), "daily_limit"],
  ])("%j → %s", (answer, kind) => {
    expect(interpretListAnswer(answer, now).kind).toBe(kind);
  });
});
