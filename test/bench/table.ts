import { describeGoal, type Figure, verdictFor } from "./goals.js";

/** One markdown table: a row per figure, the goal beside it, and whether it was met. */
export function renderTable(figures: readonly Figure[]): string {
  const lines = ["| scenario | candidate | figure | goal | measured | result |", "|---|---|---|---|---|---|"];
  for (const figure of figures) {
    const verdict = verdictFor(figure.value, figure.goal);
    const shown = figure.note === undefined ? figure.shown : `${figure.shown} (${figure.note})`;
    const result = verdict === "FAIL" ? "**FAIL**" : verdict === "info" ? "" : verdict;
    lines.push(
      `| ${figure.scenario} | ${figure.candidate} | ${figure.name} | ${describeGoal(figure.goal, figure.unit)} | ${shown} | ${result} |`,
    );
  }
  return `${lines.join("\n")}\n`;
}

export function failures(figures: readonly Figure[]): Figure[] {
  return figures.filter((figure) => verdictFor(figure.value, figure.goal) === "FAIL");
}
