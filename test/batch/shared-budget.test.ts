import { describe, expect, it } from "vitest";
import { redisWhere, sharedBudgetId } from "../../src/batch/shared-budget.js";

describe("shared budget keys and logs", () => {
  it("keys the budget by a hash of the account, never the account id itself", () => {
    const id = sharedBudgetId("AbC123-account");
    expect(id).toMatch(/^zoom-offboard-light-[0-9a-f]{24}$/);
    expect(id).not.toContain("AbC123");
    expect(sharedBudgetId("AbC123-account")).toBe(id);
    expect(sharedBudgetId("other-account")).not.toBe(id);
  });

  it.each([
    ["redis://127.0.0.1:6380", "127.0.0.1:6380"],
    ["redis://:s3cret@redis.internal", "redis.internal:6379"],
    ["rediss://user:pw@cache.example.com:6390/2", "cache.example.com:6390"],
  ])("logs %s as %s (no credentials)", (url, where) => {
    expect(redisWhere(url)).toBe(where);
  });
});
