import { OUTCOMES } from "../../domain/outcomes.js";

/** Whether an outcome's rows need a person; outcomes this version does not know are shown as neither. */
export type Attention = "attention" | "fine" | "unknown";

interface OutcomeInfo {
  label: string;
  attention: Attention;
  /** One line for the person reading the page. */
  meaning: string;
}

const KNOWN: Record<string, OutcomeInfo> = {
  applied: { label: "applied", attention: "fine", meaning: "Zoom accepted the change" },
  already: { label: "already in that state", attention: "fine", meaning: "nothing to change" },
  would_apply: { label: "would apply (dry run)", attention: "fine", meaning: "a real run would send it" },
  duplicate: { label: "duplicate", attention: "fine", meaning: "an earlier row asks the same" },
  protected: { label: "protected", attention: "fine", meaning: "never sent: protect list, owner or admin" },
  scheduled: {
    label: "scheduled for later",
    attention: "fine",
    meaning: "dated after this run; a later run sends it",
  },
  superseded: {
    label: "overridden by a later step",
    attention: "fine",
    meaning: "a step dated later makes it moot; nothing sent",
  },
  irreversible: {
    label: "cannot be undone",
    attention: "attention",
    meaning: "a sign-out or removal nothing can take back; nothing sent",
  },
  invalid: { label: "invalid", attention: "attention", meaning: "the row is wrong; never sent" },
  conflict: { label: "conflict", attention: "attention", meaning: "the file asks both actions; never sent" },
  not_found: { label: "not found", attention: "attention", meaning: "Zoom has no such user" },
  rejected: { label: "rejected by Zoom", attention: "attention", meaning: "Zoom refused for good" },
  failed: { label: "failed", attention: "attention", meaning: "transient errors until attempts ran out" },
  drifted: {
    label: "changed since the plan",
    attention: "attention",
    meaning: "the user's state moved since the plan was approved; not changed",
  },
  unverified: {
    label: "not verified",
    attention: "attention",
    meaning: "Zoom said applied, but the directory read afterwards shows otherwise",
  },
  not_attempted: {
    label: "not attempted",
    attention: "attention",
    meaning: "the run stopped before sending it",
  },
};

export function outcomeInfo(outcome: string): OutcomeInfo {
  return (
    (Object.hasOwn(KNOWN, outcome) ? KNOWN[outcome] : undefined) ?? {
      label: outcome,
      attention: "unknown",
      meaning: "an outcome this version of the report does not know",
    }
  );
}

/** Rows that need a person first, then the fine ones, each in the report's own order; unknown ones last. */
export function outcomeOrder(outcomes: Iterable<string>): string[] {
  const rank = (outcome: string): number => {
    const attention = outcomeInfo(outcome).attention;
    const base = attention === "attention" ? 0 : attention === "fine" ? 100 : 200;
    const known = (OUTCOMES as readonly string[]).indexOf(outcome);
    return base + (known === -1 ? 99 : known);
  };
  return [...outcomes].sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
}

/** Colours by attention: calm for what is fine, warm for what needs a person, grey for the unknown. */
export const ATTENTION_COLOURS: Record<Attention, string> = {
  attention: "#c2410c",
  fine: "#4d7c6b",
  unknown: "#8a8f98",
};

/** The exit code in a few words, for the headline. */
export function exitCodeTitle(code: number): string {
  return (
    ["Every row is fine", "Some rows need a person", "Nothing was sent", "Stopped early"][code] ??
    `Exit code ${code}`
  );
}

/** The README's words for each exit code. */
export function exitCodeMeaning(code: number): string {
  switch (code) {
    case 0:
      return "every row ended applied, already, would_apply, duplicate or protected";
    case 1:
      return "the run finished, and at least one row is invalid, conflict, not_found, rejected, failed or irreversible";
    case 2:
      return "usage, configuration or file error: nothing was sent";
    case 3:
      return "stopped early: undecided rows are not_attempted; finish with --resume";
    default:
      return "not an exit code this tool gives";
  }
}
