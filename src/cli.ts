import { readFileSync, realpathSync, rmSync } from "node:fs";
import { hostname, tmpdir } from "node:os";
import { basename, dirname, extname } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { Command, CommanderError, Option } from "commander";
import { createStopControl } from "./batch/stop-control.js";
import { createConfirm } from "./cli/confirm.js";
import { startEmbeddedSimulator } from "./cli/embedded-simulator.js";
import { terminalLine } from "./cli/log-lines.js";
import { createProgress } from "./cli/progress.js";
import { type RunConfig, type RunFlags, resolveRunConfig } from "./cli/run-config.js";
import { simulateCommand } from "./commands/simulate.js";
import { writeUndoInput } from "./commands/undo-input.js";
import { isOffboardError } from "./domain/errors.js";
import { createLogger, type Logger } from "./log/logger.js";
import { defaultReportPath } from "./report/default-path.js";
import { readReportFile } from "./report/read-report.js";
import type { ReportWriter } from "./report/report-writer.js";
import { formatSummary } from "./report/summary.js";
import { acquireRunLock, lockPaths, type RunLock } from "./run-lock.js";
import { runOffboard } from "./run-offboard.js";
import { VERSION } from "./version.js";

// The one file that touches process: argv, env, stdin/stdout/stderr, signals and the exit code.

const EXIT_CODES_HELP = `
Credentials come from the environment only: ZOOM_ACCOUNT_ID, ZOOM_CLIENT_ID, ZOOM_CLIENT_SECRET.
Exit codes: 0 all rows fine, 1 some rows need attention, 2 nothing sent (usage, config, file, another run
going), 3 stopped early: run again with --resume <its report> to finish.`;

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
    .option("--share <fraction>", "use only this part of the Light budget, e.g. 0.6 (default 1: all of it)")
    .option(
      "--redis <url>",
      "share one Light budget with every runner of the account through Redis (env ZOOM_OFFBOARD_REDIS_URL)",
    )
    .option("--concurrency <n>", "most requests in flight at once (default: --rps)")
    .option("--max-attempts <n>", "attempts per row, the first included (default 5)")
    .option("--timeout <ms>", "per-request timeout in milliseconds (default 15000)")
    .option("--api-url <url>", "API base (env ZOOM_API_URL, default https://api.zoom.us/v2)")
    .option("--oauth-url <url>", "token endpoint (env ZOOM_OAUTH_URL, default https://zoom.us/oauth/token)")
    .option("--simulate", "run against an in-process Zoom simulator on loopback; needs no credentials")
    .option("--sim-users <csv>", "with --simulate: seed the simulator's directory from id,email,status,role")
    .option(
      "--token-wait <ms>",
      "retry an unavailable token endpoint this long, then stop (exit 3; default 60000)",
    )
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
      .option("--action <action>", "activate | deactivate, for files without an action column")
      .option(
        "--resume <report.csv>",
        "carry over the final rows of an earlier run's report; process the rest",
      )
      .option("--force", "with --resume: go on even if the input is not the file the report was written for"),
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
    try {
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
    } finally {
      // The derived input holds emails: it lives only as long as the undo.
      rmSync(dirname(undo.path), { recursive: true, force: true });
    }
  });

  program.addCommand(simulateCommand());
  return program;
}

function resolveConfig(input: string, flags: RunFlags): RunConfig {
  return resolveRunConfig(input, flags, process.env, { interactive: isInteractive() });
}

/** https://no-color.org: a NO_COLOR that is set and not empty turns colours off. */
function wantsColor(env: NodeJS.ProcessEnv): boolean {
  return (env.NO_COLOR ?? "") === "";
}

/** A person can answer: both the question's stream and the answer's are a terminal. */
function isInteractive(): boolean {
  return process.stdin.isTTY === true && process.stderr.isTTY === true;
}

async function runCommand(initial: RunConfig, notes: string[] = []): Promise<number> {
  let config = initial;
  const terminal = process.stderr.isTTY === true;
  const progress = createProgress(process.stderr, terminal);
  const logger = createLogger({
    level: config.logLevel,
    destination: progress.logStream,
    terminal: terminal ? { color: wantsColor(process.env), line: terminalLine } : undefined,
  });
  for (const note of notes) logger.warn(note);
  const stop = createStopControl();
  const lock = takeRunLock(config, logger);
  // process.exit() skips finally blocks; the lock must not outlive us on any path.
  process.on("exit", () => lock.release());
  let report: ReportWriter | undefined;
  const removeSignals = onSignals(
    logger,
    (signal) => stop.stop({ kind: "signal", signal }),
    () => {
      // Rows Zoom decided are on disk already (durable writes): write what is buffered and release the lock.
      // Rows still in flight stay out of the report, so a later --resume sends them again.
      try {
        report?.flush();
      } finally {
        lock.release();
      }
    },
  );

  const embedded = config.simulate ? await startEmbeddedSimulator(config) : undefined;
  if (embedded !== undefined) {
    config = embedded.config;
    logger.info({ apiUrl: config.apiUrl }, "running against the local simulator; nothing reaches Zoom");
  }
  try {
    const summary = await runOffboard(config, {
      logger,
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
      onReportOpened: (writer) => {
        report = writer;
      },
    });
    progress.stop();
    // At a terminal the summary below says it all; a scheduler's log keeps the outcome as one JSON line.
    if (!terminal) {
      logger.info(
        { outcomes: summary.outcomes, exitCode: summary.exit_code, report: summary.report },
        "run finished",
      );
    }
    process.stdout.write(config.json ? `${JSON.stringify(summary)}\n` : formatSummary(summary));
    return summary.exit_code;
  } finally {
    progress.stop();
    removeSignals();
    await embedded?.simulator.close();
    lock.release();
  }
}

/** First SIGINT/SIGTERM: stop sending and drain. Second: `quit` (flush, unlock), then leave at once. */
function onSignals(logger: Logger, stop: (signal: string) => void, quit: () => void): () => void {
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
      try {
        quit();
      } finally {
        process.exit(3);
      }
    }
  };
  process.on("SIGINT", handler);
  process.on("SIGTERM", handler);
  return () => {
    process.off("SIGINT", handler);
    process.off("SIGTERM", handler);
  };
}

function takeRunLock(config: RunConfig, logger: Logger): RunLock {
  const reportDir = config.reportPath === undefined ? "reports" : dirname(config.reportPath);
  let inputRealPath: string | undefined;
  try {
    inputRealPath = realpathSync(config.inputPath);
  } catch {
    // A missing input is reported by the run itself (exit 2, naming the file); there is nothing to lock.
  }
  let bootId: string | null = null;
  try {
    bootId = readFileSync("/proc/sys/kernel/random/boot_id", "utf8").trim();
  } catch {
    // Not Linux: a pid is judged by liveness alone.
  }
  return acquireRunLock(
    lockPaths(reportDir, inputRealPath, tmpdir()),
    { input: inputRealPath ?? config.inputPath, reportDir },
    {
      pid: process.pid,
      host: hostname(),
      bootId,
      now: () => new Date(),
      isAlive: (pid) => {
        try {
          process.kill(pid, 0);
          // A killed process whose parent has not reaped it yet still answers signal 0, but it is gone.
          return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, "utf8"));
        } catch (error) {
          // EPERM: it exists but belongs to another user.
          return (error as NodeJS.ErrnoException).code !== "ESRCH";
        }
      },
      logger,
    },
  );
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
