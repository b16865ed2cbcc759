import { existsSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { type Simulator, startSimulator } from "../../src/sim/server.js";
import { runCli, tempDir } from "../helpers/run-cli.js";
import { cliEnv, generatedInput, TEST_CREDENTIALS } from "../helpers/sim-env.js";

// The page beside every report, written by the real CLI: runs, early stops, undos, and `report` for old reports.

let sim: Simulator | undefined;
afterEach(async () => {
  await sim?.close();
  sim = undefined;
});

const outcomeCount = (page: string, outcome: string): number | undefined => {
  const match = new RegExp(`data-outcome="${outcome}" data-count="(\\d+)"`).exec(page);
  return match === null ? undefined : Number(match[1]);
};

async function realRun(rows: number, extra: string[] = []) {
  sim = await startSimulator({ credentials: TEST_CREDENTIALS, generateUsers: rows });
  const cwd = tempDir();
  const input = join(cwd, "leavers.csv");
  writeFileSync(input, generatedInput(rows));
  const report = join(cwd, "leavers-report.csv");
  const result = await runCli(["run", input, "--yes", "--json", "--report", report, ...extra], {
    env: cliEnv(sim),
    cwd,
  });
  return { cwd, report, page: join(cwd, "leavers-report.html"), result };
}

describe("the HTML report beside the CSV", () => {
  it("a run writes it (0600), keeps its timeline in the sidecar, and names it in the summary", async () => {
    const { report, page, result } = await realRun(6);
    expect(result.code, result.stderr).toBe(0);
    expect(JSON.parse(result.stdout).html_report).toBe(page);
    expect(statSync(page).mode & 0o777).toBe(0o600);
    const html = readFileSync(page, "utf8");
    expect(outcomeCount(html, "applied")).toBe(6);
    expect(html).toContain('id="pace"');
    const meta = JSON.parse(readFileSync(`${report}.meta.json`, "utf8"));
    expect(meta.timeline.totals.sent_changes).toBe(6);
    expect(meta.run).toMatchObject({ command: "run", exitCode: 0, tier: "pro", requests: 6 });
    expect(statSync(`${report}.meta.json`).mode & 0o777).toBe(0o600);
  });

  it("a run a guard stops writes it too, with the stop", async () => {
    const { report, page, result } = await realRun(3, ["--max-deactivations", "2"]);
    expect(result.code).toBe(3);
    const html = readFileSync(page, "utf8");
    expect(outcomeCount(html, "not_attempted")).toBe(3);
    const meta = JSON.parse(readFileSync(`${report}.meta.json`, "utf8"));
    expect(meta.run).toMatchObject({ exitCode: 3, stopKind: "guard" });
    expect(meta.timeline.events.map((e: { type: string }) => e.type)).toContain("stop");
  });

  it("an undo writes its own page, naming the report it reverses", async () => {
    const { cwd, report, result } = await realRun(3);
    expect(result.code).toBe(0);
    const undoReport = join(cwd, "undo.csv");
    const undo = await runCli(["undo", report, "--yes", "--json", "--report", undoReport], {
      env: cliEnv(sim as Simulator),
      cwd,
    });
    expect(undo.code, undo.stderr).toBe(0);
    const html = readFileSync(join(cwd, "undo.html"), "utf8");
    expect(outcomeCount(html, "applied")).toBe(3);
    expect(html).toContain(report);
  });

  it("`report` renders any report, an old one without its sidecar too, with what it can show", async () => {
    const { report, page, result } = await realRun(4);
    expect(result.code).toBe(0);
    rmSync(page);
    rmSync(`${report}.meta.json`);
    const again = await runCli(["report", report]);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout.trim()).toBe(page);
    const html = readFileSync(page, "utf8");
    expect(outcomeCount(html, "applied")).toBe(4);
    // No timeline to draw the pace from: the section is left out, not made up.
    expect(html).not.toContain('id="pace"');
    const elsewhere = join(tempDir(), "page.html");
    expect((await runCli(["report", report, "--out", elsewhere])).code).toBe(0);
    expect(existsSync(elsewhere)).toBe(true);
  });

  it("`report` of a file that is not a report: exit 2, no page", async () => {
    const cwd = tempDir();
    const notReport = join(cwd, "x.csv");
    writeFileSync(notReport, "email,action\na@x.com,deactivate\n");
    const result = await runCli(["report", notReport]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/x\.csv/);
    expect(existsSync(join(cwd, "x.html"))).toBe(false);
  });
});
