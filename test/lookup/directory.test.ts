import { describe, expect, it } from "vitest";
import { createDirectoryReader } from "../../src/lookup/directory-reader.js";
import { LookupBook } from "../../src/lookup/lookup-book.js";
import { EMPTY_PROTECT_LIST } from "../../src/lookup/protect-list.js";
import { classifyAnswer } from "../../src/zoom/classify-answer.js";
import { listUsers } from "../../src/zoom/operations/index.js";
import { fakeClient, testSender } from "../helpers/test-sender.js";
import { httpAnswer } from "../helpers/zoom-answer.js";

const http = httpAnswer;
const now = new Date("2026-11-29T12:00:00Z");

describe("a directory page", () => {
  const input = { status: "active", pageSize: 300 } as const;
  it("reads a page: users with and without ids, roles, the total and the next token", () => {
    const meaning = classifyAnswer(
      listUsers,
      input,
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
    expect(meaning).toMatchObject({
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
    // A refused listing cannot be retried into working: the look-ups fall back to asking user by user at once.
    [http(400, { code: 4711, message: "no scope" }, { zoomCode: 4711 }), "final"],
  ])("%j → %s", (answer, kind) => {
    expect(classifyAnswer(listUsers, input, answer, now).kind).toBe(kind);
  });
});

/**
 * A directory whose page tokens count positions, as the simulator's do: two users a page, and `onPage` runs after
 * each page is served (the place to change the lists, as our own status changes do while the directory is read).
 */
type Status = "active" | "inactive" | "pending";

function offsetDirectory(lists: Record<Status, string[]>, onPage: (status: Status) => void) {
  const client = fakeClient((request) => {
    if (request.path !== "/users")
      throw new Error(`not in a directory test: ${request.method} ${request.path}`);
    {
      const status = request.query?.status as Status;
      const nextPageToken = request.query?.next_page_token;
      const list = lists[status];
      const offset = Number(nextPageToken ?? "0");
      const users = list.slice(offset, offset + 2);
      const next = offset + users.length < list.length ? String(offset + users.length) : "";
      const answer = httpAnswer(200, {
        total_records: list.length,
        next_page_token: next,
        users: users.map((email) => ({ id: `id-${email}`, email, status, role_id: "2" })),
      });
      onPage(status);
      return answer;
    }
  });
  return createDirectoryReader(testSender(client));
}

describe("the directory reader", () => {
  it("names the lists that lost users while they were paged, and a second read lists the users the first skipped", async () => {
    const lists = { active: ["u1", "u2", "u3", "u4", "u5", "u6"], inactive: ["x1"], pending: [] as string[] };
    let activePages = 0;
    const reader = offsetDirectory(lists, (status) => {
      if (status === "active") activePages += 1;
      // After the first active page, u1 is deactivated: it moves to the inactive list and u3 to position 2,
      // which the next token has already passed.
      if (activePages === 1 && !lists.inactive.includes("u1")) {
        lists.active.splice(0, 1);
        lists.inactive.push("u1");
      }
    });
    const book = new LookupBook(EMPTY_PROTECT_LIST);
    const first = await reader.readAll(book);
    expect(first).toMatchObject({ cut: false, shrunk: [{ status: "active", lost: 1, pages: 1 }] });
    expect(book.has("u3")).toBe(false);
    expect(book.has("u4") && book.has("u6")).toBe(true);

    const again = await reader.reread(book, ["active"]);
    expect(again).toMatchObject({ cut: false, shrunk: [], users: 5 });
    expect(book.get("u3")).toMatchObject({ kind: "found", status: "active" });
    // The inactive list grew (u1 joined it) and was not asked for again.
    expect(book.get("u1")).toMatchObject({ kind: "found" });
  });

  it("a directory that did not change while it was read shrank nowhere", async () => {
    const lists = { active: ["u1", "u2", "u3"], inactive: ["x1", "x2", "x3"], pending: ["p1"] };
    const reader = offsetDirectory(lists, () => {});
    const book = new LookupBook(EMPTY_PROTECT_LIST);
    expect(await reader.readAll(book)).toMatchObject({ users: 7, cut: false, shrunk: [] });
  });
});
