import { describe, expect, it } from "vitest";
import { LookupBook } from "../../src/lookup/lookup-book.js";
import { EMPTY_PROTECT_LIST, parseProtectList } from "../../src/lookup/protect-list.js";

describe("LookupBook", () => {
  it("holds half a million directory users in a few tens of megabytes, by id and by email", () => {
    const book = new LookupBook(EMPTY_PROTECT_LIST);
    for (let n = 0; n < 500_000; n += 1) {
      book.addFound({
        id: `id${n}`,
        email: `user${n}@example.com`,
        status: n % 2 === 0 ? "active" : "inactive",
        role: "member",
      });
    }
    book.markComplete();
    expect(book.byteLength).toBeLessThanOrEqual(32 * 1024 * 1024);
    expect(book.get("id4")).toMatchObject({ kind: "found", status: "active" });
    expect(book.get("USER7@example.com")).toMatchObject({ kind: "found", status: "inactive" });
    expect(book.get("nobody@example.com")).toMatchObject({ kind: "not_found" });
  });

  it("knows only what it was told until it is complete", () => {
    const book = new LookupBook(EMPTY_PROTECT_LIST);
    expect(book.get("a@x.com")).toBeUndefined();
    book.addNotFound("A@x.com", "User does not exist: A@x.com.");
    book.addUnknown("b@x.com", "look-up failed: 503");
    expect(book.get("a@X.com")).toEqual({ kind: "not_found", message: "User does not exist: A@x.com." });
    expect(book.get("b@x.com")).toEqual({ kind: "unknown", message: "look-up failed: 503" });
  });

  it("protects a user listed by one identifier when the file names the other", () => {
    const book = new LookupBook(parseProtectList("KdYKjnimT4KPd8FFgQt9FQ\n", "p.txt"));
    book.addFound({
      id: "KdYKjnimT4KPd8FFgQt9FQ",
      email: "ceo@acme.example",
      status: "active",
      role: "member",
    });
    book.addFound(
      { email: "pending@acme.example", status: "pending", role: "member" },
      "Pending@ACME.example",
    );
    expect(book.get("ceo@acme.example")).toMatchObject({ protectedByList: true });
    expect(book.get("pending@acme.example")).toMatchObject({ status: "pending", protectedByList: false });
  });
});
