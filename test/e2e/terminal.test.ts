import { spawn } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { stripVTControlCharacters } from "node:util";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type Simulator, startSimulator } from "../../src/sim/server.js";
import { trackChild } from "../helpers/cleanup.js";
import { CLI, cliBaseEnv, readReport, tempDir } from "../helpers/run-cli.js";
import { cliEnv, generatedInput, TEST_CREDENTIALS } from "../helpers/sim-env.js";
import { describeWith } from "../helpers/system-tools.js";
import { runOnTerminal } from "../helpers/terminal.js";

// A person at a terminal gets a progress bar, calm one-line logs, the plan and a question; cron gets JSON lines and
// none of the rest. util-linux `script` gives the CLI a real pseudo-terminal. Each test has a simulator of its own,
// so every run really sends its changes.
let sim: Simulator;
beforeEach(async () => {
  sim = await startSimulator({ credentials: TEST_CREDENTIALS, generateUsers: 40, latencyMs: 20 });
});
afterEach(async () => {
  await sim.close();
});

/** The CLI on a pseudo-terminal against this test's simulator. */
function onTerminal(
  args: string[],
  options: { cwd: string; env?: Record<string, string>; answer?: string },
): ReturnType<typeof runOnTerminal> {
  return runOnTerminal(args, { ...options, env: { ...cliEnv(sim), ...options.env } });
}

const ESC = "\u001b";
/** Each redraw of the progress bar: back to column 1, the bar, erase to the end of the line. */
const BAR_REDRAW = new RegExp(`${ESC}\\[1G[^${ESC}]*${ESC}\\[0K`, "g");
const ANY_COLOUR = new RegExp(`${ESC}\\[[0-9;]*m`);

function withoutBar(screen: string): string[] {
  return stripVTControlCharacters(screen.replace(BAR_REDRAW, ""))
    .split(/\r?\n/)
    .map((line) => line.replace(/\r/g, "").trim())
    .filter((line) => line !== "");
}

describeWith("script", "on a terminal", () => {
  it("shows one calm line per log, the plan, the question, a progress bar and the summary once", async () => {
    const cwd = tempDir();
    const input = join(cwd, "people.csv");
    writeFileSync(input, generatedInput(40));
    const report = join(cwd, "r.csv");
    const { code, screen } = await onTerminal(
      ["run", input, "--report", report, "--max-deactivations", "40"],
      { cwd, answer: "40" },
    );
    expect(code).toBe(0);
    expect(screen).toMatch(/\d+\/40 rows \| [\d.]+ changes\/s \| ETA/);
    expect(screen).toContain("40/40 rows");
    const lines = withoutBar(screen);
    expect(lines).toContain("input checked: 40 rows, 40 to deactivate, 0 to activate");
    expect(lines).toContainEqual(
      expect.stringMatching(/^pacing Light requests at [\d.]+\/s \(pro plan, limit 30\/s\)$/),
    );
    // The plan and the question, each once.
    expect(lines.filter((line) => line === "About to change users in Zoom:")).toHaveLength(1);
    expect(lines.filter((line) => line.startsWith("Type 40 to go ahead with 40 deactivations"))).toHaveLength(
      1,
    );
    // One summary, and no log line repeating it or dumping an object's details.
    expect(lines.filter((line) => line.startsWith("Run finished: 40 rows"))).toHaveLength(1);
    expect(screen).not.toContain("run finished");
    for (const detail of ["pacedRps", "tableBytes", '"level"', "outcomes", "{"])
      expect(screen).not.toContain(detail);
    expect(readReport(report)).toHaveLength(40);
    expect(sim.stats().statusPuts).toBe(40);
  });

  it("marks warnings in colour, and NO_COLOR turns every colour off", async () => {
    const cwd = tempDir();
    const input = join(cwd, "people.csv");
    writeFileSync(input, generatedInput(3));
    const report = join(cwd, "r.csv");
    expect((await onTerminal(["run", input, "--yes", "--report", report], { cwd })).code).toBe(0);
    // An undo warns that licences do not come back.
    const coloured = await onTerminal(["undo", report, "--yes", "--report", join(cwd, "u1.csv")], { cwd });
    expect(coloured.code).toBe(0);
    expect(coloured.screen).toContain(`${ESC}[33mwarning: Note: reactivating a user`);
    const plain = await onTerminal(["undo", report, "--yes", "--report", join(cwd, "u2.csv")], {
      cwd,
      env: { NO_COLOR: "1" },
    });
    expect(plain.code).toBe(0);
    expect(plain.screen).toContain("warning: Note: reactivating a user");
    expect(plain.screen).not.toMatch(ANY_COLOUR);
  });

  it("--log-level debug shows each line's details", async () => {
    const cwd = tempDir();
    const input = join(cwd, "people.csv");
    writeFileSync(input, generatedInput(3));
    const { code, screen } = await onTerminal(
      ["run", input, "--yes", "--report", join(cwd, "r.csv"), "--log-level", "debug"],
      { cwd, env: { NO_COLOR: "1" } },
    );
    expect(code).toBe(0);
    expect(screen).toMatch(/INFO.*: input checked/);
    expect(screen).toMatch(/pacedRps: 29\.\d+/);
  });
});

