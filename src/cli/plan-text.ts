import type { Plan } from "../lookup/plan.js";

/** The plan in words, for the confirmation prompt and the logs. Pure. */
export function describePlan(plan: Plan): string[] {
  const lines = [
    `  deactivate          ${plan.deactivate}`,
    `  activate            ${plan.activate}`,
    `  already in state    ${plan.already}`,
    `  not found           ${plan.notFound}`,
    `  protected           ${plan.protected}`,
  ];
  if (plan.unknown > 0)
    lines.push(`  look-up failed      ${plan.unknown} (sent anyway; Zoom's answer decides)`);
  const skipped = plan.invalid + plan.duplicate + plan.conflict;
  if (skipped > 0) {
    lines.push(
      `  not sent (invalid ${plan.invalid}, duplicate ${plan.duplicate}, conflict ${plan.conflict})`,
    );
  }
  return lines;
}

/** What the person must type to go on: the number of deactivations, or of activations when there are none. */
export function confirmationWord(plan: Plan): { answer: string; what: string } {
  if (plan.deactivate > 0)
    return { answer: String(plan.deactivate), what: `${plan.deactivate} deactivations` };
  return { answer: String(plan.activate), what: `${plan.activate} activations` };
}
