import { CommanderError } from "commander";
import { applyCommand } from "./cli/commands/apply.js";
import { approveCommand } from "./cli/commands/approve.js";
import { planCommand } from "./cli/commands/plan.js";
import { reportCommand } from "./cli/commands/report.js";
import { resolveConfig, runCommand } from "./cli/commands/run.js";
import { undoCommand } from "./cli/commands/undo.js";
import { failureOf } from "./cli/exit-codes.js";
import { buildProgram } from "./cli/program.js";

// The entry point: the command line in, an exit code out. Only src/cli/ touches `process`.

async function main(): Promise<void> {
  const program = buildProgram({
    run: async (input, flags) => {
      process.exitCode = await runCommand(resolveConfig(input, flags));
    },
    undo: async (reportPath, flags) => {
      process.exitCode = await undoCommand(reportPath, flags);
    },
    report: async (reportPath, flags) => {
      process.exitCode = await reportCommand(reportPath, flags);
    },
    plan: async (input, flags) => {
      process.exitCode = await planCommand(input, flags);
    },
    approve: async (planPath, flags) => {
      process.exitCode = await approveCommand(planPath, flags);
    },
    apply: async (planPath, flags) => {
      process.exitCode = await applyCommand(planPath, flags);
    },
  });
  try {
    await program.parseAsync(process.argv);
  } catch (error) {
    if (error instanceof CommanderError) {
      // --help and --version end here too, with exit code 0.
      process.exitCode = error.exitCode === 0 ? 0 : 2;
      return;
    }
    const failure = failureOf(error);
    process.stderr.write(`zoom-offboard: ${failure.message}\n`);
    process.exitCode = failure.exitCode;
  }
}

await main();
// Keep-alive sockets and timers are closed above; exit explicitly so a stray handle cannot keep cron waiting.
process.exit(process.exitCode ?? 0);
