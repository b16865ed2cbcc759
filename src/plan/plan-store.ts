import { closeSync, fchmodSync, mkdirSync, openSync, readFileSync, writeSync } from "node:fs";
import { dirname } from "node:path";
import { OffboardError } from "../domain/errors.js";
import { replacePrivateFile } from "../report/private-file.js";
import { type PlanFile, parsePlan, planText } from "./plan-file.js";

/** A new plan file, 0600 (it names people), never over an existing one: a plan may carry approvals. */
export function writeNewPlan(path: string, plan: PlanFile): void {
  try {
    mkdirSync(dirname(path), { recursive: true });
    const fd = openSync(path, "wx", 0o600);
    try {
      fchmodSync(fd, 0o600);
      writeSync(fd, planText(plan));
    } finally {
      closeSync(fd);
    }
  } catch (error) {
    const reason =
      (error as NodeJS.ErrnoException).code === "EEXIST"
        ? "it already exists (plans are never overwritten; choose another --out)"
        : (error as Error).message;
    throw new OffboardError("REPORT_UNWRITABLE", `cannot write the plan ${path}: ${reason}`, {
      cause: error,
    });
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
