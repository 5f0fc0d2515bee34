import type { TopLevelSpec } from "vega-lite";
import { EVAL_CATEGORIES } from "../schema/sample.js";
import type { ReportData } from "./report-data.js";

/** One chart of the report: where it goes, what it shows, and its Vega-Lite spec. */
export interface Chart {
  id: string;
  title: string;
  caption: string;
  spec: TopLevelSpec;
}

const WIDTH = 640;

/** Categories in the eval set's order, then any others the data holds, alphabetically. */
function categoryOrder(present: Iterable<string>): string[] {
  const known: readonly string[] = EVAL_CATEGORIES;
  const set = new Set(present);
  return [...known.filter((c) => set.has(c)), ...[...set].filter((c) => !known.includes(c)).sort()];
}

function evaluated(data: ReportData) {
  return data.runs.filter((r) => r.eval);
}

function passRateChart(data: ReportData): Chart {
  const rows = evaluated(data).map((r) => ({
    version: r.label,
    rate: r.eval!.passRate,
    low: r.eval!.interval?.low ?? r.eval!.passRate,
    high: r.eval!.interval?.high ?? r.eval!.passRate,
    passed: r.passed ?? null,
    total: r.total ?? null,
  }));
  const x = { field: "version", type: "nominal", sort: rows.map((r) => r.version), title: "Version", axis: { labelAngle: 0 } } as const;
  return {
    id: "pass-rate",
    title: "Pass rate per version",
    caption: "Share of eval prompts whose answer passes `hew check`; the line is the confidence interval. Overlapping intervals mean no clear change.",
    spec: {
      data: { values: rows },
      width: { step: 72 },
      height: 280,
      encoding: { x },
      layer: [
        {
          mark: { type: "bar", color: "#4c78a8", width: { band: 0.6 } },
          encoding: {
            y: { field: "rate", type: "quantitative", title: "Pass rate", scale: { domain: [0, 1] }, axis: { format: "%" } },
            tooltip: [
              { field: "version", title: "Version" },
              { field: "rate", title: "Pass rate", format: ".0%" },
              { field: "low", title: "Interval low", format: ".0%" },
              { field: "high", title: "Interval high", format: ".0%" },
              { field: "passed", title: "Passed" },
              { field: "total", title: "Prompts" },
            ],
          },
        },
        { mark: { type: "rule", strokeWidth: 2, color: "#222" }, encoding: { y: { field: "low", type: "quantitative" }, y2: { field: "high" } } },
        { mark: { type: "text", dy: -8, fontWeight: "bold" }, encoding: { y: { field: "high", type: "quantitative" }, text: { field: "rate", format: ".0%" } } },
      ],
    },
  };
}

function categoryChart(data: ReportData): Chart {
  const runs = evaluated(data);
  const cells = runs.flatMap((r) =>
    Object.entries(r.eval!.perCategory).map(([category, c]) => ({ version: r.label, category, rate: c.rate, passed: c.passed, total: c.total, counts: `${c.passed}/${c.total}` })),
  );
  const x = { field: "version", type: "nominal", sort: runs.map((r) => r.label), title: "Version", axis: { labelAngle: 0, orient: "top" } } as const;
  const y = { field: "category", type: "nominal", sort: categoryOrder(cells.map((c) => c.category)), title: "Category" } as const;
  return {
    id: "categories",
    title: "Pass rate per category across versions",
    caption: "Each cell: prompts of that category passed by that version.",
    spec: {
      data: { values: cells },
      width: { step: 72 },
      height: { step: 26 },
      encoding: { x, y },
      layer: [
        {
          mark: { type: "rect", stroke: "white" },
          encoding: {
            color: { field: "rate", type: "quantitative", title: "Pass rate", scale: { domain: [0, 1], scheme: "redyellowgreen" }, legend: { format: "%" } },
            tooltip: [
              { field: "version", title: "Version" },
              { field: "category", title: "Category" },
              { field: "rate", title: "Pass rate", format: ".0%" },
              { field: "counts", title: "Passed" },
            ],
          },
        },
        {
          mark: { type: "text", fontSize: 11 },
          // Dark cells at both ends of the scheme need light text.
          encoding: { text: { field: "counts" }, color: { condition: { test: "datum.rate >= 0.85 || datum.rate < 0.15", value: "white" }, value: "black" } },
        },
      ],
    },
  };
}

