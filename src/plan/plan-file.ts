import { createHash } from "node:crypto";
import { type Action, parseAction } from "../domain/actions.js";
import { OffboardError } from "../domain/errors.js";
import type { Outcome } from "../domain/outcomes.js";
import type { PlannedChange } from "../domain/plan.js";

/** The plan file's format; a later version that changes its meaning changes this. */
export const PLAN_FORMAT = "zoom-offboard-plan/1";

/** The options that change what a run does, as the plan records them and an apply runs them. */
export interface PlanOptions {
  tier: string;
  rps: number;
  share: number;
  max_deactivations: string;
  max_deletions: string;
  /** What moves to a removed user's transfer target; empty: removals go without a transfer. */
  transfer: string[];
  transfer_to_default: string | null;
  protect: { path: string; sha256: string } | null;
  as_of: string;
  timezone: string;
  action: string | null;
}

/** A row of the input the plan would not send, and why. */
export interface NotSentRow {
  line: number;
  user: string;
  action: string;
  outcome: Outcome;
  message: string;
}

/** Everything the plan says; its checksum covers all of it. */
export interface PlanBody {
  format: typeof PLAN_FORMAT;
  tool_version: string;
  made_at: string;
  /** The login of whoever made the plan: their own approval does not count. */
  made_by: string;
  /** The Zoom account, as a hash: the plan names no account id. */
  account: string;
  input: { path: string; sha256: string; rows: number };
  options: PlanOptions;
  /** Distinct users the changes touch, and the changes by action. */
  users: number;
  changes_by_action: Partial<Record<Action, number>>;
  warnings: string[];
  changes: PlannedChange[];
  not_sent: NotSentRow[];
}

export interface Approval {
  by: string;
  at: string;
  note: string | null;
  /** The checksum of the plan as it was approved: an edit afterwards shows. */
  plan_sha256: string;
}

export interface PlanFile extends PlanBody {
  plan_sha256: string;
  approvals: Approval[];
}

/** JSON with every object's keys in sorted order, so that the checksum does not depend on how a file is laid out. */
export function canonicalJson(value: unknown): string {
  // As JSON.stringify writes them: undefined in an array is null, and dropped from an object.
  if (Array.isArray(value)) return `[${value.map((item) => canonicalJson(item ?? null)).join(",")}]`;
  if (value !== null && typeof value === "object") {
    const entries = Object.entries(value)
      .filter(([, item]) => item !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([key, item]) => `${JSON.stringify(key)}:${canonicalJson(item)}`).join(",")}}`;
  }
  return JSON.stringify(value);
}

function sha256(text: string): string {
  return createHash("sha256").update(text).digest("hex");
}

/** The checksum of what a plan says (its approvals and its own checksum left out). */
export function planChecksum(plan: PlanBody): string {
  const { plan_sha256: _sum, approvals: _approvals, ...body } = plan as PlanFile;
  return sha256(canonicalJson(body));
}

/** How a plan names an account: a hash of its id, so the plan file does not carry the id itself. */
export function accountHash(accountId: string): string {
  return `sha256:${sha256(`zoom-offboard account ${accountId}`).slice(0, 32)}`;
}

export function sealPlan(body: PlanBody): PlanFile {
  return { ...body, plan_sha256: planChecksum(body), approvals: [] };
}

export function planText(plan: PlanFile): string {
  return `${JSON.stringify(plan, null, 2)}\n`;
}

/** A plan file read back; anything that is not one of ours (or is damaged) is refused with its path. */
export function parsePlan(text: string, path: string): PlanFile {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw unreadable(path, `not JSON (${(error as Error).message})`);
  }
  const plan = value as Partial<PlanFile> | null;
  if (plan === null || typeof plan !== "object" || plan.format !== PLAN_FORMAT) {
    throw unreadable(path, `not a zoom-offboard plan (format ${PLAN_FORMAT})`);
  }
  const problems = [
    typeof plan.made_at !== "string" || Number.isNaN(Date.parse(plan.made_at)) ? "made_at" : undefined,
    typeof plan.made_by !== "string" ? "made_by" : undefined,
    typeof plan.account !== "string" ? "account" : undefined,
    typeof plan.plan_sha256 !== "string" ? "plan_sha256" : undefined,
    !Array.isArray(plan.approvals) || !plan.approvals.every(isApproval) ? "approvals" : undefined,
    !Array.isArray(plan.changes) || !plan.changes.every(isChange) ? "changes" : undefined,
    !Array.isArray(plan.not_sent) ? "not_sent" : undefined,
    plan.options === null || typeof plan.options !== "object" ? "options" : undefined,
  ].filter((field) => field !== undefined);
  if (problems.length > 0) throw unreadable(path, `damaged: ${problems.join(", ")} missing or malformed`);
  return plan as PlanFile;
}

function isApproval(value: unknown): value is Approval {
  const approval = value as Partial<Approval> | null;
  return (
    approval !== null &&
    typeof approval === "object" &&
    typeof approval.by === "string" &&
    typeof approval.at === "string" &&
    typeof approval.plan_sha256 === "string"
  );
}

function isChange(value: unknown): value is PlannedChange {
  const change = value as Partial<PlannedChange> | null;
  return (
    change !== null &&
    typeof change === "object" &&
    Number.isInteger(change.line) &&
    typeof change.user === "string" &&
    typeof change.action === "string" &&
    parseAction(change.action) === change.action &&
    change.user_state !== null &&
    typeof change.user_state === "object"
  );
}

function unreadable(path: string, reason: string): OffboardError {
  return new OffboardError("PLAN_UNREADABLE", `${path}: ${reason}`);
}
