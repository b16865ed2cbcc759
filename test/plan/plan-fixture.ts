import type { PlannedChange } from "../../src/domain/plan.js";
import {
  accountHash,
  PLAN_FORMAT,
  type PlanBody,
  type PlanFile,
  sealPlan,
} from "../../src/plan/plan-file.js";

export const MADE_AT = "2024-05-01T10:00:00.000Z";
export const MADE_AT_MS = Date.parse(MADE_AT);
export const ACCOUNT_ID = "acct-123";
export const HOUR = 3_600_000;

export function change(
  line: number,
  user: string,
  action: PlannedChange["action"] = "deactivate",
  transfer_to?: string,
): PlannedChange {
  return {
    line,
    user,
    action,
    ...(transfer_to === undefined ? {} : { transfer_to }),
    effect: `would ${action}`,
    user_state: { status: "active", role: "member", type: 2 },
  };
}

export function planBody(overrides: Partial<PlanBody> = {}): PlanBody {
  return {
    format: PLAN_FORMAT,
    tool_version: "1.2.3",
    made_at: MADE_AT,
    made_by: "alice",
    account: accountHash(ACCOUNT_ID),
    input: { path: "offboard.csv", sha256: "abc123", rows: 3 },
    options: {
      tier: "pro",
      rps: 5,
      share: 1,
      max_deactivations: "10",
      max_deletions: "5",
      transfer: [],
      transfer_to_default: null,
      protect: null,
      // Well before the plan was made, so that only tests that mean to put it in the future do.
      as_of: "2024-04-29T00:00:00.000Z",
      timezone: "UTC",
      action: null,
    },
    users: 2,
    changes_by_action: { deactivate: 1, delete: 1 },
    warnings: [],
    changes: [change(2, "a@x.com", "deactivate"), change(3, "b@x.com", "delete", "boss@x.com")],
    not_sent: [],
    ...overrides,
  };
}

export function plan(overrides: Partial<PlanBody> = {}): PlanFile {
  return sealPlan(planBody(overrides));
}

/** The same as `plan()`, under the name other tests in this folder use. */
export const sealedPlan = plan;
