import { closeSync, readFileSync, writeSync } from "node:fs";
import { OffboardError } from "../domain/errors.js";
import { createPrivateFile, replacePrivateFile } from "../report/private-file.js";
import { type PlanFile, parsePlan, planText } from "./plan-file.js";

/** A new plan file, 0600 (it names people), never over an existing one: a plan may carry approvals. */
export function writeNewPlan(path: string, plan: PlanFile): void {
  const fd = createPrivateFile(path, "plan", "--out");
  try {
    writeSync(fd, planText(plan));
  } catch (error) {
    throw new OffboardError(
      "REPORT_UNWRITABLE",
      `cannot write the plan ${path}: ${(error as Error).message}`,
      {
        cause: error,
      },
    );
  } finally {
    closeSync(fd);
  }
}

export function readPlan(path: string): PlanFile {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (error) {
    throw new OffboardError("PLAN_UNREADABLE", `cannot read the plan ${path}: ${(error as Error).message}`, {
      cause: error,
    });
  }
  return parsePlan(text, path);
}

/** The plan with an approval added, replacing the file whole. */
export function replacePlan(path: string, plan: PlanFile): void {
  replacePrivateFile(path, planText(plan));
}
