import type { EvalSummary, Interval, ModelSpec, Rate } from "../schema/eval.js";
import { formatCheckerId } from "../validate/checker.js";
import { differenceInterval } from "./score.js";

const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
const signedPct = (x: number) => `${x >= 0 ? "+" : "−"}${Math.abs(x * 100).toFixed(1)}`;
const interval = (i: Interval) => `[${pct(i.low)}, ${pct(i.high)}]`;

function table(rows: readonly string[][], rightAligned: ReadonlySet<number>): string {
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => r[c]!.length)));
  return rows.map((r) => r.map((cell, c) => (rightAligned.has(c) ? cell.padStart(widths[c]!) : cell.padEnd(widths[c]!))).join("  ").trimEnd()).join("\n");
}

export function describeModel(model: ModelSpec): string {
  if (model.kind === "http") {
    const lora = model.lora.map((l) => ` lora ${l.id}×${l.scale}`).join("");
    return `${model.model} at ${model.url}${lora}`;
  }
  return `${model.path}${model.lora.map((l) => ` + ${l.path}×${l.scale}`).join("")}${model.threads === undefined ? "" : ` on ${model.threads} thread${model.threads === 1 ? "" : "s"}`}`;
}

const OUTCOME_WORDS: [keyof EvalSummary["outcomes"], string][] = [
  ["pass", "pass"],
  ["fail", "fail"],
  ["no-code", "no code"],
  ["model-error", "model error"],
  ["checker-error", "checker error"],
  ["unchecked", "unchecked"],
];

export interface ReportOptions {
  /** Failure categories and unknown groups listed (default 5). */
  top?: number;
}

/** The per-category table, the outcome counts and the top failure categories of one run. */
export function formatEvalSummary(s: EvalSummary, { top = 5 }: ReportOptions = {}): string {
  const ks = s.overall.passAtK.filter((p) => p.k > 1).map((p) => p.k);
  const row = (name: string, r: Rate) => [name, String(r.prompts), pct(r.rate), interval(r.interval), ...ks.map((k) => pct(r.passAtK.find((p) => p.k === k)?.rate ?? NaN))];
  const rows = [
    ["category", "prompts", "pass@1", "95% interval", ...ks.map((k) => `pass@${k}`)],
    ...s.categories.map((c) => row(c.category, c)),
    row("overall", s.overall),
  ];
  const n = s.sampling.n;
  const lines = [
    `eval ${s.runId}: ${describeModel(s.model)}`,
    `  ${s.overall.prompts} prompts × ${n} answer${n === 1 ? "" : "s"}, temperature ${s.sampling.temperature}, system prompt ${s.systemPromptVersion ?? "none"}, checked by ${formatCheckerId(s.checker)}`,
    "",
    table(rows, new Set([1, 2, ...ks.map((_, i) => 4 + i)])),
    "",
    `answers ${s.overall.answers}: ${OUTCOME_WORDS.filter(([o]) => o === "pass" || o === "fail" || s.outcomes[o] > 0)
      .map(([o, w]) => `${w} ${s.outcomes[o]}`)
      .join(", ")}`,
    `prose leaks (prose removed around the code): ${s.proseLeaks}; cut off at max tokens: ${s.truncated}`,
  ];
  if (s.failures.length > 0) {
    lines.push("", "top failure categories:");
    lines.push(table(s.failures.slice(0, top).map((f) => [`  ${f.category}`, String(f.answers)]), new Set([1])));
  }
  if (s.unknownFailures.length > 0) {
    lines.push("", "failures no category explains, by first error and message shape:");
    lines.push(table(s.unknownFailures.slice(0, top).map((g) => [`  ${g.group}`, String(g.answers), `e.g. ${g.example}`]), new Set([1])));
  }
  const noVerdict = s.outcomes["checker-error"] + s.outcomes.unchecked + s.outcomes["model-error"];
  if (noVerdict > 0) {
    lines.push("", `warning: ${noVerdict} answers have no real verdict or no answer; they count as misses`);
    const words = new Map(OUTCOME_WORDS);
    for (const f of s.firstErrors) lines.push(`  first ${words.get(f.outcome)} (${f.example}): ${f.error.split("\n")[0]}`);
  }
  if (s.unfinished) lines.push("", `warning: the run did not finish (no end record): ${s.overall.answers} answers were saved before it stopped`);
  return lines.join("\n");
}

