import { spawn } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Simulator, startSimulator } from "../../src/sim/server.js";
import { CLI, readReport, tempDir } from "../helpers/run-cli.js";
import { cliEnv, generatedInput, TEST_CREDENTIALS } from "../helpers/sim-env.js";
import { describeWith } from "../helpers/system-tools.js";

// A person at a terminal gets a progress bar and readable logs; cron gets neither. util-linux `script` gives the
// CLI a real pseudo-terminal.
let sim: Simulator;
beforeAll(async () => {
  sim = await startSimulator({ credentials: TEST_CREDENTIALS, generateUsers: 40, latencyMs: 20 });
});
afterAll(async () => {
  await sim.close();
});

function shellQuote(value: string): string {
  return `'${value.replace(/'/g, "'\\''")}'`;
}

describeWith("script", "on a terminal", () => {
  it("shows a progress bar with rows, rate and ETA on stderr, and pretty logs instead of JSON", async () => {
    const cwd = tempDir();
    const input = join(cwd, "people.csv");
    writeFileSync(input, generatedInput(40));
    const report = join(cwd, "r.csv");
    const command = [process.execPath, CLI, "run", "--yes", input, "--report", report]
      .map(shellQuote)
      .join(" ");
    const child = spawn("script", ["-qec", command, "/dev/null"], {
      cwd,
      env: { PATH: process.env.PATH ?? "", TERM: "xterm", COLUMNS: "120", ...cliEnv(sim) },
      stdio: ["pipe", "pipe", "pipe"],
    });
    let screen = "";
    child.stdout.on("data", (chunk: Buffer) => {
      screen += chunk.toString("utf8");
    });
    const code = await new Promise<number | null>((resolve) => child.on("close", resolve));
    expect(code).toBe(0);
    expect(screen).toMatch(/\d+\/40 rows \| [\d.]+ changes\/s \| ETA/);
    expect(screen).toContain("40/40 rows");
    expect(screen).toMatch(/INFO.*input checked/);
    expect(screen).not.toContain('"level":30');
    expect(readReport(report)).toHaveLength(40);
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
      env: { PATH: process.env.PATH ?? "", ...cliEnv(sim) },
    });
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
    const lines = stderr.trim().split("\n");
    for (const line of lines) expect(() => JSON.parse(line)).not.toThrow();
    expect(stderr).not.toContain("rows |");
  });

  it("never prints the secret or a bearer token, even at trace level, nor writes them in the report", async () => {
    const cwd = tempDir();
    const input = join(cwd, "people.csv");
    writeFileSync(input, generatedInput(5));
    const report = join(cwd, "r.csv");
    const child = spawn(
      process.execPath,
      [CLI, "run", "--yes", input, "--report", report, "--log-level", "trace"],
      {
        cwd,
        env: { PATH: process.env.PATH ?? "", ...cliEnv(sim) },
      },
    );
    let output = "";
    child.stdout.on("data", (chunk: Buffer) => {
      output += chunk.toString("utf8");
    });
    child.stderr.on("data", (chunk: Buffer) => {
      output += chunk.toString("utf8");
    });
    expect(await new Promise((resolve) => child.on("close", resolve))).toBe(0);
    const basic = Buffer.from(`${TEST_CREDENTIALS.clientId}:${TEST_CREDENTIALS.clientSecret}`).toString(
      "base64",
    );
    const everything = output + JSON.stringify(readReport(report));
    expect(everything).not.toContain(TEST_CREDENTIALS.clientSecret);
    expect(everything).not.toContain(basic);
    expect(everything).not.toMatch(/Bearer [A-Za-z0-9]/);
    expect(everything).not.toMatch(/access_token"?\s*[:=]\s*"?[A-Za-z0-9]{8,}/);
  });
});
