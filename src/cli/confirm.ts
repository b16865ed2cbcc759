import { createInterface } from "node:readline/promises";
import type { PlanDeps } from "../app/plan-and-confirm.js";
import type { TransferItem } from "../zoom/operations/index.js";
import { confirmationWord, describePlan, describeUpcoming } from "./plan-text.js";

/**
 * Show the plan and ask the person to type the number of deactivations (or activations) to go on. Typing a
 * number, not "y", makes them read the plan: a wrong HR export shows up as a number nobody expected.
 */
export function createConfirm(
  input: NodeJS.ReadableStream,
  output: NodeJS.WritableStream,
  notes: string[] = [],
  transfer: readonly TransferItem[] = [],
): NonNullable<PlanDeps["confirm"]> {
  return async (plan, later = { count: 0, rows: [] }) => {
    const { answer, what } = confirmationWord(plan);
    const lines = [...describePlan(plan, transfer), ...describeUpcoming(later.count, later.rows.slice(0, 5))];
    output.write(`\nAbout to change users in Zoom:\n${lines.join("\n")}\n`);
    for (const note of notes) output.write(`${note}\n`);
    const rl = createInterface({ input, output, terminal: false });
    try {
      const typed = await rl.question(`Type ${answer} to go ahead with ${what}, anything else to stop: `);
      return typed.trim() === answer;
    } catch {
      // stdin closed (Ctrl-D): that is not a yes.
      return false;
    } finally {
      rl.close();
    }
  };
}
