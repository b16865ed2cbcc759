import { Command, Option } from "commander";
import { VERSION } from "../domain/version.js";
import { simulateCommand } from "./commands/simulate.js";
import type { ApplyFlags } from "./plan-config.js";
import type { RunFlags } from "./run-config.js";

const EXIT_CODES_HELP = `
Credentials come from the environment only: ZOOM_ACCOUNT_ID, ZOOM_CLIENT_ID, ZOOM_CLIENT_SECRET.
Exit codes: 0 all rows fine, 1 some rows need attention, 2 nothing sent (usage, config, file, another run
going, a plan refused), 3 stopped early: run again with --resume <its report> to finish (or, with
--plan-required-over, a plan was written for approval instead).`;

/** What a run changes and what it holds back: `run`, `undo` and `plan` take these; an apply takes them from its plan. */
function addChangeOptions(command: Command): Command {
  return command
    .option(
      "--lookup <how>",
      "look users up before sending: auto | per-user | directory | none (default auto)",
    )
    .option(
      "--max-deactivations <n|p%>",
      "stop before sending if the file would deactivate more (default 100)",
    )
    .option(
      "--max-deletions <n|p%>",
      "stop before sending if the file would delete or disassociate more (default 0)",
    )
    .option("--transfer-to <user>", "where a removed user's data goes when their row names no transfer_to")
    .option(
      "--transfer <list>",
      "what moves to the transfer target: meetings, webinars, recordings, whiteboards, clips, notes, docs, visitors (default all)",
    )
    .option("--no-transfer", "let removals go without a transfer target: their data is lost")
    .option("--protect <file>", "user IDs, emails and *@domain patterns never to change, one a line")
    .addOption(
      new Option("--tier <tier>", "the account's plan: free | pro | business | custom (env ZOOM_TIER)"),
    )
    .option("--rps <n>", "Light requests per second, at most the tier's limit (default: the limit)")
    .option("--share <fraction>", "use only this part of the Light budget, e.g. 0.6 (default 1: all of it)");
}

/** Whether to send and where the report goes: `run`, `undo` and `apply`. */
function addSendOptions(command: Command): Command {
  return command
    .option(
      "--dry-run",
      "change nothing: preview what would be sent (with credentials or --simulate, from Zoom's live state)",
    )
    .option("--report <file>", "where the outcome report goes (default reports/<input>-<UTC time>.csv)")
    .option("--yes", "do not ask for confirmation (needed for real runs without a terminal)");
}

/** How to reach Zoom and what to print: every command that talks to Zoom. */
function addConnectionOptions(command: Command): Command {
  return command
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

/** The options `run` and `undo` share: pacing, safety, look-ups, output. */
function addBatchOptions(command: Command): Command {
  return addConnectionOptions(addSendOptions(addChangeOptions(command)));
}

/** The file's own options: `run` and `plan` read an input file. */
function addInputOptions(command: Command): Command {
  return command
    .argument("<input.csv>", "CSV with a user column (user_id, email, ...) and an action column")
    .option(
      "--action <action>",
      "signout | downgrade | license | deactivate | activate | delete | disassociate, for files without an action column",
    )
    .option(
      "--as-of <date-time>",
      "hold the file's dates against this moment instead of now: what will Friday night do? (2026-12-04T01:00)",
    )
    .option(
      "--timezone <zone>",
      "IANA zone a plain date like 2026-12-31 is read in, e.g. Europe/Berlin (default: the machine's, TZ)",
    );
}

/** The command line's grammar; what each command does is in src/cli/commands/. */
export function buildProgram(commands: {
  run(input: string, flags: RunFlags): Promise<void>;
  undo(reportPath: string, flags: RunFlags): Promise<void>;
  report(reportPath: string, flags: { out?: string }): Promise<void>;
  plan(input: string, flags: RunFlags & { out?: string }): Promise<void>;
  approve(planPath: string, flags: { by?: string; note?: string }): Promise<void>;
  apply(planPath: string, flags: ApplyFlags): Promise<void>;
}): Command {
  const program = new Command("zoom-offboard")
    .description(
      "Offboard people from Zoom in bulk: a CSV of users and steps in (sign-out, downgrade, deactivate, delete with data transfer), paced changes, a per-row report out.",
    )
    .version(VERSION, "-V, --version")
    .showHelpAfterError()
    .exitOverride();

  addBatchOptions(
    addInputOptions(
      program.command("run").description("apply the file's changes (or preview them with --dry-run)"),
    )
      .option(
        "--resume <report.csv>",
        "carry over the final rows of an earlier run's report; process the rest",
      )
      .option("--force", "with --resume: go on even if the input is not the file the report was written for")
      .option(
        "--verify",
        "after the changes, read the directory again and flag applied rows Zoom does not show in that state",
      )
      .option(
        "--plan-required-over <n>",
        "if the file would change more than n users, write a plan for approval instead of sending (exit 3)",
      ),
  ).action(commands.run);

  addConnectionOptions(
    addChangeOptions(
      addInputOptions(
        program
          .command("plan")
          .description(
            "write what a run would change, with each user's state, to a plan file to approve and apply",
          ),
      ),
    ).option("--out <plan>", "where the plan goes (default reports/<input>-<UTC time>.plan.json)"),
  ).action(commands.plan);

  program
    .command("approve")
    .description("record an approval (who, when, why) in a plan file")
    .argument("<plan>", "a plan written by zoom-offboard plan")
    .option("--by <name>", "who approves (default: your login)")
    .option("--note <text>", "why: a ticket number, a reason")
    .action(commands.approve);

  addConnectionOptions(
    addSendOptions(
      program
        .command("apply")
        .description(
          "send exactly a plan's changes to users still in the state it saw, then read the directory back",
        )
        .argument("<plan>", "a plan written by zoom-offboard plan (and approved)")
        .option(
          "--approvals <n>",
          "refuse unless this many people other than its maker approved it (default 0)",
        )
        .option(
          "--max-plan-age <duration>",
          "refuse a plan made longer ago than this: 90m, 24h, 2d (default 24h)",
        )
        .option("--resume <report.csv>", "carry over the final rows of an earlier apply's report")
        .option("--force", "with --resume: go on even if the report was written for another plan"),
    ),
  ).action(commands.apply);

  addBatchOptions(
    program
      .command("undo")
      .description(
        "reverse exactly the rows a report shows applied (deactivate <-> activate, downgrade <-> license)",
      )
      .argument("<report.csv>", "a report written by zoom-offboard run (or undo)"),
  ).action(commands.undo);

  program
    .command("report")
    .description("write the self-contained HTML page of a report (runs and undos write theirs themselves)")
    .argument("<report.csv>", "a report written by zoom-offboard run or undo, of any version")
    .option("--out <file>", "where the page goes (default: beside the report, <report>.html)")
    .action(commands.report);

  // Added whole, so it does not inherit the program's exitOverride: a usage error must exit 2 here too.
  program.addCommand(simulateCommand().exitOverride());
  return program;
}
