import { basename, extname } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { Command, CommanderError, Option } from "commander";
import { createStopControl } from "./batch/stop-control.js";
import { createConfirm } from "./cli/confirm.js";
import { startEmbeddedSimulator } from "./cli/embedded-simulator.js";
import { createProgress } from "./cli/progress.js";
import { type RunConfig, type RunFlags, resolveRunConfig } from "./cli/run-config.js";
import { simulateCommand } from "./commands/simulate.js";
import { writeUndoInput } from "./commands/undo-input.js";
import { isOffboardError } from "./errors.js";
import { createLogger, type Logger } from "./log/logger.js";
import { defaultReportPath } from "./report/default-path.js";
import { readReportFile } from "./report/read-report.js";
import { formatSummary } from "./report/summary.js";
import { runOffboard } from "./run-offboard.js";
import { VERSION } from "./version.js";
import { createDispatcher } from "./zoom/dispatcher.js";

// The one file that touches process: argv, env, stdin/stdout/stderr, signals and the exit code.

const EXIT_CODES_HELP = `
Credentials come from the environment only: ZOOM_ACCOUNT_ID, ZOOM_CLIENT_ID, ZOOM_CLIENT_SECRET.
Exit codes: 0 all rows fine, 1 some rows need attention, 2 nothing sent (usage, config, file), 3 stopped early.`;

/** The options `run` and `undo` share: pacing, safety, look-ups, output. */
function addBatchOptions(command: Command): Command {
  return command
    .option(
      "--dry-run",
      "change nothing: preview what would be sent (with credentials or --simulate, from Zoom's live state)",
    )
    .option("--report <file>", "where the outcome report goes (default reports/<input>-<UTC time>.csv)")
    .option(
      "--lookup <how>",
      "look users up before sending: auto | per-user | directory | none (default auto)",
    )
    .option(
      "--max-deactivations <n|p%>",
      "stop before sending if the file would deactivate more (default 100)",
    )
    .option("--protect <file>", "user IDs, emails and *@domain patterns never to change, one a line")
    .option("--yes", "do not ask for confirmation (needed for real runs without a terminal)")
    .addOption(
      new Option("--tier <tier>", "the account's plan: free | pro | business | custom (env ZOOM_TIER)"),
    )
    .option("--rps <n>", "Light requests per second, at most the tier's limit (default: the limit)")
    .option("--concurrency <n>", "most requests in flight at once (default: --rps)")
    .option("--max-attempts <n>", "attempts per row, the first included (default 5)")
    .option("--timeout <ms>", "per-request timeout in milliseconds (default 15000)")
    .option("--api-url <url>", "API base (env ZOOM_API_URL, default https://api.zoom.us/v2)")
    .option("--oauth-url <url>", "token endpoint (env ZOOM_OAUTH_URL, default https://zoom.us/oauth/token)")
    .option("--simulate", "run against an in-process Zoom simulator on loopback; needs no credentials")
    .option("--sim-users <csv>", "with --simulate: seed the simulator's directory from id,email,status,role")
    .option("--json", "print the run summary as one JSON object on stdout")
    .option("--log-level <level>", "fatal | error | warn | info | debug | trace | silent (env LOG_LEVEL)")
    .addHelpText("after", EXIT_CODES_HELP);
}

function buildProgram(): Command {
  const program = new Command("zoom-offboard")
    .description(
      "Offboard people from Zoom in bulk: a CSV of users in, paced status changes, a per-row report out.",
    )
    .version(VERSION, "-V, --version")
    .showHelpAfterError()
    .exitOverride();

  addBatchOptions(
    program
      .command("run")
      .description("apply the file's status changes (or preview them with --dry-run)")
      .argument("<input.csv>", "CSV with a user column (user_id, email, ...) and an action column")
      .option("--action <action>", "activate | deactivate, for files without an action column"),
  ).action(async (input: string, flags: RunFlags) => {
    process.exitCode = await runCommand(resolveConfig(input, flags));
  });

  addBatchOptions(
    program
      .command("undo")
      .description("reverse exactly the rows a report shows applied (deactivate <-> activate)")
      .argument("<report.csv>", "a report written by zoom-offboard run (or undo)"),
  ).action(async (reportPath: string, flags: RunFlags) => {
    const { rows } = await readReportFile(reportPath);
    const undo = writeUndoInput(reportPath, rows);
    const config = resolveConfig(undo.path, flags);
    const name = `${basename(reportPath, extname(reportPath))}-undo.csv`;
    process.exitCode = await runCommand(
      {
        ...config,
        inputLabel: reportPath,
        reportPath: config.reportPath ?? defaultReportPath(name, new Date()),
      },
      [
        "Note: reactivating a user does not give back the licences that deactivation removed;",
        "assign them again in Zoom after the undo.",
      ],
    );
  });

  program.addCommand(simulateCommand());
  return program;
}

