import type { JsonSummary } from "./json-summary.js";

const rows = (count: number, what: string): string => `${count} ${what}${count === 1 ? "" : "s"}`;

/** The verification in a sentence, for the summary and the page. */
export function verificationWords(verification: JsonSummary["verification"]): string | undefined {
  if (verification === undefined || verification === null) return undefined;
  if (verification.failed !== null) return `not done: ${verification.failed}`;
  if (verification.checked === 0 && verification.unverifiable === 0)
    return "nothing was applied to read back";
  const parts: string[] = [];
  if (verification.checked > 0) {
    parts.push(`${rows(verification.checked, "applied row")} read back`);
    parts.push(
      verification.not_in_state === 0
        ? "all in the state Zoom said"
        : `${verification.not_in_state} not in that state`,
    );
  }
  if (verification.unverifiable > 0) {
    const verb = verification.unverifiable === 1 ? "leaves" : "leave";
    parts.push(`${rows(verification.unverifiable, "sign-out")} ${verb} nothing to read`);
  }
  return parts.join("; ");
}
