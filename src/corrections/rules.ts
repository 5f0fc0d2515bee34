import type { FailureCategoryId } from "../schema/corrections.js";
import type { SystemPromptRule, SystemPromptVersion } from "../schema/system-prompt.js";
import { UserError } from "../util/errors.js";
import type { CategoryRule } from "../failures/category.js";
import { failureRegistry } from "../failures/registry.js";

/** A registry rule a prompt version lacks (`add`) or holds with other words (`update`). */
export interface RuleProposal {
  change: "add" | "update";
  category: FailureCategoryId;
  rule: CategoryRule;
  /** The version's current rule, for an update. */
  current?: SystemPromptRule;
}

/**
 * What the registry would change in a prompt version to fight the given categories (all of them when
 * none are given). The registry holds the living rule text; versions are snapshots of it.
 */
export function proposeRules(version: SystemPromptVersion, categories?: readonly FailureCategoryId[]): RuleProposal[] {
  const byId = new Map(version.rules.map((r) => [r.id, r]));
  const proposals: RuleProposal[] = [];
  for (const category of failureRegistry) {
    if (categories && !categories.includes(category.id)) continue;
    // `short` is the registry's own: a version's rule holds one text.
    for (const { short, ...rule } of category.rules) {
      const current = byId.get(rule.id);
      if (!current) proposals.push({ change: "add", category: category.id, rule });
      else if (![rule.text, short].some((t) => t?.trim() === current.text.trim()) || current.category !== category.id) {
        proposals.push({ change: "update", category: category.id, rule, current });
      }
    }
  }
  return proposals;
}

/** `v2` -> `v3`; an id without a trailing number gets `-2`. */
export function nextVersionId(id: string): string {
  const m = /^(.*?)(\d+)$/.exec(id);
  return m ? `${m[1]}${Number(m[2]) + 1}` : `${id}-2`;
}

/**
 * The next version: the parent's rules in their order with proposed updates applied (keeping `addedIn`),
 * then the added rules, introduced by the new version.
 */
export function nextPromptVersion(parent: SystemPromptVersion, proposals: readonly RuleProposal[], id: string, description?: string): SystemPromptVersion {
  if (proposals.length === 0) {
    throw new UserError(
      `nothing to propose for ${parent.id}: it already holds every registry rule for these categories; to go on, read the failures an eval left (\`hew-corpus corrections plan RUN\`) and write the next version's rules by hand`,
    );
  }
  const updates = new Map(proposals.filter((p) => p.change === "update").map((p) => [p.rule.id, p]));
  const rules: SystemPromptRule[] = parent.rules.map((r) => {
    const u = updates.get(r.id);
    return u ? { ...r, text: u.rule.text, category: u.category, reason: u.rule.reason } : r;
  });
  for (const p of proposals.filter((x) => x.change === "add")) rules.push({ ...p.rule, category: p.category, addedIn: id });
  const added = proposals.filter((p) => p.change === "add").map((p) => p.rule.id);
  const updated = [...updates.keys()];
  return {
    id,
    parent: parent.id,
    description:
      description ??
      [`${parent.id} plus the failure registry's rules`, added.length ? `added: ${added.join(", ")}` : "", updated.length ? `updated: ${updated.join(", ")}` : ""].filter(Boolean).join("; ") + ".",
    preamble: parent.preamble,
    rules,
  };
}
