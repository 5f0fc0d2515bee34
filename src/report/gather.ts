import { corpusStats } from "../export/stats.js";
import type { PreparedTrainingSet } from "../export/pipeline.js";
import type { Funnel } from "../schema/export.js";
import type { RunRecord } from "../schema/run.js";
import { formatCheckerId } from "../validate/checker.js";
import { summarize } from "../validate/report.js";
import { composition } from "./composition.js";
import type { ReportData } from "./report-data.js";
import { runRows } from "./run-rows.js";

const FUNNEL_STEPS: [keyof Funnel, string][] = [
  ["loaded", "loaded"],
  ["valid", "every block passes hew check"],
  ["unique", "not a duplicate"],
  ["clean", "leaks no eval prompt"],
  ["withinBudget", "within the token budget"],
  ["exported", "in the training set"],
];

export interface ReportInput {
  /** The run registry's records, in order. */
  runs: readonly RunRecord[];
  /** The corpus as export sees it: validated (lock, cache, compiler), deduplicated, checked for leaks, counted. */
  prepared: PreparedTrainingSet;
  title?: string;
  now?: Date;
}

/** Reduce the registry and the prepared corpus to what the report draws. */
export function reportData({ runs, prepared, title, now }: ReportInput): ReportData {
  const stats = corpusStats(prepared);
  return {
    title: title ?? "hew-corpus report",
    generatedAt: (now ?? new Date()).toISOString(),
    runs: runRows(runs),
    composition: composition(prepared.decisions.map((d) => d.sample.sample)),
    funnel: FUNNEL_STEPS.map(([key, step]) => ({ step, samples: prepared.funnel[key] })),
    tokenLengths: { tokenizer: prepared.tokenizer.name, maxSeqLen: stats.tokens.maxSeqLen, max: stats.tokens.max, bins: stats.tokens.histogram },
    systemPrompt: prepared.systemPrompt.id,
    checkers: [...new Set(summarize(prepared.validation).checkers.map((c) => formatCheckerId(c.checker)))],
  };
}