function failureChart(data: ReportData): Chart {
  const runs = evaluated(data);
  const rows = runs.flatMap((r) => Object.entries(r.eval!.failureCategories).map(([failure, count]) => ({ version: r.label, failure, count })));
  return {
    id: "failures",
    title: "Failure categories per version",
    caption: "Why failing answers failed, by the failure category their diagnostics fall in.",
    spec: {
      data: { values: rows },
      width: { step: 72 },
      height: 260,
      mark: "bar",
      encoding: {
        x: { field: "version", type: "nominal", sort: runs.map((r) => r.label), title: "Version", axis: { labelAngle: 0 } },
        y: { field: "count", type: "quantitative", aggregate: "sum", title: "Failing answers" },
        color: { field: "failure", type: "nominal", title: "Failure category" },
        tooltip: [
          { field: "version", title: "Version" },
          { field: "failure", title: "Failure category" },
          { field: "count", aggregate: "sum", title: "Answers" },
        ],
      },
    },
  };
}

function compositionChart(data: ReportData): Chart {
  return {
    id: "composition",
    title: "Corpus composition by category and source",
    caption: "Samples in the corpus per category, split by where they came from.",
    spec: {
      data: { values: data.composition },
      width: WIDTH - 160,
      height: { step: 22 },
      mark: "bar",
      encoding: {
        y: { field: "category", type: "nominal", sort: categoryOrder(data.composition.map((c) => c.category)), title: "Category" },
        x: { field: "samples", type: "quantitative", aggregate: "sum", title: "Samples" },
        color: { field: "source", type: "nominal", title: "Source" },
        tooltip: [
          { field: "category", title: "Category" },
          { field: "source", title: "Source" },
          { field: "samples", aggregate: "sum", title: "Samples" },
        ],
      },
    },
  };
}

function tokenChart(data: ReportData): Chart {
  const { tokenizer, maxSeqLen, max, bins } = data.tokenLengths;
  const rows = bins.map((b) => ({ range: b.to === undefined ? `over ${maxSeqLen}` : `${b.from}–${b.to}`, samples: b.samples, over: b.to === undefined }));
  return {
    id: "tokens",
    title: "Token lengths",
    caption: `Tokens per sample as the model sees it, system prompt included (${tokenizer}). The budget is ${maxSeqLen}; samples over it are left out of the training set, never cut. The longest has ${max}.`,
    spec: {
      data: { values: rows },
      width: WIDTH,
      height: 220,
      mark: "bar",
      encoding: {
        x: { field: "range", type: "ordinal", sort: rows.map((r) => r.range), title: "Tokens per sample", axis: { labelAngle: 0 } },
        y: { field: "samples", type: "quantitative", title: "Samples" },
        color: { field: "over", type: "nominal", scale: { domain: [false, true], range: ["#72b7b2", "#e45756"] }, legend: null },
        tooltip: [
          { field: "range", title: "Tokens" },
          { field: "samples", title: "Samples" },
        ],
      },
    },
  };
}

function funnelChart(data: ReportData): Chart {
  const first = data.funnel[0]?.samples ?? 0;
  const rows = data.funnel.map((s) => ({ ...s, share: first > 0 ? s.samples / first : 0 }));
  const y = { field: "step", type: "nominal", sort: rows.map((r) => r.step), title: null } as const;
  return {
    id: "funnel",
    title: "Validation funnel",
    caption: "Samples left after each step of the export: a sample ships only when every Hew block in it passes the compiler, it duplicates no other, leaks no eval prompt and fits the token budget.",
    spec: {
      data: { values: rows },
      width: WIDTH - 160,
      height: { step: 30 },
      encoding: { y },
      layer: [
        {
          mark: { type: "bar", color: "#54a24b" },
          encoding: {
            x: { field: "samples", type: "quantitative", title: "Samples" },
            tooltip: [
              { field: "step", title: "Step" },
              { field: "samples", title: "Samples" },
              { field: "share", title: "Of loaded", format: ".0%" },
            ],
          },
        },
        { mark: { type: "text", align: "left", dx: 4 }, encoding: { x: { field: "samples", type: "quantitative" }, text: { field: "samples" } } },
      ],
    },
  };
}

/** The report's charts in reading order: how the model does, why it fails, then what it learned from. */
export function reportCharts(data: ReportData): Chart[] {
  const corpus = [compositionChart(data), tokenChart(data), funnelChart(data)];
  return evaluated(data).length > 0 ? [passRateChart(data), categoryChart(data), failureChart(data), ...corpus] : corpus;
}
