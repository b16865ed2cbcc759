import { setTimeout as sleep } from "node:timers/promises";
import { Command, CommanderError, Option } from "commander";
import { createStopControl } from "./batch/stop-control.js";
import { startEmbeddedSimulator } from "./cli/embedded-simulator.js";
import { createProgress } from "./cli/progress.js";
import { type RunFlags, resolveRunConfig } from "./cli/run-config.js";
import { simulateCommand } from "./commands/simulate.js";
import { isOffboardError } from "./errors.js";
import { createLogger } from "./log/logger.js";
import { formatSummary } from "./report/summary.js";
import { runOffboard } from "./run-offboard.js";
import { VERSION } from "./version.js";
import { createDispatcher } from "./zoom/dispatcher.js";

// The one file that touches process: argv, env, stdout/stderr, signals and the exit code.

function buildProgram(): Command {
  const program = new Command("zoom-offboard")
    .description(
      "Offboard people from Zoom in bulk: a CSV of users in, paced status changes, a per-row report out.",
    )
    .version(VERSION, "-V, --version")
    .showHelpAfterError()
    .exitOverride();

  program
    .command("run")
    .description("apply the file's status changes (or preview them with --dry-run)")
    .argument("<input.csv>", "CSV with a user column (user_id, email, ...) and an action column")
    .option("--dry-run", "change nothing; check the file and report what would be sent")
    .option("--action <action>", "activate | deactivate, for files without an action column")
    .option("--report <file>", "where the outcome report goes (default reports/<input>-<UTC time>.csv)")
    .addOption(
      new Option("--tier <tier>", "the account's plan: free | pro | business | custom (env ZOOM_TIER)"),
    )
    .option("--rps <n>", "status changes per second, at most the tier's Light limit (default: the limit)")
    .option("--concurrency <n>", "most requests in flight at once (default: --rps)")
    .option("--max-attempts <n>", "attempts per row, the first included (default 5)")
    .option("--timeout <ms>", "per-request timeout in milliseconds (default 15000)")
    .option("--api-url <url>", "API base (env ZOOM_API_URL, default https://api.zoom.us/v2)")
    .option("--oauth-url <url>", "token endpoint (env ZOOM_OAUTH_URL, default https://zoom.us/oauth/token)")
    .option("--simulate", "run against an in-process Zoom simulator on loopback; needs no credentials")
    .option("--sim-users <csv>", "with --simulate: seed the simulator's directory from id,email,status,role")
    .option("--json", "print the run summary as one JSON object on stdout")
    .option("--log-level <level>", "fatal | error | warn | info | debug | trace | silent (env LOG_LEVEL)")
    .addHelpText(
      "after",
      `
Credentials come from the environment only: ZOOM_ACCOUNT_ID, ZOOM_CLIENT_ID, ZOOM_CLIENT_SECRET.
Exit codes: 0 all rows fine, 1 some rows need attention, 2 nothing sent (usage, config, file), 3 stopped early.`,
    )
    .action(async (input: string, flags: RunFlags) => {
      process.exitCode = await runCommand(input, flags);
    });

  program.addCommand(simulateCommand());
  return program;
}

async function runCommand(input: string, flags: RunFlags): Promise<number> {
  let config = resolveRunConfig(input, flags, process.env);
  const interactive = process.stderr.isTTY === true;
  const logger = createLogger({ level: config.logLevel, destination: process.stderr, pretty: interactive });
  const stop = createStopControl();
  let signals = 0;
  const onSignal = (signal: NodeJS.Signals): void => {
    signals += 1;
    if (signals === 1) {
      logger.warn(
        { signal },
        "stopping: letting requests in flight finish; press Ctrl-C again to quit at once",
      );
      stop.stop({ kind: "signal", signal });
    } else {
      // Every row Zoom decided is already on disk (durable writes); leave now.
      process.exit(3);
    }
  };
  process.on("SIGINT", onSignal);
  process.on("SIGTERM", onSignal);

  const embedded = config.simulate ? await startEmbeddedSimulator(config) : undefined;
  if (embedded !== undefined) {
    config = embedded.config;
    logger.info({ apiUrl: config.apiUrl }, "running against the local simulator; nothing reaches Zoom");
  }
  const dispatcher = createDispatcher({ connections: config.concurrency + 2 });
  const progress = createProgress(process.stderr, interactive);
  try {
    const summary = await runOffboard(config, {
      logger,
      dispatcher,
      stop,
      now: Date.now,
      random: Math.random,
      sleep: (ms, signal) => sleep(ms, undefined, { signal }),
      onPlan: (scan) => progress.start(scan.dataRows),
      onRow: (row) => progress.row(row),
    });
    progress.stop();
    process.stdout.write(config.json ? `${JSON.stringify(summary)}\n` : formatSummary(summary));
    return summary.exit_code;
  } finally {
    progress.stop();
    await dispatcher.close();
    await embedded?.simulator.close();
  }
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
