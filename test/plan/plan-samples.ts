import type { PlannedChange } from "../../src/domain/plan.js";
import {
  accountHash,
  PLAN_FORMAT,
  type PlanBody,
  type PlanFile,
  sealPlan,
} from "../../src/plan/plan-file.js";

/** The account the sample plans are made for. */
export const ACCOUNT_ID = "acc-1234";
/** When the sample plans are made (and the moment they are made `--as-of`). */
export const MADE_AT = "2026-11-29T10:00:00.000Z";
export const MADE_AT_MS = Date.parse(MADE_AT);

export const change = (
  line: number,
  user: string,
  overrides: Partial<PlannedChange> = {},
): PlannedChange => ({
  line,
  user,
  action: "deactivate",
  effect: "would be deactivated",
  user_state: { status: "active", role: "member", type: 2 },
  ...overrides,
});

/** A plan body as `plan` makes one: two changes, one row not sent. */
export function planBody(overrides: Partial<PlanBody> = {}): PlanBody {
  return {
    format: PLAN_FORMAT,
    tool_version: "0.1.0",
    made_at: MADE_AT,
    made_by: "alice",
    account: accountHash(ACCOUNT_ID),
    input: { path: "leavers.csv", sha256: "ab".repeat(32), rows: 3 },
    options: {
      tier: "pro",
      rps: 30,
      share: 1,
      max_deactivations: "10%",
      max_deletions: "0",
      transfer: [],
      transfer_to_default: null,
      protect: null,
      as_of: MADE_AT,
      timezone: "UTC",
      action: null,
    },
    users: 2,
    changes_by_action: { deactivate: 1, delete: 1 },
    warnings: [],
    changes: [
      change(2, "bob@acme.example"),
      change(4, "carol@acme.example", {
        action: "delete",
        transfer_to: "dave@acme.example",
        effect: "would be deleted, data to dave@acme.example",
        user_state: { status: "inactive", role: "member", type: 1 },
        transfer_to_state: { status: "active", role: "member", type: 2 },
      }),
    ],
    not_sent: [
      {
        line: 3,
        user: "erin@acme.example",
        action: "deactivate",
        outcome: "already",
        message: "already inactive in Zoom",
      },
    ],
    ...overrides,
  };
}

/** A sealed plan (no approvals yet), made from {@link planBody}. */
export function sealedPlan(overrides: Partial<PlanBody> = {}): PlanFile {
  return sealPlan(planBody(overrides));
}
