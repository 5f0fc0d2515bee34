import type { Funnel } from "../schema/export.js";
import type { PreparedTrainingSet } from "./pipeline.js";

const STAGES: [keyof Funnel, string][] = [
  ["loaded", "loaded"],
  ["valid", "valid"],
  ["unique", "unique"],
  ["clean", "clean"],
  ["withinBudget", "within budget"],
  ["exported", "exported"],
];

/** The funnel: samples left after each stage. `exportedLabel` names the last stage when nothing is written. */
export function formatFunnel(funnel: Funnel, exportedLabel = "exported"): string {
  return [
    "funnel:",
    ...STAGES.map(([key, label]) => `  ${(key === "exported" ? exportedLabel : label).padEnd(15)}${String(funnel[key]).padStart(7)}`),
  ].join("\n");
}

/** One line per sample left out: file:line [id] reason: detail. */
export function formatDropped(prepared: PreparedTrainingSet): string[] {
  return prepared.decisions
    .filter((d) => d.dropped)
    .map((d) => `  ${d.sample.file}:${d.sample.line} [${d.sample.sample.id}] ${d.dropped!.reason}: ${d.dropped!.detail}`);
}

/** Verdicts that no real compiler gave (the test stand-in, say) are worth a loud line. */
export function checkerNotes(prepared: PreparedTrainingSet): string[] {
  const names = new Set(prepared.validation.flatMap((r) => r.blocks.map((b) => b.verdict?.checker.name)).filter((n) => n !== undefined && n !== "hew"));
  return [...names].map((n) => `note: verdicts from ${n}, not the hew compiler`);
}
