import { readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { escapeHtml, html } from "../../src/report/html/escape.js";
import {
  type HtmlReportRow,
  htmlReportPathFor,
  renderHtmlReport,
  writeHtmlReport,
} from "../../src/report/html/index.js";
import { attemptsChartSpec, latencyChartSpec } from "../../src/report/html/latency-chart.js";
import { outcomeChartSpec } from "../../src/report/html/outcome-chart.js";
import { paceChartSpec } from "../../src/report/html/pace-chart.js";
import { renderSvg } from "../../src/report/html/render-svg.js";
import { createRowShaper, shapeRows } from "../../src/report/html/shape.js";
import { createTimeline, type RunTimeline } from "../../src/report/timeline.js";
import { tempDir } from "../helpers/run-cli.js";

const START = Date.parse("2026-12-02T02:15:00Z");

function row(line: number, outcome: string, fields: Partial<HtmlReportRow> = {}): HtmlReportRow {
  return {
    line,
    userId: `user${line}@example.com`,
    action: "deactivate",
    outcome,
    message: outcome === "applied" ? "status changed" : `why ${outcome}`,
    attempts: outcome === "applied" ? 1 : 0,
    finishedAt: new Date(START + line * 10),
    ...fields,
  };
}

function rows(counts: Record<string, number>): HtmlReportRow[] {
  let line = 2;
  return Object.entries(counts).flatMap(([outcome, n]) =>
    Array.from({ length: n }, () => row(line++, outcome)),
  );
}

/** The outcome counts the page shows, from its data attributes. */
function shownCounts(page: string): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const match of page.matchAll(/<tr data-outcome="([^"]*)" data-count="(\d+)"/g)) {
    counts[match[1] ?? ""] = Number(match[2]);
  }
  return counts;
}

function busyTimeline(seconds: number): RunTimeline {
  const timeline = createTimeline({ startedAtMs: START });
  for (let s = 0; s < seconds; s++) {
    for (let k = 0; k < 20; k++) {
      const at = START + s * 1000 + k * 50;
      timeline.requestSent(at, k % 5 === 0 ? "lookup" : "change");
      timeline.answered(at + 120, 100 + k * 10, s === 3 && k < 2 ? 429 : 200);
    }
  }
  timeline.event(START + 3000, { type: "pause", duration_ms: 1500 });
  timeline.event(START + 5000, { type: "rate_change", from_rps: 30, to_rps: 20 });
  timeline.event(START + seconds * 1000, {
    type: "stop",
    kind: "daily_limit",
    message: "daily limit reached",
  });
  return timeline.toJSON();
}

describe("escaping", () => {
  it.each([
    ["<script>alert(1)</script>", "&lt;script&gt;alert(1)&lt;/script&gt;"],
    ['"><img src=x onerror=alert(1)>', "&quot;&gt;&lt;img src=x onerror=alert(1)&gt;"],
    ["it's `x` & y", "it&#39;s &#96;x&#96; &amp; y"],
    ["plain", "plain"],
  ])("%s", (text, escaped) => {
    expect(escapeHtml(text)).toBe(escaped);
    expect(html`<td title="${text}">${text}</td>`.text).toBe(`<td title="${escaped}">${escaped}</td>`);
  });

  it("renders nothing for null, undefined and false, and joins arrays", () => {
    expect(html`${null}${undefined}${false}${["<a>", 1]}`.text).toBe("&lt;a&gt;1");
  });

  it("shows hostile values from the file and the run as text, everywhere", async () => {
    const hostile = [
      "<script>alert(1)</script>@evil.example",
      '"><img src=x onerror=alert(1)>',
      "<svg onload=alert(1)>",
    ];
    const page = await renderHtmlReport({
      figures: shapeRows([
        row(2, "invalid", { userId: hostile[0] ?? "", message: hostile[1] ?? "" }),
        row(3, "applied", { userId: hostile[1] ?? "", trackingId: hostile[2], action: hostile[2] ?? "" }),
        row(4, hostile[2] ?? "", { userId: "x@example.com" }),
      ]),
      reportPath: `reports/${hostile[1]}.csv`,
      run: {
        input: hostile[0],
        stopReason: hostile[1],
        approvers: [hostile[2] ?? ""],
        warnings: [hostile[0] ?? ""],
        planFile: hostile[1],
        exitCode: 1,
      },
      timeline: busyTimeline(4),
    });
    expect(page).not.toMatch(/<script/i);
    expect(page).not.toMatch(/<img/i);
    expect(page).not.toMatch(/<svg onload/i);
    expect(page).not.toMatch(/onerror=alert\(1\)>/);
    expect(page).toContain("&lt;script&gt;alert(1)&lt;/script&gt;@evil.example");
    expect(page).toContain("&quot;&gt;&lt;img src=x onerror=alert(1)&gt;");
  });
});