describe("without a terminal", () => {
  it("writes JSON log lines and no progress bar to stderr, and only the summary to stdout", async () => {
    const cwd = tempDir();
    const input = join(cwd, "people.csv");
    writeFileSync(input, generatedInput(10));
    const report = join(cwd, "r.csv");
    const child = spawn(process.execPath, [CLI, "run", "--yes", input, "--report", report, "--json"], {
      cwd,
      env: { ...cliBaseEnv(), ...cliEnv(sim) },
    });
    trackChild(child);
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => {
      stdout += chunk.toString("utf8");
    });
    child.stderr.on("data", (chunk: Buffer) => {
      stderr += chunk.toString("utf8");
    });
    expect(await new Promise((resolve) => child.on("close", resolve))).toBe(0);
    expect(stdout.trim().split("\n")).toHaveLength(1);
    expect(JSON.parse(stdout)).toMatchObject({ rows: 10, exit_code: 0 });
    const lines = stderr
      .trim()
      .split("\n")
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    // The details stay in the JSON lines: the scheduler's log keeps the outcome of the run too.
    expect(lines.find((line) => line.msg === "pacing Light requests")).toHaveProperty("pacedRps");
    expect(lines.find((line) => line.msg === "run finished")).toMatchObject({ exitCode: 0, report });
    expect(stderr).not.toContain("rows |");
  });

  it("never prints the secret or a bearer token, even at trace level, nor writes them in the report", async () => {
    const cwd = tempDir();
    const input = join(cwd, "people.csv");
    writeFileSync(input, generatedInput(5));
    const report = join(cwd, "r.csv");
    const child = spawn(
      process.execPath,
      [CLI, "run", "--yes", input, "--report", report, "--log-level", "trace", "--lookup", "per-user"],
      {
        cwd,
        env: { ...cliBaseEnv(), ...cliEnv(sim) },
      },
    );
    trackChild(child);
    let output = "";
    child.stdout.on("data", (chunk: Buffer) => {
      output += chunk.toString("utf8");
    });
    child.stderr.on("data", (chunk: Buffer) => {
      output += chunk.toString("utf8");
    });
    expect(await new Promise((resolve) => child.on("close", resolve))).toBe(0);
    // The sending path really ran: a token, look-ups and status changes, all at trace level.
    expect(sim.stats()).toMatchObject({ statusPuts: 5, getUserRequests: 5 });
    expect(sim.stats().tokenRequests).toBeGreaterThanOrEqual(1);
    const basic = Buffer.from(`${TEST_CREDENTIALS.clientId}:${TEST_CREDENTIALS.clientSecret}`).toString(
      "base64",
    );
    const everything = output + JSON.stringify(readReport(report));
    expect(everything).not.toContain(TEST_CREDENTIALS.clientSecret);
    expect(everything).not.toContain(basic);
    expect(everything).not.toMatch(/Bearer [A-Za-z0-9]/);
    expect(everything).not.toMatch(/access_token"?\s*[:=]\s*"?[A-Za-z0-9]{8,}/);
    expect(everything).not.toMatch(/sim\.[A-Za-z0-9_-]{20,}/);
  });
});
