import { OffboardError } from "../domain/errors.js";
import { type Approval, accountHash, type PlanFile, planChecksum } from "./plan-file.js";

/** What an apply asks of a plan before it sends anything. */
export interface ApplyDemands {
  now: number;
  maxAgeMs: number;
  accountId: string;
  /** Distinct approvers needed (`--approvals`). */
  approvals: number;
}

// Clocks of two machines differ a little; a plan from much later than now was not made by a clock we can trust.
const FUTURE_SLACK_MS = 5 * 60_000;

function samePerson(a: string, b: string): boolean {
  return a.trim().toLowerCase() === b.trim().toLowerCase();
}

/**
 * The approvals that count: given to the plan as it is now, by people other than its maker, one per person.
 * Pure.
 */
export function countingApprovers(plan: PlanFile): string[] {
  const checksum = planChecksum(plan);
  const people: string[] = [];
  for (const approval of plan.approvals) {
    if (approval.plan_sha256 !== checksum || samePerson(approval.by, plan.made_by)) continue;
    if (!people.some((person) => samePerson(person, approval.by))) people.push(approval.by.trim());
  }
  return people;
}

/** Why the plan may not be applied; empty when it may. Pure. */
export function refusalsOf(plan: PlanFile, demands: ApplyDemands): string[] {
  const refusals: string[] = [];
  const checksum = planChecksum(plan);
  if (checksum !== plan.plan_sha256) {
    refusals.push("it was edited after it was made (its checksum does not match what it says)");
  }
  const editedAfter = plan.approvals.filter((approval) => approval.plan_sha256 !== checksum);
  if (editedAfter.length > 0 && checksum === plan.plan_sha256) {
    refusals.push(`it was edited after ${names(editedAfter)} approved it`);
  }
  const age = demands.now - Date.parse(plan.made_at);
  if (age > demands.maxAgeMs) {
    refusals.push(
      `it was made ${hours(age)} ago (${plan.made_at}), longer ago than --max-plan-age allows (${hours(demands.maxAgeMs)}): Zoom may have changed since; make a new plan`,
    );
  } else if (age < -FUTURE_SLACK_MS) {
    refusals.push(`it says it was made in the future (${plan.made_at}): check the clocks`);
  }
  // A plan made `--as-of` a later moment holds rows due then: applied earlier, they would go before their day.
  const asOf = Date.parse(plan.options.as_of);
  if (asOf - demands.now > FUTURE_SLACK_MS) {
    refusals.push(`it holds the rows due at ${plan.options.as_of} (--as-of): apply it then or later`);
  }
  if (plan.account !== accountHash(demands.accountId)) {
    refusals.push("it was made for another Zoom account than these credentials'");
  }
  const approvers = countingApprovers(plan);
  if (approvers.length < demands.approvals) {
    const have = approvers.length === 0 ? "none" : `${approvers.length} (${approvers.join(", ")})`;
    refusals.push(
      `--approvals ${demands.approvals} needs that many distinct approvers other than its maker (${plan.made_by}); it has ${have}`,
    );
  }
  return refusals;
}

/** Record an approval; refuses a plan edited since it was made. Returns false when `by` had approved it already. */
export function addApproval(plan: PlanFile, approval: Omit<Approval, "plan_sha256">, path: string): boolean {
  const checksum = planChecksum(plan);
  if (checksum !== plan.plan_sha256) {
    throw new OffboardError(
      "PLAN_REFUSED",
      `${path}: not approved: it was edited after it was made (its checksum does not match what it says)`,
    );
  }
  const again = plan.approvals.some(
    (earlier) => samePerson(earlier.by, approval.by) && earlier.plan_sha256 === checksum,
  );
  if (again) return false;
  plan.approvals.push({ ...approval, plan_sha256: checksum });
  return true;
}

function names(approvals: readonly Approval[]): string {
  return [...new Set(approvals.map((approval) => approval.by))].join(", ");
}

function hours(ms: number): string {
  const h = ms / 3_600_000;
  return h >= 1 ? `${Number(h.toFixed(1))} h` : `${Math.max(1, Math.round(ms / 60_000))} min`;
}
