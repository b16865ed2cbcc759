/**
 * A benchmark figure and its verdict. Measured figures wobble from run to run (timers, a shared 2-core machine),
 * so a figure that misses its goal by less than NOISE_MARGIN (relative to the goal) is reported as "within noise"
 * and does not fail the run; a larger miss does. Invariants that are counts (429s when the goal is none, requests
 * in a sliding second over the limit) get no margin: one request too many is a real defect, not noise.
 */
export const NOISE_MARGIN = 0.03;

export type Goal =
  | { kind: "atLeast"; value: number; exact?: boolean }
  | { kind: "atMost"; value: number; exact?: boolean }
  | { kind: "none" };

export type Verdict = "pass" | "within noise" | "FAIL" | "info";

export interface Figure {
  scenario: string;
  candidate: string;
  name: string;
  value: number;
  /** How to print the value (unit included). */
  shown: string;
  goal: Goal;
  /** Unit printed after the goal's number (" ms", " MB"). */
  unit?: string;
  /** Anything the reader must know to trust the figure (extrapolated, capped run, ...). */
  note?: string;
}

export function verdictFor(value: number, goal: Goal): Verdict {
  switch (goal.kind) {
    case "none":
      return "info";
    case "atLeast": {
      if (value >= goal.value) return "pass";
      if (goal.exact !== true && value >= goal.value * (1 - NOISE_MARGIN)) return "within noise";
      return "FAIL";
    }
    case "atMost": {
      if (value <= goal.value) return "pass";
      if (goal.exact !== true && value <= goal.value * (1 + NOISE_MARGIN)) return "within noise";
      return "FAIL";
    }
  }
}

export function describeGoal(goal: Goal, unit = ""): string {
  switch (goal.kind) {
    case "none":
      return "—";
    case "atLeast":
      return `≥ ${goal.value}${unit}`;
    case "atMost":
      return `≤ ${goal.value}${unit}`;
  }
}
