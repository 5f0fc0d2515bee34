import type { FailureCategoryId } from "../schema/corrections.js";
import type { SystemPromptVersion } from "../schema/system-prompt.js";
import type { RunAnswer } from "./eval-run.js";
import { getFailureCategory } from "../failures/registry.js";
import { proposeRules, type RuleProposal } from "./rules.js";

export interface CategoryPlan {
  category: FailureCategoryId;
  title: string;
  failures: number;
  /** Failing answers per eval category, e.g. { actors: 2 }. */
  byEvalCategory: Record<string, number>;
  /** Correction samples to generate (0 when the category has no templates). */
  proposedSamples: number;
  templates: string[];
}

export interface CorrectionPlan {
  answers: number;
  /** Answers per outcome, e.g. { pass: 25, fail: 12, "no-code": 1 }. */
  outcomes: Record<string, number>;
  /** Failure categories, most frequent first. */
  categories: CategoryPlan[];
  promptVersion: string;
  rules: RuleProposal[];
}

/** The failure categories of a run, most frequent first, each with the samples to propose for it. */
export function failureCounts(answers: readonly RunAnswer[], perCategory: number): CategoryPlan[] {
  const counts = new Map<FailureCategoryId, CategoryPlan>();
  for (const a of answers) {
    if (a.outcome !== "fail" || a.failureCategory === undefined) continue;
    let plan = counts.get(a.failureCategory);
    if (!plan) {
      const category = getFailureCategory(a.failureCategory);
      const templates = category.templates.map((t) => t.id);
      plan = { category: category.id, title: category.title, failures: 0, byEvalCategory: {}, proposedSamples: templates.length > 0 ? perCategory : 0, templates };
      counts.set(a.failureCategory, plan);
    }
    plan.failures++;
    plan.byEvalCategory[a.category] = (plan.byEvalCategory[a.category] ?? 0) + 1;
  }
  return [...counts.values()].sort((a, b) => b.failures - a.failures || a.category.localeCompare(b.category));
}

/** From an eval run to new data: failure counts, samples to generate per failing category, missing prompt rules. */
export function planCorrections(answers: readonly RunAnswer[], options: { perCategory: number; prompt: SystemPromptVersion }): CorrectionPlan {
  const categories = failureCounts(answers, options.perCategory);
  const outcomes: Record<string, number> = { pass: 0, fail: 0 };
  for (const a of answers) outcomes[a.outcome] = (outcomes[a.outcome] ?? 0) + 1;
  return {
    answers: answers.length,
    outcomes,
    categories,
    promptVersion: options.prompt.id,
    rules: proposeRules(
      options.prompt,
      categories.map((c) => c.category),
    ),
  };
}

export function formatPlan(plan: CorrectionPlan, run: string): string {
  const pct = plan.answers === 0 ? 0 : (100 * (plan.outcomes.pass ?? 0)) / plan.answers;
  const outcomes = Object.entries(plan.outcomes)
    .map(([o, n]) => `${n} ${o}`)
    .join(", ");
  const lines = [`${plan.answers} answers: ${outcomes} (pass rate ${pct.toFixed(1)}%)`];
  if (plan.categories.length === 0) lines.push("", "no failures to correct");
  else {
    lines.push("", "failures by category:");
    const width = Math.max(...plan.categories.map((c) => c.category.length));
    for (const c of plan.categories) {
      const where = Object.entries(c.byEvalCategory)
        .sort((a, b) => b[1] - a[1])
        .map(([k, n]) => `${k} ${n}`)
        .join(", ");
      const propose = c.proposedSamples > 0 ? `propose ${c.proposedSamples} samples (${c.templates.join(", ")})` : "no templates: read these failures by hand";
      lines.push(`  ${c.category.padEnd(width)}  ${String(c.failures).padStart(3)}  ${propose}`, `  ${"".padEnd(width)}       in ${where}`);
    }
  }
  lines.push("", plan.rules.length === 0 ? `system prompt ${plan.promptVersion}: no rules missing for these categories` : `system prompt ${plan.promptVersion}: ${plan.rules.length} rule change(s) proposed:`);
  for (const p of plan.rules) lines.push(`  ${p.change === "add" ? "+" : "~"} ${p.rule.id} [${p.category}]: ${p.rule.text}`);
  const wanted = plan.categories.filter((c) => c.proposedSamples > 0);
  if (wanted.length > 0 || plan.rules.length > 0) {
    lines.push("", "next:");
    if (wanted.length > 0) lines.push(`  hew-corpus corrections generate --run ${run} --per-category ${wanted[0]!.proposedSamples}`);
    if (plan.rules.length > 0) lines.push(`  hew-corpus prompt new --from ${plan.promptVersion} --run ${run}`);
  }
  return lines.join("\n");
}
