import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { compile } from "vega-lite";
import { reportCharts, type Chart } from "./charts.js";
import type { ReportData } from "./report-data.js";
import { formatInterval, formatPassRate, type RunRow } from "./run-rows.js";

let vegaRuntime: string | undefined;

/** Vega's browser build, read from the installed package: the report carries it, so it opens without a network. */
function vegaScript(): string {
  if (vegaRuntime === undefined) {
    const build = dirname(createRequire(import.meta.url).resolve("vega"));
    // Inside a <script> element only "</script" could end it early.
    vegaRuntime = readFileSync(join(build, "vega.min.js"), "utf8").replaceAll("</script", "<\\/script");
  }
  return vegaRuntime;
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** JSON that is safe inside a <script> element whatever strings the data holds. */
function scriptJson(value: unknown): string {
  return JSON.stringify(value).replace(/</g, "\\u003c");
}

/** Inline `code` spans in captions; everything else escaped. */
function captionHtml(text: string): string {
  return escapeHtml(text).replace(/`([^`]+)`/g, "<code>$1</code>");
}

function runsTableHtml(rows: readonly RunRow[]): string {
  const body = rows
    .map((r) => {
      const cells = [r.label, r.samples === undefined ? "" : String(r.samples), r.config ?? "", r.systemPromptVersion ?? "", formatPassRate(r), formatInterval(r)];
      return `<tr>${cells.map((c, i) => `<td${i === 1 || i === 4 ? ' class="num"' : ""}>${escapeHtml(c)}</td>`).join("")}</tr>`;
    })
    .join("\n");
  return `<table id="runs-table">
<thead><tr><th>Version</th><th>Samples</th><th>Config</th><th>System prompt</th><th>Pass rate</th><th>Interval</th></tr></thead>
<tbody>
${body}
</tbody>
</table>`;
}

function chartSection(chart: Chart): string {
  return `<section class="chart" id="section-${chart.id}">
<h2>${escapeHtml(chart.title)}</h2>
<p class="caption">${captionHtml(chart.caption)}</p>
<div class="view" id="chart-${chart.id}" data-chart="${chart.id}"></div>
</section>`;
}

const STYLE = `
body { font: 15px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; color: #222; margin: 2rem auto; max-width: 960px; padding: 0 1rem; }
h1 { margin-bottom: 0.2rem; }
.meta, .caption, .note { color: #555; }
section { margin: 2.2rem 0; }
table { border-collapse: collapse; }
th, td { padding: 0.3rem 0.8rem; border-bottom: 1px solid #ddd; text-align: left; }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
code { background: #f3f3f3; padding: 0 0.2rem; border-radius: 3px; }
.error { color: #b00020; }
`;

// Draws every chart into its container with Vega's SVG renderer; the views stay reachable for inspection.
const RENDER = `
(async () => {
  const specs = JSON.parse(document.getElementById("hew-report-charts").textContent);
  window.hewReport = { views: {} };
  for (const [id, spec] of Object.entries(specs)) {
    const container = document.getElementById("chart-" + id);
    try {
      const view = new vega.View(vega.parse(spec), { renderer: "svg", container, hover: true });
      await view.runAsync();
      window.hewReport.views[id] = view;
    } catch (err) {
      container.textContent = "This chart could not be drawn: " + err;
      container.className += " error";
    }
  }
  document.body.dataset.charts = "drawn";
})();
`;

/**
 * The whole report as one HTML file: data, Vega specs (compiled from Vega-Lite here) and the Vega runtime
 * inline, and a content security policy that forbids every request, so it opens anywhere, offline, as is.
 */
export function renderReportHtml(data: ReportData): string {
  const charts = reportCharts(data);
  const vegaSpecs = Object.fromEntries(charts.map((c) => [c.id, compile(c.spec).spec]));
  const note = data.runs.some((r) => r.eval) ? "" : '<p class="note">No run in the registry has eval results yet: the pass-rate charts appear once one has.</p>\n';
  const checkers = data.checkers.length > 0 ? `verdicts by ${data.checkers.join(", ")}` : "no verdicts";
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; script-src 'unsafe-inline' 'unsafe-eval'; style-src 'unsafe-inline'; img-src data:">
<title>${escapeHtml(data.title)}</title>
<style>${STYLE}</style>
</head>
<body>
<h1>${escapeHtml(data.title)}</h1>
<p class="meta">Generated ${escapeHtml(data.generatedAt)} by hew-corpus; ${escapeHtml(checkers)}; samples rendered with system prompt ${escapeHtml(data.systemPrompt)}.</p>
${note}<section id="section-runs">
<h2>Runs</h2>
${data.runs.length > 0 ? runsTableHtml(data.runs) : '<p class="note">The run registry is empty.</p>'}
</section>
${charts.map(chartSection).join("\n")}
<script id="hew-report-data" type="application/json">${scriptJson(data)}</script>
<script id="hew-report-charts" type="application/json">${scriptJson(vegaSpecs)}</script>
<script>${vegaScript()}</script>
<script>${RENDER}</script>
</body>
</html>
`;
}