describe("what the page shows", () => {
  it("counts every outcome as the rows say", async () => {
    const counts = {
      applied: 30,
      already: 1,
      invalid: 2,
      duplicate: 1,
      not_found: 1,
      rejected: 3,
      protected: 2,
    };
    const page = await renderHtmlReport({ figures: shapeRows(rows(counts)), run: { exitCode: 1 } });
    expect(shownCounts(page)).toEqual(counts);
    expect(page).toContain('data-total="40"');
    expect(page).toContain('data-exit-code="1"');
    // Needing a person first: the attention table comes before the other rows.
    expect(page.indexOf('id="rows-invalid"')).toBeLessThan(page.indexOf('id="rows-applied"'));
  });

  it.each([
    [{ applied: 3 }, 0],
    [{ applied: 3, not_found: 1 }, 1],
    [{ applied: 3, not_found: 1, not_attempted: 2 }, 3],
  ])("an old report with no run record: exit code implied by the rows (%o → %i)", async (counts, code) => {
    const page = await renderHtmlReport({ figures: shapeRows(rows(counts)) });
    expect(page).toContain(`data-exit-code="${code}"`);
    expect(page).toContain("implied by the rows");
  });

  it("without a timeline: no pace chart, and the outcome chart all the same", async () => {
    const page = await renderHtmlReport({ figures: shapeRows(rows({ applied: 5, failed: 1 })) });
    expect(page).not.toContain('id="pace"');
    expect(page).toContain('id="outcomes"');
    expect(page.match(/<svg/g)?.length).toBe(2); // outcomes, retries per row
    expect(page).toContain("No timeline was recorded");
  });

  it("with a timeline: pace, latency quantiles and the stop", async () => {
    const page = await renderHtmlReport({
      figures: shapeRows(rows({ applied: 5 })),
      timeline: busyTimeline(8),
      run: { rpsConfigured: 29, tierRpsLimit: 30 },
    });
    expect(page).toContain('id="pace"');
    expect(page).toContain("stopped: daily limit");
    expect(page).toMatch(/data-quantile="p50"/);
    expect(page).toMatch(/data-quantile="p99"/);
    expect(page).toMatch(/by status: 200 × [\d,]+ · 429 × 2/);
    expect(page.match(/<svg/g)?.length).toBe(4);
  });

  it("an outcome this version does not know is counted and shown as neither fine nor needing a person", async () => {
    const page = await renderHtmlReport({ figures: shapeRows(rows({ applied: 2, postponed: 3 })) });
    expect(shownCounts(page)).toEqual({ applied: 2, postponed: 3 });
    expect(page).toContain('data-outcome="postponed" data-count="3" data-attention="unknown"');
  });

  it("names what a resume carried over", async () => {
    const carried = row(2, "applied", { message: "carried over from reports/a.csv: status changed" });
    const page = await renderHtmlReport({
      figures: shapeRows([carried, row(3, "applied")]),
      run: { resumedFrom: "reports/a.csv", carriedOver: 1 },
    });
    expect(page).toContain('id="carried"');
    expect(page).toContain("1 carried over");
  });

  it("writes no reference to anything outside the file", async () => {
    const page = await renderHtmlReport({
      figures: shapeRows(rows({ applied: 3, invalid: 1 })),
      timeline: busyTimeline(5),
    });
    expect(page).not.toMatch(/<link|<script|<iframe|<object|<embed|<img|@import|url\((?!#)|\bsrc=|href=/i);
    // The only URLs are the SVG namespaces, which browsers never fetch.
    const urls = [...page.matchAll(/https?:\/\/[^\s"'<>]+/g)].map((m) => m[0]);
    expect(new Set(urls)).toEqual(new Set(["http://www.w3.org/2000/svg", "http://www.w3.org/1999/xlink"]));
    expect(page).toContain("Content-Security-Policy");
  });
});

describe("size", () => {
  it("counts every row while keeping only the rows it lists, fed one at a time", () => {
    const all = rows({ applied: 50, failed: 7, not_found: 3 });
    const shaper = createRowShaper({ attentionRows: 5, fineRows: 2 });
    for (const row of all) shaper.add(row);
    const figures = shaper.figures();
    expect(figures).toEqual(shapeRows(all, { attentionRows: 5, fineRows: 2 }));
    expect(figures.rows).toBe(60);
    expect(figures.groups.map((g) => [g.outcome, g.count, g.listed.length])).toEqual(
      expect.arrayContaining([
        ["applied", 50, 2],
        ["failed", 7, 5],
        ["not_found", 3, 3],
      ]),
    );
    expect(figures.groups).toHaveLength(3);
  });

  it("a 100,000-row report renders quickly and stays bounded", async () => {
    const many = rows({ applied: 98_000, not_found: 1500, failed: 500 });
    const started = performance.now();
    const page = await renderHtmlReport({
      figures: shapeRows(many, { attentionRows: 1000, fineRows: 200 }),
      reportPath: "reports/big.csv",
      timeline: busyTimeline(60),
    });
    expect(performance.now() - started).toBeLessThan(20_000);
    expect(page.length).toBeLessThan(2_000_000);
    expect(shownCounts(page)).toEqual({ applied: 98_000, not_found: 1500, failed: 500 });
    expect(page).toContain("and 97,800 more in the CSV (big.csv)");
    expect(page).toContain("and 500 more in the CSV (big.csv)");
    // The 500 failed rows fit under the limit: only two outcomes are cut short.
    expect(page.match(/more in the CSV/g)?.length).toBe(2);
  });

  it("folds a flood of distinct outcome strings into one group", () => {
    const flood = Array.from({ length: 200 }, (_, n) => row(n + 2, `odd${n}`));
    const figures = shapeRows(flood, { attentionRows: 5, fineRows: 5 });
    expect(figures.groups.length).toBeLessThanOrEqual(25);
    expect(figures.groups.reduce((n, g) => n + g.count, 0)).toBe(200);
  });
});

describe("charts", () => {
  it.each([
    ["outcomes", () => outcomeChartSpec(shapeRows(rows({ applied: 3, failed: 1, odd: 1 }), limits).groups)],
    ["pace", () => paceChartSpec(busyTimeline(20), { rpsConfigured: 29, tierRpsLimit: 30 })],
    ["pace, merged", () => paceChartSpec(longTimeline(), { rpsConfigured: 30, tierRpsLimit: 30 })],
    ["latency", () => latencyChartSpec(busyTimeline(3).latency)],
    [
      "retries",
      () =>
        attemptsChartSpec([
          { attempts: 1, rows: 4 },
          { attempts: 12, rows: 1 },
        ]),
    ],
  ])("%s: drawn as SVG without a warning from Vega-Lite", async (_name, spec) => {
    const { svg, warnings } = await renderSvg(spec());
    expect(warnings).toEqual([]);
    expect(svg).toMatch(/^<svg[^>]*class="marks"/);
    expect(svg).not.toMatch(/<script|<foreignObject|href=/i);
  });

  it("a label from the file cannot inject markup into a chart", async () => {
    const groups = shapeRows([row(2, "<script>alert(1)</script>")], limits).groups;
    const { svg } = await renderSvg(outcomeChartSpec(groups));
    expect(svg).not.toContain("<script");
  });
});

const limits = { attentionRows: 10, fineRows: 10 };

function longTimeline(): RunTimeline {
  const timeline = createTimeline({ startedAtMs: START });
  for (let s = 0; s < 4 * 3600; s += 3) timeline.requestSent(START + s * 1000, "change");
  return timeline.toJSON();
}

describe("the page's file", () => {
  it.each([
    ["reports/leavers-20261202T021500Z.csv", "reports/leavers-20261202T021500Z.html"],
    ["out/REPORT.CSV", "out/REPORT.html"],
    ["out/report.txt", "out/report.txt.html"],
    ["out/report", "out/report.html"],
  ])("%s → %s", (csv, page) => {
    expect(htmlReportPathFor(csv)).toBe(page);
  });

  it("is written private, and replaced when written again", () => {
    const path = join(tempDir(), "r.html");
    writeHtmlReport(path, "one");
    writeHtmlReport(path, "two");
    expect(readFileSync(path, "utf8")).toBe("two");
    expect(statSync(path).mode & 0o777).toBe(0o600);
  });
});
