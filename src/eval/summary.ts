import { AnswerOutcomeSchema, type AnswerOutcome, type EvalAnswer, type EvalRun, type EvalSummary, type Rate } from "../schema/eval.js";
import type { EvalResults } from "../schema/run.js";
import { EVAL_CATEGORIES } from "../schema/sample.js";
import { describeModel } from "./report.js";
import { passAtK, wilsonInterval } from "./score.js";

interface PromptTally {
  answers: number;
  passed: number;
}

/** pass@1, pass@n (and pass@5, pass@10 in between) when there are several answers per prompt. */
function reportedKs(n: number): number[] {
  return [...new Set([1, ...[5, 10].filter((k) => k < n), n])];
}

function rateOf(tallies: readonly PromptTally[], ks: readonly number[]): Rate {
  const prompts = tallies.length;
  const mean = (f: (t: PromptTally) => number) => (prompts === 0 ? 0 : tallies.reduce((s, t) => s + f(t), 0) / prompts);
  const rate = mean((t) => t.passed / t.answers);
  return {
    prompts,
    answers: tallies.reduce((s, t) => s + t.answers, 0),
    passed: tallies.reduce((s, t) => s + t.passed, 0),
    rate,
    interval: wilsonInterval(rate, prompts),
    passAtK: ks.filter((k) => tallies.every((t) => k <= t.answers)).map((k) => ({ k, rate: mean((t) => passAtK(t.answers, t.passed, k)) })),
  };
}

function groupBy<T, K extends string>(items: readonly T[], key: (item: T) => K | undefined): Map<K, T[]> {
  const groups = new Map<K, T[]>();
  for (const item of items) {
    const k = key(item);
    if (k === undefined) continue;
    const group = groups.get(k);
    if (group) group.push(item);
    else groups.set(k, [item]);
  }
  return groups;
}

const byCountThenName = <T extends { answers: number }>(name: (x: T) => string) => (a: T, b: T) => b.answers - a.answers || name(a).localeCompare(name(b));

/** What a run says: pass rates with intervals overall and per category, and why the rest failed. */
export function summarizeEvalRun({ header, answers }: EvalRun): EvalSummary {
  const ks = reportedKs(header.sampling.n);
  const prompts = groupBy(answers, (a) => a.promptId);
  const tally = (list: readonly EvalAnswer[]): PromptTally => ({ answers: list.length, passed: list.filter((a) => a.outcome === "pass").length });
  const categories = EVAL_CATEGORIES.flatMap((category) => {
    const tallies = [...prompts.values()].filter((list) => list[0]!.category === category).map(tally);
    return tallies.length === 0 ? [] : [{ category, ...rateOf(tallies, ks) }];
  });
  const outcomes = Object.fromEntries(AnswerOutcomeSchema.options.map((o) => [o, 0])) as Record<AnswerOutcome, number>;
  for (const a of answers) outcomes[a.outcome]++;
  const failing = answers.filter((a) => a.outcome === "fail");
  const failures = [...groupBy(failing, (a) => a.failureCategory)].map(([category, list]) => ({ category, answers: list.length }));
  const unknown = [...groupBy(failing.filter((a) => a.failureCategory === "other"), (a) => a.failureGroup)].map(([group, list]) => ({
    group,
    answers: list.length,
    example: `${list[0]!.promptId}#${list[0]!.sample}`,
  }));
  return {
    runId: header.runId,
    model: header.model,
    sampling: header.sampling,
    systemPromptVersion: header.systemPrompt?.version ?? null,
    promptSet: header.promptSet,
    checker: header.checker,
    overall: rateOf([...prompts.values()].map(tally), ks),
    categories,
    outcomes,
    failures: failures.sort(byCountThenName((f) => f.category)),
    unknownFailures: unknown.sort(byCountThenName((g) => g.group)),
    proseLeaks: answers.filter((a) => a.stripped.proseBefore !== "" || a.stripped.proseAfter !== "").length,
    truncated: answers.filter((a) => a.finishReason === "length").length,
    firstErrors: (["model-error", "checker-error", "unchecked"] as const).flatMap((outcome) => {
      const first = answers.find((a) => a.outcome === outcome && a.error);
      return first ? [{ outcome, error: first.error!, example: `${first.promptId}#${first.sample}` }] : [];
    }),
    wallMs: header.wallMs ?? 0,
    ...(header.finishedAt === undefined ? { unfinished: true as const } : {}),
  };
}

/** The summary as the run registry stores a run's eval results (answers counted, 95% interval). */
export function evalResultsOf(summary: EvalSummary): EvalResults {
  return {
    passRate: summary.overall.rate,
    interval: { ...summary.overall.interval, level: 0.95 },
    perCategory: Object.fromEntries(summary.categories.map((c) => [c.category, { passed: c.passed, total: c.answers, rate: c.rate }])),
    failureCategories: Object.fromEntries(summary.failures.map((f) => [f.category, f.answers])),
    model: describeModel(summary.model),
    promptSet: `${summary.promptSet.file} v${summary.promptSet.version}`,
  };
}