function resolveConfig(input: string, flags: RunFlags): RunConfig {
  return resolveRunConfig(input, flags, process.env, { interactive: isInteractive() });
}

/** A person can answer: both the question's stream and the answer's are a terminal. */
function isInteractive(): boolean {
  return process.stdin.isTTY === true && process.stderr.isTTY === true;
}

async function runCommand(initial: RunConfig, notes: string[] = []): Promise<number> {
  let config = initial;
  const terminal = process.stderr.isTTY === true;
  const logger = createLogger({ level: config.logLevel, destination: process.stderr, pretty: terminal });
  for (const note of notes) logger.warn(note);
  const stop = createStopControl();
  const removeSignals = onSignals(logger, (signal) => stop.stop({ kind: "signal", signal }));

  const embedded = config.simulate ? await startEmbeddedSimulator(config) : undefined;
  if (embedded !== undefined) {
    config = embedded.config;
    logger.info({ apiUrl: config.apiUrl }, "running against the local simulator; nothing reaches Zoom");
  }
  const dispatcher = createDispatcher({ connections: config.concurrency + 4 });
  const progress = createProgress(process.stderr, terminal);
  try {
    const summary = await runOffboard(config, {
      logger,
      dispatcher,
      stop,
      now: Date.now,
      random: Math.random,
      sleep: (ms, signal) => sleep(ms, undefined, { signal }),
      confirm:
        config.dryRun || config.yes || !isInteractive()
          ? undefined
          : createConfirm(process.stdin, process.stderr, notes),
      onPlan: (scan) => progress.start(scan.dataRows),
      onRow: (row) => progress.row(row),
    });
    progress.stop();
    process.stdout.write(config.json ? `${JSON.stringify(summary)}\n` : formatSummary(summary));
    return summary.exit_code;
  } finally {
    progress.stop();
    removeSignals();
    await dispatcher.close();
    await embedded?.simulator.close();
  }
}

/** First SIGINT/SIGTERM: stop sending and drain. Second: leave at once (every decided row is already on disk). */
function onSignals(logger: Logger, stop: (signal: string) => void): () => void {
  let signals = 0;
  const handler = (signal: NodeJS.Signals): void => {
    signals += 1;
    if (signals === 1) {
      logger.warn(
        { signal },
        "stopping: letting requests in flight finish; press Ctrl-C again to quit at once",
      );
      stop(signal);
    } else {
      process.exit(3);
    }
  };
  process.on("SIGINT", handler);
  process.on("SIGTERM", handler);
  return () => {
    process.off("SIGINT", handler);
    process.off("SIGTERM", handler);
  };
}

async function main(): Promise<void> {
  const program = buildProgram();
  try {
    await program.parseAsync(process.argv);
  } catch (error) {
    if (error instanceof CommanderError) {
      // --help and --version end here too, with exit code 0.
      process.exitCode = error.exitCode === 0 ? 0 : 2;
      return;
    }
    if (isOffboardError(error)) {
      process.stderr.write(`zoom-offboard: ${error.message}\n`);
      process.exitCode = 2;
      return;
    }
    process.stderr.write(
      `zoom-offboard: internal error: ${error instanceof Error ? error.stack : String(error)}\n`,
    );
    process.exitCode = 3;
  }
}

await main();
// Keep-alive sockets and timers are closed above; exit explicitly so a stray handle cannot keep cron waiting.
process.exit(process.exitCode ?? 0);
