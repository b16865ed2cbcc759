import { randomBytes } from "node:crypto";
import { setTimeout as sleep } from "node:timers/promises";
import type { OffboardDeps } from "../app/run-offboard.js";
import { createStopControl, type StopControl } from "../domain/stop.js";
import type { ReportWriter } from "../report/report-writer.js";
import { createTimeline, type TimelineRecorder } from "../report/timeline.js";
import { describeStop } from "./describe-stop.js";
import { startEmbeddedSimulator } from "./embedded-simulator.js";
import { takeRunLock } from "./lock.js";
import { terminalLine } from "./log-lines.js";
import { createLogger, type Logger } from "./logger.js";
import { createProgress, type Progress } from "./progress.js";
import type { RunConfig } from "./run-config.js";
import { onSignals } from "./signals.js";

/** What a command that talks to Zoom gets from the process around it. */
export interface RunProcess {
  /** The config, pointed at the embedded simulator under --simulate. */
  config: RunConfig;
  logger: Logger;
  stop: StopControl;
  progress: Progress;
  /** stderr is a terminal: the summary says it all, and a person may be asked. */
  terminal: boolean;
  startedAt: number;
  timeline: TimelineRecorder;
  /** What the pipeline needs from the process: clock, sleep, randomness, the runner's name, the timeline. */
  deps(): OffboardDeps;
}

/** A person can answer: both the question's stream and the answer's are a terminal. */
export function isInteractive(): boolean {
  return process.stdin.isTTY === true && process.stderr.isTTY === true;
}

/** https://no-color.org: a NO_COLOR that is set and not empty turns colours off. */
function wantsColor(env: NodeJS.ProcessEnv): boolean {
  return (env.NO_COLOR ?? "") === "";
}

/**
 * Run `body` inside what every command that talks to Zoom needs: the logger (on the terminal or as JSON lines),
 * the run lock (on `lockInput`, else the input), signals (a first Ctrl-C stops cleanly, a second flushes the
 * report and quits), and the embedded simulator under --simulate.
 */
export async function withRunProcess(
  initial: RunConfig,
  notes: readonly string[],
  body: (run: RunProcess) => Promise<number>,
  lockInput?: string,
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
  const lock = takeRunLock(lockInput === undefined ? config : { ...config, inputPath: lockInput }, logger);
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
  const runnerId = `${process.pid}-${randomBytes(4).toString("hex")}`;
  try {
    return await body({
      config,
      logger,
      stop,
      progress,
      terminal,
      startedAt,
      timeline,
      deps: () => ({
        logger,
        stop,
        now: Date.now,
        random: Math.random,
        sleep: (ms, signal) => sleep(ms, undefined, { signal }),
        runnerId,
        timeline,
        onPlan: (scan) => progress.start(scan.dataRows),
        onRow: (row) => progress.row(row),
        onReportOpened: (writer) => {
          report = writer;
        },
      }),
    });
  } finally {
    progress.stop();
    removeSignals();
    await embedded?.simulator.close();
    lock.release();
  }
}
