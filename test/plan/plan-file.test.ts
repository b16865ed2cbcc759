import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { OffboardError } from "../../src/domain/errors.js";
import {
  accountHash,
  canonicalJson,
  PLAN_FORMAT,
  type PlanBody,
  type PlanFile,
  parsePlan,
  planChecksum,
  planText,
  sealPlan,
} from "../../src/plan/plan-file.js";
import { ACCOUNT_ID, change, planBody, sealedPlan } from "./plan-samples.js";

const sha256 = (text: string): string => createHash("sha256").update(text).digest("hex");

/** What parsePlan throws for `text`; fails the test when it returns. */
function refusalOf(text: string, path = "plans/p.json"): OffboardError {
  try {
    parsePlan(text, path);
  } catch (error) {
    expect(error).toBeInstanceOf(OffboardError);
    expect((error as OffboardError).code).toBe("PLAN_UNREADABLE");
    return error as OffboardError;
  }
  throw new Error("expected parsePlan to refuse the text");
}

/** `value` with the keys of every object, however deep, in reverse order. */
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

/** A sealed plan as JSON, with `edit` applied to the parsed object first. */
function planJson(edit: (plan: Record<string, unknown>) => void): string {
  const plan = JSON.parse(planText(sealedPlan())) as Record<string, unknown>;
  edit(plan);
  return JSON.stringify(plan);
}

describe("canonicalJson", () => {
  it("sorts every object's keys, however deep, and leaves no whitespace", () => {
    expect(canonicalJson({ b: 1, a: { d: [1, { f: true, e: null }], c: "x" } })).toBe(
      '{"a":{"c":"x","d":[1,{"e":null,"f":true}]},"b":1}',
    );
    expect(
      canonicalJson({ b: 1, a: [{ d: 2, c: undefined, a: "x" }, null, 3], c: { z: true, y: false } }),
    ).toBe('{"a":[{"a":"x","d":2},null,3],"b":1,"c":{"y":false,"z":true}}');
  });

  it("does not depend on the order the keys were written in", () => {
    const one = { user: "bob", line: 2, user_state: { type: 2, role: "member", status: "active" } };
    const other = { user_state: { status: "active", role: "member", type: 2 }, line: 2, user: "bob" };
    expect(canonicalJson(one)).toBe(canonicalJson(other));
    expect(canonicalJson(one)).toBe(
      '{"line":2,"user":"bob","user_state":{"role":"member","status":"active","type":2}}',
    );
  });

  it("drops keys whose value is undefined, as JSON.stringify does", () => {
    expect(canonicalJson({ a: 1, transfer_to: undefined, z: { y: undefined } })).toBe('{"a":1,"z":{}}');
    expect(canonicalJson({ a: 1, transfer_to: undefined })).toBe(canonicalJson({ a: 1 }));
  });

  it("keeps arrays in their order", () => {
    expect(canonicalJson([3, 1, 2])).toBe("[3,1,2]");
    expect(canonicalJson(["b", "a"])).not.toBe(canonicalJson(["a", "b"]));
    expect(canonicalJson([{ b: 2, a: 1 }, []])).toBe('[{"a":1,"b":2},[]]');
  });

  it("writes strings, numbers, booleans and null as JSON does", () => {
    expect(canonicalJson('a "quoted"\nline')).toBe('"a \\"quoted\\"\\nline"');
    expect(canonicalJson(1.5)).toBe("1.5");
    expect(canonicalJson(false)).toBe("false");
    expect(canonicalJson(null)).toBe("null");
    expect(canonicalJson({ é: 1, A: 2, a: 3 })).toBe('{"A":2,"a":3,"é":1}');
    expect(canonicalJson([])).toBe("[]");
    expect(canonicalJson({})).toBe("{}");
  });

  // Regression (fixed in 43b4cea): an undefined array item became nothing at all, "[,1]" (not JSON), while the
  // same array written and read back is [null, 1], "[null,1]": the checksum changed by a mere write and read.
  it("writes an undefined array item as null, as JSON.stringify does", () => {
    expect(canonicalJson([undefined, 1])).toBe("[null,1]");
  });
});

