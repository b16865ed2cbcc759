import type { JsonSummary } from "./json-summary.js";

/** The verification in a sentence, for the page. */
export function verificationWords(verification: JsonSummary["verification"]): string | undefined {
  if (verification === undefined || verification === null) return undefined;
  if (verification.failed !== null) return `not done: ${verification.failed}`;
  const parts = [`${verification.checked} applied rows read back`];
  parts.push(
    verification.not_in_state === 0
      ? "all in the state Zoom said"
      : `${verification.not_in_state} not in that state`,
  );
  if (verification.unverifiable > 0)
    parts.push(`${verification.unverifiable} sign-outs leave nothing to read`);
  return parts.join("; ");
}
