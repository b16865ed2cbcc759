import { runOffboard } from "../../app/run-offboard.js";
import type { ApprovedChanges } from "../../domain/plan.js";
import { userKey } from "../../domain/users.js";
import { createConfirm } from "../confirm.js";
import { type JsonSummary, toJsonSummary } from "../json-summary.js";
import type { Logger } from "../logger.js";
import { describeRun, finishReport, type PlanNamed } from "../report-page.js";
import { type RunConfig, type RunFlags, resolveRunConfig } from "../run-config.js";
import { isInteractive, type RunProcess, withRunProcess } from "../run-process.js";
import { formatSummary } from "../summary-text.js";
import { quarantineIfOver } from "./quarantine.js";

// `run`: one run of the pipeline inside the process around it, then its summary and HTML page.

export function resolveConfig(input: string, flags: RunFlags): RunConfig {
  return resolveRunConfig(input, flags, process.env, { interactive: isInteractive() });
}

/** What an apply adds to a run: the plan it carries out. */
export interface ApplyingPlan {
  named: PlanNamed;
  approved: ApprovedChanges;
  /** The plan file: two applies of one plan must not run at once. */
  lockInput: string;
}

export async function runCommand(
  initial: RunConfig,
  notes: string[] = [],
  command: "run" | "undo" | "apply" = "run",
  applying?: ApplyingPlan,
): Promise<number> {
  return withRunProcess(
    initial,
    notes,
    async (run) => {
      if (command === "run" && run.config.planRequiredOver !== undefined && !run.config.dryRun) {
        const quarantined = await quarantineIfOver(run, run.config.planRequiredOver);
        if (quarantined !== undefined) return quarantined;
      }
      return runAndReport(run, notes, command, applying);
    },
    applying?.lockInput,
  );
}

/** Run the pipeline, then write its page and print its summary; returns the exit code. */
async function runAndReport(
  run: RunProcess,
  notes: readonly string[],
  command: "run" | "undo" | "apply",
  applying: ApplyingPlan | undefined,
): Promise<number> {
  const { config, logger, progress } = run;
  // A dry run says whether the real one would be held for approval.
  const usersToChange = new Set<string>();
  const result = await runOffboard(
    applying === undefined ? config : { ...config, approved: applying.approved, verify: true },
    {
      ...run.deps(),
      onPlanned:
        config.dryRun && config.planRequiredOver !== undefined
          ? (change) => usersToChange.add(userKey(change.user))
          : undefined,
      confirm:
        config.dryRun || config.yes || !isInteractive()
          ? undefined
          : createConfirm(process.stdin, process.stderr, [...notes], config.transfer),
    },
  );
  progress.stop();
  if (config.planRequiredOver !== undefined && usersToChange.size > config.planRequiredOver) {
    result.warnings.push(
      `a real run would write a plan for approval instead of sending: it would change ${usersToChange.size} users, more than --plan-required-over ${config.planRequiredOver}`,
    );
  }
  // At a terminal the summary below says it all; a scheduler's log keeps the outcome as one JSON line.
  if (!run.terminal) {
    logger.info(
      { outcomes: result.outcomes, exitCode: result.exitCode, report: result.report },
      "run finished",
    );
  }
  const summary = toJsonSummary(result, applying?.named);
  summary.html_report = await writePage(
    result.report,
    summary,
    config,
    {
      command,
      startedAt: run.startedAt,
      endedAt: Date.now(),
      stop: result.stop,
      plan: applying?.named,
    },
    run,
    logger,
  );
  process.stdout.write(config.json ? `${JSON.stringify(summary)}\n` : formatSummary(summary));
  return result.exitCode;
}

/**
 * The run's end in its sidecar, and its HTML page beside the report. A page that cannot be written is worth a
 * warning, not a different exit code: the CSV holds every row.
 */
async function writePage(
  reportPath: string,
  summary: JsonSummary,
  config: RunConfig,
  about: Parameters<typeof describeRun>[2],
  run: RunProcess,
  logger: Logger,
): Promise<string | null> {
  try {
    return await finishReport(
      reportPath,
      describeRun(summary, config, about),
      run.timeline.toJSON(),
      new Date(),
    );
  } catch (error) {
    logger.warn({ err: error }, `the HTML report was not written: ${(error as Error).message}`);
    return null;
  }
}