/**
 * What differs between two runs besides the model: a change in pass rate across different sampling, token
 * limits, prompts or system prompts measures those too.
 */
export function comparisonWarnings(before: EvalSummary, after: EvalSummary): string[] {
  const warnings: string[] = [];
  const differ = (what: string, a: unknown, b: unknown) => {
    if (JSON.stringify(a) !== JSON.stringify(b)) warnings.push(`${before.runId} and ${after.runId} differ in ${what}: ${JSON.stringify(a)} vs ${JSON.stringify(b)}`);
  };
  const { maxTokens: maxA, ...samplingA } = before.sampling;
  const { maxTokens: maxB, ...samplingB } = after.sampling;
  differ("sampling settings", samplingA, samplingB);
  differ("max tokens", maxA, maxB);
  differ("prompt set", `${before.promptSet.file} v${before.promptSet.version} (${before.promptSet.prompts} prompts, sha256 ${before.promptSet.sha256.slice(0, 12)})`, `${after.promptSet.file} v${after.promptSet.version} (${after.promptSet.prompts} prompts, sha256 ${after.promptSet.sha256.slice(0, 12)})`);
  differ("system prompt", before.systemPromptVersion, after.systemPromptVersion);
  return warnings;
}

export type Change = "better" | "worse" | "no clear change";

export interface RateChange {
  before: number;
  after: number;
  delta: number;
  /** 95% interval of `after - before` (Newcombe). */
  interval: Interval;
  change: Change;
}

export interface EvalComparison {
  before: string;
  after: string;
  overall: RateChange;
  categories: ({ category: string } & RateChange)[];
  failures: { category: string; before: number; after: number }[];
}

function rateChange(before: Rate, after: Rate): RateChange {
  const i = differenceInterval(before, after);
  return { before: before.rate, after: after.rate, delta: after.rate - before.rate, interval: i, change: i.low > 0 ? "better" : i.high < 0 ? "worse" : "no clear change" };
}

/** What changed from run `before` to run `after`, per category, with intervals that say whether it is more than noise. */
export function compareEvalSummaries(before: EvalSummary, after: EvalSummary): EvalComparison {
  const categories = after.categories.flatMap((c) => {
    const old = before.categories.find((b) => b.category === c.category);
    return old ? [{ category: c.category, ...rateChange(old, c) }] : [];
  });
  const names = [...new Set([...before.failures, ...after.failures].map((f) => f.category))];
  const count = (s: EvalSummary, name: string) => s.failures.find((f) => f.category === name)?.answers ?? 0;
  return {
    before: before.runId,
    after: after.runId,
    overall: rateChange(before.overall, after.overall),
    categories,
    failures: names
      .map((category) => ({ category, before: count(before, category), after: count(after, category) }))
      .sort((a, b) => Math.abs(b.after - b.before) - Math.abs(a.after - a.before) || a.category.localeCompare(b.category)),
  };
}

export function formatComparison(c: EvalComparison): string {
  const row = (name: string, r: RateChange) => [name, pct(r.before), pct(r.after), signedPct(r.delta), `[${signedPct(r.interval.low)}, ${signedPct(r.interval.high)}]`, r.change];
  const lines = [
    `eval ${c.before} → ${c.after} (pass@1; change in points with its 95% interval)`,
    "",
    table([["category", c.before, c.after, "change", "95% interval", ""], ...c.categories.map((r) => row(r.category, r)), row("overall", c.overall)], new Set([1, 2, 3])),
  ];
  const moved = c.failures.filter((f) => f.before !== f.after);
  if (moved.length > 0) {
    lines.push("", "failure categories (answers):");
    lines.push(table(moved.map((f) => [`  ${f.category}`, String(f.before), "→", String(f.after)]), new Set([1, 3])));
  }
  return lines.join("\n");
}