describe("planChecksum", () => {
  it("is the sha256 hex of the canonical JSON of the plan's body", () => {
    const body = planBody();
    expect(planChecksum(body)).toBe(sha256(canonicalJson(body)));
    expect(planChecksum(body)).toMatch(/^[0-9a-f]{64}$/);
    // Pinned on a small object, so that a change of the hash or of the canonical form shows.
    const tiny = { b: [2, 1], a: "x" } as unknown as PlanBody;
    expect(planChecksum(tiny)).toBe(sha256('{"a":"x","b":[2,1]}'));
  });

  it("leaves out the approvals and the checksum itself", () => {
    const plan = sealedPlan();
    const sum = planChecksum(plan);
    expect(sum).toBe(planChecksum(planBody()));
    plan.approvals.push({ by: "bob", at: "2026-11-29T11:00:00.000Z", note: "ok", plan_sha256: sum });
    plan.plan_sha256 = "0".repeat(64);
    expect(planChecksum(plan)).toBe(sum);
  });

  it("is the same after a JSON round trip and after re-indentation or key reordering", () => {
    const plan = sealedPlan();
    const sum = planChecksum(plan);
    const text = planText(plan);
    expect(planChecksum(JSON.parse(text) as PlanFile)).toBe(sum);
    expect(planChecksum(JSON.parse(JSON.stringify(JSON.parse(text))) as PlanFile)).toBe(sum);
    expect(planChecksum(JSON.parse(JSON.stringify(JSON.parse(text), null, "\t")) as PlanFile)).toBe(sum);
    const reversed = Object.fromEntries(Object.entries(JSON.parse(text) as object).reverse()) as PlanFile;
    expect(Object.keys(reversed)[0]).toBe("approvals");
    expect(planChecksum(reversed)).toBe(sum);
    expect(planChecksum(reversedKeys(plan) as PlanFile)).toBe(sum);
    expect(planChecksum(JSON.parse(JSON.stringify(plan, null, 7)) as PlanFile)).toBe(sum);
  });

  it("is the same for a change whose transfer_to is undefined and one without the key", () => {
    const without = planBody({ changes: [change(2, "bob@acme.example")] });
    const undefinedKey = planBody({
      changes: [{ ...change(2, "bob@acme.example"), transfer_to: undefined }],
    });
    expect(planChecksum(undefinedKey)).toBe(planChecksum(without));
  });

  const base = planBody();
  const first = (body: PlanBody) => body.changes[0] as NonNullable<PlanBody["changes"][0]>;
  it.each<[string, (body: PlanBody) => void]>([
    [
      "a change's user",
      (body) => {
        first(body).user = "mallory@acme.example";
      },
    ],
    [
      "a change's action",
      (body) => {
        first(body).action = "delete";
      },
    ],
    [
      "a change's line",
      (body) => {
        first(body).line = 5;
      },
    ],
    [
      "a change's transfer target",
      (body) => {
        first(body).transfer_to = "x@acme.example";
      },
    ],
    [
      "a change's planned state",
      (body) => {
        first(body).user_state.type = 1;
      },
    ],
    [
      "the order of the changes",
      (body) => {
        body.changes.reverse();
      },
    ],
    [
      "one more change",
      (body) => {
        body.changes.push(change(9, "zed@acme.example"));
      },
    ],
    [
      "one change fewer",
      (body) => {
        body.changes.pop();
      },
    ],
    [
      "the rps option",
      (body) => {
        body.options.rps = 29;
      },
    ],
    [
      "the tier option",
      (body) => {
        body.options.tier = "business";
      },
    ],
    [
      "the deactivation limit",
      (body) => {
        body.options.max_deactivations = "100%";
      },
    ],
    [
      "the transfer option",
      (body) => {
        body.options.transfer.push("recording");
      },
    ],
    [
      "the default transfer target",
      (body) => {
        body.options.transfer_to_default = "boss@acme.example";
      },
    ],
    [
      "the protect list",
      (body) => {
        body.options.protect = { path: "p.txt", sha256: "cd".repeat(32) };
      },
    ],
    [
      "the action option",
      (body) => {
        body.options.action = "delete";
      },
    ],
    [
      "the --as-of moment",
      (body) => {
        body.options.as_of = "2026-12-01T00:00:00.000Z";
      },
    ],
    [
      "the account",
      (body) => {
        body.account = accountHash("other");
      },
    ],
    [
      "made_at",
      (body) => {
        body.made_at = "2026-11-29T10:00:00.001Z";
      },
    ],
    [
      "made_by",
      (body) => {
        body.made_by = "bob";
      },
    ],
    [
      "the input's checksum",
      (body) => {
        body.input.sha256 = "ef".repeat(32);
      },
    ],
    [
      "a row not sent",
      (body) => {
        body.not_sent.pop();
      },
    ],
    [
      "a warning",
      (body) => {
        body.warnings.push("a real run would stop");
      },
    ],
    [
      "the count of users",
      (body) => {
        body.users = 3;
      },
    ],
  ])("changes when %s changes", (_what, edit) => {
    const edited = structuredClone(base);
    edit(edited);
    expect(planChecksum(edited)).not.toBe(planChecksum(base));
  });
});

