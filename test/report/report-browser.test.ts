import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { chromium, type Browser, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { tokenHistogram } from "../../src/export/stats.js";
import type { ReportData } from "../../src/report/report-data.js";
import { renderReportHtml } from "../../src/report/html.js";
import { runRows } from "../../src/report/run-rows.js";
import { EVAL_CATEGORIES } from "../../src/schema/sample.js";
import { tempDir } from "../helpers/fixtures.js";
import { CHROMIUM, NO_CHROMIUM } from "./chromium.js";
import { seedRuns } from "./registry-fixture.js";

const TOKEN_LENGTHS = [120, 180, 190, 260, 410, 415, 980, 2100];
const MAX_SEQ_LEN = 2048;

function reportData(): ReportData {
  return {
    title: "Hew corpus <test>",
    generatedAt: "2026-11-23T12:00:00.000Z",
    runs: runRows(seedRuns()),
    composition: [
      { category: "actors", source: "handwritten", samples: 25 },
      { category: "actors", source: "correction", samples: 6 },
      { category: "generators", source: "handwritten", samples: 25 },
      { category: "general", source: "docs", samples: 4 },
    ],
    funnel: [
      { step: "loaded", samples: 60 },
      { step: "every block passes hew check", samples: 57 },
      { step: "not a duplicate", samples: 55 },
      { step: "leaks no eval prompt", samples: 54 },
      { step: "within the token budget", samples: 53 },
      { step: "in the training set", samples: 53 },
    ],
    tokenLengths: { tokenizer: "Qwen3 (test)", maxSeqLen: MAX_SEQ_LEN, max: 2100, bins: tokenHistogram(TOKEN_LENGTHS, MAX_SEQ_LEN) },
    systemPrompt: "v2",
    checkers: ["hew 0.6.0-rc2"],
  };
}

/** A mark item as Vega laid it out: the datum it draws and its geometry. */
interface MarkItem {
  marktype: string;
  name: string;
  datum: Record<string, unknown>;
  x: number;
  y: number;
  width: number;
  height: number;
  y2?: number;
}

/** Every item of every mark of one chart, read from the live Vega view's scenegraph. */
function markItems(page: Page, chart: string): Promise<MarkItem[]> {
  return page.evaluate((id) => {
    type Node = { marktype?: string; name?: string; items?: Node[]; datum?: Record<string, unknown>; x?: number; y?: number; y2?: number; width?: number; height?: number };
    const view = (globalThis as unknown as { hewReport: { views: Record<string, { scenegraph(): { root: Node } }> } }).hewReport.views[id]!;
    const out: MarkItem[] = [];
    const walk = (mark: Node) => {
      for (const item of mark.items ?? []) {
        if (mark.marktype !== "group" && mark.name) {
          out.push({ marktype: mark.marktype!, name: mark.name, datum: { ...item.datum }, x: item.x ?? 0, y: item.y ?? 0, width: item.width ?? 0, height: item.height ?? 0, y2: item.y2 });
        }
        for (const child of item.items ?? []) walk(child);
      }
    };
    walk(view.scenegraph().root);
    return out;
  }, chart);
}

/** Data marks only: those of the spec's layers, not axes or legends (Vega-Lite names them `..._marks`). */
async function dataMarks(page: Page, chart: string, marktype: string): Promise<MarkItem[]> {
  return (await markItems(page, chart)).filter((m) => m.marktype === marktype && m.name.endsWith("marks"));
}

describe.skipIf(!CHROMIUM)(`the HTML report in headless Chromium (${CHROMIUM ?? NO_CHROMIUM})`, () => {
  let browser: Browser;
  let page: Page;
  const requests: string[] = [];
  const errors: string[] = [];

  beforeAll(async () => {
    const dir = await tempDir();
    const file = join(dir, "report.html");
    await writeFile(file, renderReportHtml(reportData()));
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ["--no-sandbox"] });
    page = await browser.newPage();
    page.on("request", (r) => requests.push(r.url()));
    page.on("pageerror", (e) => errors.push(e.message));
    page.on("console", (m) => m.type() === "error" && errors.push(m.text()));
    await page.goto(pathToFileURL(file).href);
    await page.waitForFunction('document.body.dataset.charts === "drawn"', null, { timeout: 20_000 });
  });
  afterAll(() => browser?.close());

  it("draws every chart from the file alone: no request, no error", async () => {
    expect(errors).toEqual([]);
    expect(requests).toEqual([expect.stringMatching(/^file:.*report\.html$/)]);
    for (const id of ["pass-rate", "categories", "failures", "composition", "tokens", "funnel"]) {
      expect(await page.locator(`#chart-${id} svg .role-mark`).count(), id).toBeGreaterThan(0);
      expect(await page.locator(`#chart-${id}.error`).count(), id).toBe(0);
    }
    expect(await page.title()).toBe("Hew corpus <test>");
  });

  it("draws one bar per evaluated version, as tall as its pass rate, with its interval", async () => {
    const bars = await dataMarks(page, "pass-rate", "rect");
    expect(bars.map((b) => b.datum.version)).toEqual(["v7", "v8", "v11", "v12 (eval of v11)"]);
    const plotHeight = 280;
    expect(bars.map((b) => Math.round((b.height / plotHeight) * 39))).toEqual([21, 27, 31, 32]);
    const rules = await dataMarks(page, "pass-rate", "rule");
    expect(rules.map((r) => [r.datum.low, r.datum.high])).toEqual([
      [0.3857, 0.6843],
      [0.5358, 0.8143],
      [0.6447, 0.8922],
      [0.6733, 0.9102],
    ]);
    // Each interval line spans low..high on the same scale as the bars.
    for (const r of rules) {
      expect(r.y).toBeCloseTo((1 - (r.datum.low as number)) * plotHeight, 0);
      expect(r.y2).toBeCloseTo((1 - (r.datum.high as number)) * plotHeight, 0);
    }
    const labels = await page.locator("#chart-pass-rate svg g.mark-text.role-mark text").allTextContents();
    expect(labels).toEqual(["54%", "69%", "79%", "82%"]);
    // The never-evaluated v9 is in the table, not in the chart.
    await expect(page.locator("#runs-table tbody tr").nth(2).innerText()).resolves.toMatch(/^v9\t451\t.*not evaluated/);
  });

  it("fills the category heat map with every version's per-category counts", async () => {
    const cells = await dataMarks(page, "categories", "rect");
    expect(cells).toHaveLength(4 * EVAL_CATEGORIES.length);
    const cell = (version: string, category: string) => cells.find((c) => c.datum.version === version && c.datum.category === category)?.datum;
    expect(cell("v7", "generators")).toMatchObject({ passed: 1, total: 4, rate: 0.25 });
    expect(cell("v11", "supervisors")).toMatchObject({ passed: 4, total: 4, rate: 1 });
    expect(cell("v12 (eval of v11)", "extern-ffi")).toMatchObject({ passed: 2, total: 3 });
    // Rows follow the eval set's category order, top to bottom.
    const v7 = cells.filter((c) => c.datum.version === "v7").sort((a, b) => a.y - b.y);
    expect(v7.map((c) => c.datum.category)).toEqual([...EVAL_CATEGORIES]);
    expect(await page.locator("#chart-categories svg g.mark-text.role-mark text").allTextContents()).toContain("1/4");
    expect(await page.locator("#chart-categories svg g.mark-text.role-mark text").count()).toBe(48);
  });

  it("stacks each version's failures by category, adding up to the prompts it failed", async () => {
    const segments = await dataMarks(page, "failures", "rect");
    const total = (version: string) => segments.filter((s) => s.datum.version === version).reduce((n, s) => n + (s.datum.sum_count as number), 0);
    expect([total("v7"), total("v8"), total("v11"), total("v12 (eval of v11)")]).toEqual([39 - 21, 39 - 27, 39 - 31, 39 - 32]);
    expect(segments.find((s) => s.datum.version === "v7" && s.datum.failure === "invented-api")?.datum.sum_count).toBe(6);
    const legend = await page.locator("#chart-failures svg .role-legend-label text").allTextContents();
    expect(legend).toEqual(expect.arrayContaining(["invented-api", "legacy-path", "machine-syntax", "use-after-move"]));
  });

  it("shows the corpus composition, the token-length histogram and the funnel with their numbers", async () => {
    const composition = await dataMarks(page, "composition", "rect");
    expect(composition.map((c) => [c.datum.category, c.datum.source, c.datum.sum_samples]).sort()).toEqual(
      [
        ["actors", "correction", 6],
        ["actors", "handwritten", 25],
        ["general", "docs", 4],
        ["generators", "handwritten", 25],
      ].sort(),
    );

    const bins = await dataMarks(page, "tokens", "rect");
    expect(bins.map((b) => [b.datum.range, b.datum.samples])).toEqual([
      ["0–256", 3],
      ["257–512", 3],
      ["513–768", 0],
      ["769–1024", 1],
      ["1025–1280", 0],
      ["1281–1536", 0],
      ["1537–1792", 0],
      ["1793–2048", 0],
      ["over 2048", 1],
    ]);
    // Left to right in order, the over-budget bin in its own colour.
    expect(bins.map((b) => b.x)).toEqual([...bins.map((b) => b.x)].sort((a, b) => a - b));
    const fills = await page.locator("#chart-tokens svg g.mark-rect.role-mark path").evaluateAll((paths) => paths.map((p) => p.getAttribute("fill")));
    expect(new Set(fills.slice(0, -1)).size).toBe(1);
    expect(fills.at(-1)).not.toBe(fills[0]);
    await expect(page.locator("#section-tokens .caption").innerText()).resolves.toMatch(/Qwen3 \(test\).*budget is 2048.*longest has 2100/);

    const funnel = await dataMarks(page, "funnel", "rect");
    expect(funnel.sort((a, b) => a.y - b.y).map((f) => [f.datum.step, f.datum.samples])).toEqual([
      ["loaded", 60],
      ["every block passes hew check", 57],
      ["not a duplicate", 55],
      ["leaks no eval prompt", 54],
      ["within the token budget", 53],
      ["in the training set", 53],
    ]);
    // Bars are as long as their counts.
    const longest = Math.max(...funnel.map((f) => f.width));
    expect(funnel.map((f) => Math.round((f.width / longest) * 60))).toEqual([60, 57, 55, 54, 53, 53]);
  });
});
