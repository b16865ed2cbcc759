import { mkdirSync, statSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import type { JsonSummary as RunSummary } from "../../src/cli/json-summary.js";
import { htmlReportPathFor } from "../../src/report/html/index.js";
import { type Simulator, startSimulator } from "../../src/sim/server.js";
import { type OpenedPage, openHtmlFile } from "../helpers/chromium.js";
import { readReport, runCli, tempDir } from "../helpers/run-cli.js";
import { cliEnv, TEST_CREDENTIALS } from "../helpers/sim-env.js";
import { describeWith } from "../helpers/system-tools.js";

// The real CLI against the simulator writes a report; the page made from it is opened in a real Chromium.

const SCREENSHOTS = resolve(import.meta.dirname, "../../reports");

const HOSTILE = {
  script: "<script>window.__xss=1;alert(1)</script>@evil.example",
  img: '"><img src=x onerror="window.__xss=2">',
};

/** One CSV cell, quoted when it must be. */
function cell(value: string): string {
  return /[",\n]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}

const INPUT = [
  "email,action",
  "user1@example.com,deactivate",
  "user2@example.com,deactivate",
  `${cell(HOSTILE.script)},deactivate`,
  "user3@example.com,deactivate",
  `${cell(HOSTILE.img)},deactivate`,
  "ghost@example.com,deactivate",
  "user4@example.com,deactivate",
  "user4@example.com,deactivate",
  "",
].join("\n");

/** The page the CLI wrote beside the report: named in the summary, private like the CSV. */
function pageFor(reportPath: string, summary: RunSummary): string {
  const path = htmlReportPathFor(reportPath);
  expect(summary.html_report).toBe(path);
  expect(statSync(path).mode & 0o777).toBe(0o600);
  return path;
}

describeWith("chromium", "the HTML report in Chromium", () => {
  let sim: Simulator;
  let reportPath: string;
  let opened: OpenedPage;

  beforeAll(async () => {
    sim = await startSimulator({ credentials: TEST_CREDENTIALS, generateUsers: 20 });
    const cwd = tempDir();
    const input = join(cwd, "leavers.csv");
    writeFileSync(input, INPUT);
    reportPath = join(cwd, "reports", "leavers.csv");
    const result = await runCli(["run", input, "--yes", "--json", "--report", reportPath], {
      env: cliEnv(sim),
      cwd,
    });
    // Invalid, not-found and duplicate rows: the run finishes with rows for a person to look at.
    expect(result.code, result.stderr).toBe(1);
    const summary = JSON.parse(result.stdout) as RunSummary;
    opened = await openHtmlFile(pageFor(reportPath, summary));
  }, 60_000);

  afterAll(async () => {
    await opened?.close();
    await sim?.close();
  });

  it("loads with no console error, no page error and no request but the file", () => {
    expect(opened.console).toEqual([]);
    expect(opened.pageErrors).toEqual([]);
    expect(opened.foreignRequests).toEqual([]);
  });

  it("draws its charts as inline SVG", async () => {
    expect(await opened.page.locator("#outcomes svg").count()).toBe(1);
    // Latency and retries per row: two charts, now that the run's timeline gives the latencies.
    expect(await opened.page.locator("#latency svg").count()).toBe(2);
    // The run's timeline, kept in its sidecar, draws the pace.
    expect(await opened.page.locator("#pace svg").count()).toBe(1);
    const size = await opened.page.locator("#outcomes svg").boundingBox();
    expect(size?.width).toBeGreaterThan(200);
    expect(size?.height).toBeGreaterThan(100);
  });

  it("shows the CSV's outcome counts", async () => {
    const expected: Record<string, number> = {};
    for (const record of readReport(reportPath)) {
      expected[record.outcome] = (expected[record.outcome] ?? 0) + 1;
    }
    const shown = await opened.page.$$eval("#outcome-counts tr[data-outcome]", (rows) =>
      Object.fromEntries(
        rows.map((row) => [row.getAttribute("data-outcome"), Number(row.getAttribute("data-count"))]),
      ),
    );
    expect(shown).toEqual(expected);
    expect(expected).toMatchObject({ applied: 4, invalid: 2, not_found: 1, duplicate: 1 });
  });

  it("shows the hostile values as text, and runs no script", async () => {
    const users = await opened.page.$$eval('table.rows[data-outcome="invalid"] td.user', (cells) =>
      cells.map((c) => c.textContent),
    );
    expect(users).toEqual([HOSTILE.script, HOSTILE.img]);
    expect(await opened.page.locator("script").count()).toBe(0);
    expect(await opened.page.locator("img").count()).toBe(0);
    expect(await opened.page.evaluate(() => (globalThis as { __xss?: unknown }).__xss)).toBeUndefined();
    expect(opened.dialogs).toEqual([]);
  });

  it("looks right: a screenshot for people to check", async () => {
    mkdirSync(SCREENSHOTS, { recursive: true });
    const path = join(SCREENSHOTS, "html-report-browser.png");
    await opened.screenshot(path);
    // A page that rendered as a blank or broken box would be tiny.
    const height = Number(await opened.page.evaluate("document.documentElement.scrollHeight"));
    expect(height).toBeGreaterThan(1200);
  });
});
