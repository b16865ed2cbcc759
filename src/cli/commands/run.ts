import { randomBytes } from "node:crypto";
import { setTimeout as sleep } from "node:timers/promises";
import { runOffboard } from "../../app/run-offboard.js";
import { createStopControl } from "../../domain/stop.js";
import type { ReportWriter } from "../../report/report-writer.js";
import { createTimeline, type TimelineRecorder } from "../../report/timeline.js";
import { createConfirm } from "../confirm.js";
import { describeStop } from "../describe-stop.js";
import { startEmbeddedSimulator } from "../embedded-simulator.js";
import { type JsonSummary, toJsonSummary } from "../json-summary.js";
import { takeRunLock } from "../lock.js";
import { terminalLine } from "../log-lines.js";
import { createLogger, type Logger } from "../logger.js";
import { createProgress } from "../progress.js";
import { describeRun, finishReport } from "../report-page.js";
import { type RunConfig, type RunFlags, resolveRunConfig } from "../run-config.js";
import { onSignals } from "../signals.js";
import { formatSummary } from "../summary-text.js";

// `run`: the process around one run of the pipeline — terminal or not, signals, the lock, stdout.

export function resolveConfig(input: string, flags: RunFlags): RunConfig {
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

export async function runCommand(
  initial: RunConfig,
  notes: string[] = [],
  command: "run" | "undo" = "run",
): Promise<number> {
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
  const startedAt = Date.now();
  // The run's pace, answers and stops, kept in its sidecar and drawn in its HTML report.
  const timeline = createTimeline({ startedAtMs: startedAt });
  stop.onStop((reason) =>
    timeline.event(Date.now(), { type: "stop", kind: reason.kind, message: describeStop(reason) }),
  );
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
    const result = await runOffboard(config, {
      logger,
      stop,
      now: Date.now,
      random: Math.random,
      sleep: (ms, signal) => sleep(ms, undefined, { signal }),
      runnerId: `${process.pid}-${randomBytes(4).toString("hex")}`,
      timeline,
      confirm:
        config.dryRun || config.yes || !isInteractive()
          ? undefined
          : createConfirm(process.stdin, process.stderr, notes, config.transfer),
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
        { outcomes: result.outcomes, exitCode: result.exitCode, report: result.report },
        "run finished",
      );
    }
    const summary = toJsonSummary(result);
    summary.html_report = await writePage(
      result.report,
      summary,
      config,
      {
        command,
        startedAt,
        endedAt: Date.now(),
        stop: result.stop,
      },
      timeline,
      logger,
    );
    process.stdout.write(config.json ? `${JSON.stringify(summary)}\n` : formatSummary(summary));
    return result.exitCode;
  } finally {
    progress.stop();
    removeSignals();
    await embedded?.simulator.close();
    lock.release();
  }
}

/**
 * The run's end in its sidecar, and its HTML page beside the report. A page that cannot be written is worth a
 * warning, not a different exit code: the CSV holds every row.
 */
async function writePage(
  reportPath: string,
  summary: JsonSummary,
  config: RunConfig,
  run: Parameters<typeof describeRun>[2],
  timeline: TimelineRecorder,
  logger: Logger,
): Promise<string | null> {
  try {
    return await finishReport(reportPath, describeRun(summary, config, run), timeline.toJSON(), new Date());
  } catch (error) {
    logger.warn({ err: error }, `the HTML report was not written: ${(error as Error).message}`);
    return null;
  }
}
