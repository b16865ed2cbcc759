import { rmSync } from "node:fs";
import { basename, dirname, extname } from "node:path";
import { defaultReportPath } from "../../report/default-path.js";
import { readReportFile } from "../../report/read-report.js";
import type { RunFlags } from "../run-config.js";
import { resolveConfig, runCommand } from "./run.js";
import { writeUndoInput } from "./undo-input.js";

/** `undo <report.csv>`: run the reverse of every applied row of that report, as a run of its own. */
export async function undoCommand(reportPath: string, flags: RunFlags): Promise<number> {
  const { rows } = await readReportFile(reportPath);
  const undo = writeUndoInput(reportPath, rows, new Date());
  try {
    const config = resolveConfig(undo.path, flags);
    const name = `${basename(reportPath, extname(reportPath))}-undo.csv`;
    return await runCommand(
      {
        ...config,
        inputLabel: reportPath,
        extraRows: undo.irreversible,
        reportPath: config.reportPath ?? defaultReportPath(name, new Date()),
      },
      [
        "Note: reactivating a user does not give back the licences that deactivation removed;",
        "assign them again in Zoom after the undo.",
      ],
      "undo",
    );
  } finally {
    // The derived input holds emails: it lives only as long as the undo.
    rmSync(dirname(undo.path), { recursive: true, force: true });
  }
}
