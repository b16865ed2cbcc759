import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { OffboardError } from "../../src/domain/errors.js";
import {
  accountHash,
  canonicalJson,
  PLAN_FORMAT,
  parsePlan,
  planChecksum,
  planText,
  sealPlan,
} from "../../src/plan/plan-file.js";
import { change, plan, planBody } from "./plan-fixture.js";

const sha = (text: string) => createHash("sha256").update(text).digest("hex");

function reversedKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(reversedKeys);
  if (value !== null && typeof value === "object") {
    return Object.fromEntries(
      Object.entries(value)
        .reverse()
        .map(([key, item]) => [key, reversedKeys(item)]),
    );
  }
  return value;
}

function unreadable(text: string, path = "plans/p.json"): OffboardError {
  try {
    parsePlan(text, path);
  } catch (error) {
    expect(error).toBeInstanceOf(OffboardError);
    expect((error as OffboardError).code).toBe("PLAN_UNREADABLE");
    return error as OffboardError;
  }
  throw new Error("parsePlan accepted it");
}

describe("canonicalJson", () => {
  it("sorts keys at every depth, leaves arrays in order, drops undefined", () => {
    expect(
      canonicalJson({ b: 1, a: [{ d: 2, c: undefined, a: "x" }, null, 3], c: { z: true, y: false } }),
    ).toBe('{"a":[{"a":"x","d":2},null,3],"b":1,"c":{"y":false,"z":true}}');
  });

  it("writes scalars as JSON", () => {
    expect(canonicalJson('a"b')).toBe('"a\\"b"');
    expect(canonicalJson(null)).toBe("null");
    expect(canonicalJson(1.5)).toBe("1.5");
    expect(canonicalJson([])).toBe("[]");
    expect(canonicalJson({})).toBe("{}");
  });
});

describe("planChecksum", () => {
  it("is the sha256 of the canonical JSON of the body", () => {
    const body = planBody();
    expect(planChecksum(body)).toBe(sha(canonicalJson(body)));
    expect(planChecksum(body)).toMatch(/^[0-9a-f]{64}$/);
  });

  it("does not depend on key order or indentation", () => {
    const p = plan();
    expect(planChecksum(reversedKeys(p) as typeof p)).toBe(p.plan_sha256);
    expect(planChecksum(JSON.parse(JSON.stringify(p, null, 7)))).toBe(p.plan_sha256);
    expect(planChecksum(JSON.parse(JSON.stringify(p)))).toBe(p.plan_sha256);
  });

  it("leaves out the approvals and the plan's own checksum", () => {
    const p = plan();
    const before = planChecksum(p);
    p.approvals.push({ by: "bob", at: "t", note: null, plan_sha256: before });
    p.plan_sha256 = "something else";
    expect(planChecksum(p)).toBe(before);
  });

  it("changes when anything in the body changes", () => {
    const p = plan();
    expect(planChecksum({ ...p, users: 3 })).not.toBe(p.plan_sha256);
    expect(planChecksum(plan({ made_by: "bob" }))).not.toBe(p.plan_sha256);
  });
});

describe("accountHash", () => {
  it("is a truncated sha256 of the id, not the id", () => {
    expect(accountHash("acct-123")).toBe(`sha256:${sha("zoom-offboard account acct-123").slice(0, 32)}`);
    expect(accountHash("acct-123")).toMatch(/^sha256:[0-9a-f]{32}$/);
    expect(accountHash("acct-123")).not.toContain("acct-123");
    expect(accountHash("acct-124")).not.toBe(accountHash("acct-123"));
  });
});

describe("sealPlan", () => {
  it("adds the body's checksum and no approvals, keeping the body", () => {
    const body = planBody();
    const sealed = sealPlan(body);
    expect(sealed).toEqual({ ...body, plan_sha256: sha(canonicalJson(body)), approvals: [] });
  });
});

describe("parsePlan", () => {
  it("reads back a plan it wrote", () => {
    const p = plan();
    p.approvals.push({ by: "bob", at: "t", note: null, plan_sha256: p.plan_sha256 });
    expect(parsePlan(planText(p), "p.json")).toEqual(p);
  });

  it("refuses text that is not JSON, naming the path", () => {
    const error = unreadable("{ not json");
    expect(error.message.startsWith("plans/p.json: not JSON (")).toBe(true);
  });

  it("refuses JSON that is not a plan of this format", () => {
    const expected = `plans/p.json: not a zoom-offboard plan (format ${PLAN_FORMAT})`;
    expect(unreadable("null").message).toBe(expected);
    expect(unreadable("42").message).toBe(expected);
    expect(unreadable(JSON.stringify({ ...plan(), format: "zoom-offboard-plan/2" })).message).toBe(expected);
    expect(unreadable("{}").message).toBe(expected);
  });

  it("refuses a plan with malformed fields, listing them", () => {
    const damaged = {
      ...plan(),
      made_at: "not a date",
      account: 5,
      approvals: [{ by: "bob", at: "t" }],
      changes: [{ ...plan().changes[0], action: "bogus" }],
    };
    expect(unreadable(JSON.stringify(damaged), "x/y.json").message).toBe(
      "x/y.json: damaged: made_at, account, approvals, changes missing or malformed",
    );
  });

  it("refuses missing fields", () => {
    const { plan_sha256: _s, not_sent: _n, options: _o, ...rest } = plan();
    expect(unreadable(JSON.stringify(rest)).message).toBe(
      "plans/p.json: damaged: plan_sha256, not_sent, options missing or malformed",
    );
  });

  it("refuses changes with a non-integer line or no user_state", () => {
    const p = plan();
    const base = change(2, "a@x.com", "deactivate");
    expect(unreadable(JSON.stringify({ ...p, changes: [{ ...base, line: 2.5 }] })).message).toBe(
      "plans/p.json: damaged: changes missing or malformed",
    );
    expect(unreadable(JSON.stringify({ ...p, changes: [{ ...base, user_state: null }] })).message).toBe(
      "plans/p.json: damaged: changes missing or malformed",
    );
    expect(unreadable(JSON.stringify({ ...p, approvals: {} })).message).toBe(
      "plans/p.json: damaged: approvals missing or malformed",
    );
  });
});