describe("accountHash", () => {
  it("is sha256: and 32 hex digits of a hash, the same every time", () => {
    const hash = accountHash(ACCOUNT_ID);
    expect(hash).toBe(`sha256:${sha256(`zoom-offboard account ${ACCOUNT_ID}`).slice(0, 32)}`);
    expect(hash).toMatch(/^sha256:[0-9a-f]{32}$/);
    expect(accountHash(ACCOUNT_ID)).toBe(hash);
  });

  it("does not carry the account id", () => {
    for (const id of [ACCOUNT_ID, "abcdef", "0123456789"]) expect(accountHash(id)).not.toContain(id);
    expect(planText(sealedPlan())).not.toContain(ACCOUNT_ID);
  });

  it("differs from account to account", () => {
    const hashes = ["acc-1", "acc-2", "ACC-1", "acc-1 ", ""].map(accountHash);
    expect(new Set(hashes).size).toBe(5);
  });
});

describe("sealPlan", () => {
  it("adds the body's checksum and an empty list of approvals, and keeps the body", () => {
    const body = planBody();
    const plan = sealPlan(body);
    expect(plan).toEqual({ ...body, plan_sha256: sha256(canonicalJson(body)), approvals: [] });
    expect(plan.plan_sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(planChecksum(plan)).toBe(plan.plan_sha256);
  });

  it("does not change the body it is given", () => {
    const body = planBody();
    const copy = structuredClone(body);
    sealPlan(body);
    expect(body).toEqual(copy);
  });
});

describe("planText", () => {
  it("is the plan as indented JSON with a final newline, and parsePlan reads it back equal", () => {
    const plan = sealedPlan();
    const text = planText(plan);
    expect(text).toBe(`${JSON.stringify(plan, null, 2)}\n`);
    expect(parsePlan(text, "p.json")).toEqual(JSON.parse(text));
  });
});

describe("parsePlan", () => {
  it("reads a sealed plan back as it was written", () => {
    const plan = sealedPlan();
    plan.approvals.push({
      by: "bob",
      at: "2026-11-29T11:00:00.000Z",
      note: null,
      plan_sha256: plan.plan_sha256,
    });
    const read = parsePlan(planText(plan), "p.json");
    expect(read).toEqual(plan);
    expect(read.plan_sha256).toBe(plan.plan_sha256);
    expect(read.approvals).toEqual(plan.approvals);
    expect(read.changes).toEqual(JSON.parse(JSON.stringify(plan.changes)));
    expect(planChecksum(read)).toBe(plan.plan_sha256);
  });

  it.each(["", "{", "not json", "{'format': 1}"])("refuses %j: not JSON, with the path", (text) => {
    const error = refusalOf(text);
    expect(error.code).toBe("PLAN_UNREADABLE");
    expect(error.message).toMatch(/^plans\/p\.json: not JSON \(.+\)$/);
  });

  it.each([
    ["null", "null"],
    ["an empty object", "{}"],
    ["a number", "42"],
    ["a string", '"zoom-offboard-plan/1"'],
    ["an array", JSON.stringify([sealedPlan()])],
    ["no format", planJson((plan) => delete plan.format)],
    [
      "another format",
      planJson((plan) => {
        plan.format = "zoom-offboard-plan/2";
      }),
    ],
    ["a report's JSON summary", JSON.stringify({ outcomes: {}, rows: 3, exit_code: 0 })],
  ])("refuses %s: not a plan of ours, with the path", (_what, text) => {
    const error = refusalOf(text);
    expect(error.code).toBe("PLAN_UNREADABLE");
    expect(error.message).toBe(`plans/p.json: not a zoom-offboard plan (format ${PLAN_FORMAT})`);
  });

  it.each<[string, (plan: Record<string, unknown>) => void]>([
    ["made_at", (plan) => delete plan.made_at],
    [
      "made_at",
      (plan) => {
        plan.made_at = "yesterday-ish";
      },
    ],
    [
      "made_at",
      (plan) => {
        plan.made_at = 1_764_410_400_000;
      },
    ],
    ["account", (plan) => delete plan.account],
    [
      "account",
      (plan) => {
        plan.account = 12;
      },
    ],
    ["plan_sha256", (plan) => delete plan.plan_sha256],
    [
      "plan_sha256",
      (plan) => {
        plan.plan_sha256 = null;
      },
    ],
    ["approvals", (plan) => delete plan.approvals],
    [
      "approvals",
      (plan) => {
        plan.approvals = {};
      },
    ],
    [
      "approvals",
      (plan) => {
        plan.approvals = [null];
      },
    ],
    [
      "approvals",
      (plan) => {
        plan.approvals = [{ by: "bob", at: "2026-11-29T11:00:00Z" }];
      },
    ],
    [
      "approvals",
      (plan) => {
        plan.approvals = [{ by: 7, at: "x", plan_sha256: "y" }];
      },
    ],
    [
      "approvals",
      (plan) => {
        plan.approvals = [{ by: "bob", plan_sha256: "y" }];
      },
    ],
    ["changes", (plan) => delete plan.changes],
    [
      "changes",
      (plan) => {
        plan.changes = "bob";
      },
    ],
    [
      "changes",
      (plan) => {
        plan.changes = [null];
      },
    ],
    [
      "changes",
      (plan) => {
        plan.changes = [{ ...change(2, "bob"), line: "2" }];
      },
    ],
    [
      "changes",
      (plan) => {
        plan.changes = [{ ...change(2, "bob"), line: 2.5 }];
      },
    ],
    [
      "changes",
      (plan) => {
        plan.changes = [{ ...change(2, "bob"), user: undefined }];
      },
    ],
    [
      "changes",
      (plan) => {
        plan.changes = [{ ...change(2, "bob"), action: "suspend" }];
      },
    ],
    // An alias is what a person may write in a CSV, not what a plan holds.
    [
      "changes",
      (plan) => {
        plan.changes = [{ ...change(2, "bob"), action: "logout" }];
      },
    ],
    [
      "changes",
      (plan) => {
        plan.changes = [{ ...change(2, "bob"), action: "DELETE" }];
      },
    ],
    [
      "changes",
      (plan) => {
        plan.changes = [{ ...change(2, "bob"), user_state: null }];
      },
    ],
    [
      "changes",
      (plan) => {
        plan.changes = [{ ...change(2, "bob"), user_state: "active" }];
      },
    ],
    ["not_sent", (plan) => delete plan.not_sent],
    [
      "not_sent",
      (plan) => {
        plan.not_sent = { line: 3 };
      },
    ],
    ["options", (plan) => delete plan.options],
    [
      "options",
      (plan) => {
        plan.options = "pro";
      },
    ],
  ])("refuses a plan whose %s is missing or malformed, naming it and the path", (field, edit) => {
    const error = refusalOf(planJson(edit));
    expect(error.code).toBe("PLAN_UNREADABLE");
    expect(error.message).toBe(`plans/p.json: damaged: ${field} missing or malformed`);
  });

  it("names every malformed field at once, in a fixed order", () => {
    const error = refusalOf(
      planJson((plan) => {
        delete plan.options;
        delete plan.made_at;
        plan.changes = [{}];
        plan.account = null;
      }),
    );
    expect(error.code).toBe("PLAN_UNREADABLE");
    expect(error.message).toBe(
      "plans/p.json: damaged: made_at, account, changes, options missing or malformed",
    );
    const damaged = {
      ...sealedPlan(),
      made_at: "not a date",
      account: 5,
      approvals: [{ by: "bob", at: "t" }],
      changes: [{ ...change(2, "bob@acme.example"), action: "bogus" }],
    };
    expect(refusalOf(JSON.stringify(damaged), "x/y.json").message).toBe(
      "x/y.json: damaged: made_at, account, approvals, changes missing or malformed",
    );
    const { plan_sha256: _sum, not_sent: _notSent, options: _options, ...rest } = sealedPlan();
    expect(refusalOf(JSON.stringify(rest)).message).toBe(
      "plans/p.json: damaged: plan_sha256, not_sent, options missing or malformed",
    );
  });

  it("accepts a plan with no changes and no rows left out", () => {
    const text = planJson((plan) => {
      plan.changes = [];
      plan.not_sent = [];
    });
    expect(parsePlan(text, "p.json").changes).toEqual([]);
  });

  // Regression (fixed in 43b4cea): `typeof null === "object"` let "options": null through, and apply then failed
  // with a TypeError (refusalsOf `plan.options.as_of`, applyConfigOf `options.protect`) instead of PLAN_UNREADABLE.
  it('refuses "options": null, naming options', () => {
    const error = refusalOf(
      planJson((plan) => {
        plan.options = null;
      }),
    );
    expect(error.message).toBe("plans/p.json: damaged: options missing or malformed");
  });

  // Regression (fixed in 43b4cea): made_by was not checked, yet countingApprovers (samePerson → `.trim()`) and
  // approveCommand (`plan.made_by.trim()`) call a method on it: approve/apply crashed with a TypeError.
  it("refuses a plan without made_by, naming made_by", () => {
    const error = refusalOf(planJson((plan) => delete plan.made_by));
    expect(error.message).toBe("plans/p.json: damaged: made_by missing or malformed");
  });
});
