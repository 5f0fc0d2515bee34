import { FAILURE_CATEGORY_IDS } from "../schema/corrections.js";
import type { SystemPromptRule, SystemPromptVersion } from "../schema/system-prompt.js";
import { UserError } from "../util/errors.js";
import { renderSystemPrompt } from "./system-prompt.js";

export interface PromptBudgetOptions {
  /** The rendered prompt must stay under this many tokens. */
  budget: number;
  /** Token ids of plain text, as the target model's tokenizer gives them (chatml/tokens.ts). */
  encode: (text: string) => readonly number[];
  /** Failing answers per failure category of the latest eval run, most frequent first: their rules go first. */
  failures?: readonly { category: string; answers: number }[];
}

export interface FittedSystemPrompt {
  /** The version with only the kept rules, most important first; its id stays the version's. */
  version: SystemPromptVersion;
  kept: string[];
  dropped: string[];
  /** Tokens of the rendered prompt. */
  tokens: number;
  budget: number;
}

/**
 * Rule order for a tight budget: rules against the failures the latest eval run showed (the most frequent
 * first), then by category weight (the failure registry's priority order; rules without a category last),
 * the version's own order breaking ties.
 */
export function rankRules(rules: readonly SystemPromptRule[], failures: PromptBudgetOptions["failures"] = []): SystemPromptRule[] {
  const seen = new Map(failures.map((f, i) => [f.category, i]));
  const weight = (r: SystemPromptRule): [number, number] => {
    const c = r.category ?? "";
    if (seen.has(c)) return [0, seen.get(c)!];
    const i = (FAILURE_CATEGORY_IDS as readonly string[]).indexOf(c);
    return [1, i < 0 ? FAILURE_CATEGORY_IDS.length : i];
  };
  return rules
    .map((rule, index) => ({ rule, index, w: weight(rule) }))
    .sort((a, b) => a.w[0] - b.w[0] || a.w[1] - b.w[1] || a.index - b.index)
    .map((x) => x.rule);
}

/**
 * The version's rules that fit: taken in rank order, each kept when the prompt rendered with it stays
 * under the budget (a long rule that does not fit leaves room for shorter ones after it).
 */
export function fitSystemPrompt(version: SystemPromptVersion, options: PromptBudgetOptions): FittedSystemPrompt {
  const count = (rules: SystemPromptRule[]) => options.encode(renderSystemPrompt({ ...version, rules })).length;
  const bare = count([]);
  if (bare >= options.budget) {
    throw new UserError(`system prompt ${version.id}: its preamble alone is ${bare} tokens, not under the budget of ${options.budget}; raise the budget or shorten the preamble`);
  }
  const kept: SystemPromptRule[] = [];
  let tokens = bare;
  for (const rule of rankRules(version.rules, options.failures)) {
    const n = count([...kept, rule]);
    if (n < options.budget) {
      kept.push(rule);
      tokens = n;
    }
  }
  const keptIds = new Set(kept.map((r) => r.id));
  return {
    version: { ...version, rules: kept },
    kept: kept.map((r) => r.id),
    dropped: version.rules.filter((r) => !keptIds.has(r.id)).map((r) => r.id),
    tokens,
    budget: options.budget,
  };
}
