import type { SynthFunnel, TokenUsage } from "../schema/synth.js";
import type { SynthesizeResult } from "./synthesize.js";

/** The funnel's rows: stages left to right, then every way a task ends without a sample. */
function rows(f: SynthFunnel): [string, number][] {
  return [
    ["tasks", f.tasks],
    ["answered", f.answered],
    ["passed 1st try", f.passedFirstTry],
    ...f.passedAfterRepair.map((n, i): [string, number] => [`after repair ${i + 1}`, n]),
    ["failed", f.failed],
    ["no code", f.noCode],
    ["unchecked", f.unchecked],
    ["checker-error", f.checkerError],
    ["teacher-error", f.teacherError],
    ["duplicates", f.duplicates],
    ["leaks", f.leaks],
    ["admitted", f.admitted],
  ];
}

/** A table: one row per funnel stage, a column for the whole run and one per category. */
export function formatSynthFunnel(total: SynthFunnel, byCategory: Partial<Record<string, SynthFunnel>>): string {
  const categories = Object.keys(byCategory).sort();
  const columns: [string, SynthFunnel][] = [["all", total], ...categories.map((c): [string, SynthFunnel] => [c, byCategory[c]!])];
  const labels = rows(total).map(([label]) => label);
  const width = Math.max(...labels.map((l) => l.length));
  const cols = columns.map(([name]) => Math.max(5, name.length));
  const header = `${"".padEnd(width)}  ${columns.map(([name], i) => name.padStart(cols[i]!)).join("  ")}`;
  const body = labels.map((label, r) => `${label.padEnd(width)}  ${columns.map(([, f], i) => String(rows(f)[r]![1]).padStart(cols[i]!)).join("  ")}`);
  return ["funnel:", header, ...body].join("\n");
}

export function formatUsage(usage: TokenUsage, cost?: number): string {
  const spent = `${usage.requests} requests, ${usage.promptTokens} prompt + ${usage.completionTokens} completion tokens`;
  return cost === undefined ? spent : `${spent}, cost ${cost.toFixed(4)}`;
}

export function formatSynthResult(result: SynthesizeResult): string {
  const lines = [formatSynthFunnel(result.funnel, result.byCategory), "", `teacher ${result.teacher}: ${formatUsage(result.usage, result.cost)}`];
  if (result.resumed > 0) lines.push(`resumed: ${result.resumed} tasks read from ${result.stateFile}, not asked again`);
  if (result.rejections.length > 0) lines.push("", "not admitted:", ...result.rejections.map((r) => `  ${r.taskId}: ${r.reason}: ${r.detail}`));
  const errors = result.records.filter((r) => r.error && r.outcome !== "failed");
  if (errors.length > 0) lines.push("", "no verdict or no answer:", ...errors.slice(0, 10).map((r) => `  ${r.taskId}: ${r.outcome}: ${r.error}`));
  return lines.join("\n");
}
