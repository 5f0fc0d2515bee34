import type { SystemPromptRule, SystemPromptVersion } from "../schema/system-prompt.js";
import type { CheckerId } from "../schema/verdict.js";
import type { Checker } from "../validate/checker.js";
import { checkExpectations, type ExpectationOutcome, type HewExpectation } from "../failures/expectations.js";

/** A rule's examples as expectations: every good one must pass, every bad one must fail as it says. */
export function ruleExpectations(version: SystemPromptVersion, rule: SystemPromptRule): HewExpectation[] {
  const at = `${version.id} ${rule.id}`;
  return [
    ...(rule.examples?.good ?? []).map((program, i): HewExpectation => ({ label: `${at} good ${i + 1}`, program, expect: "pass" })),
    ...(rule.examples?.bad ?? []).map((b, i): HewExpectation => ({ label: `${at} bad ${i + 1}`, program: b.program, expect: { fails: b.fails } })),
  ];
}

export function versionExpectations(version: SystemPromptVersion): HewExpectation[] {
  return version.rules.flatMap((r) => ruleExpectations(version, r));
}

/** Why a rule no longer holds, in the words of what happened to the language. */
const STALE_WORDS = {
  "fail-to-pass": "forbids something the language now allows",
  "pass-to-fail": "teaches something the language no longer accepts",
  "diagnostics-changed": "forbids something that now fails for another reason",
} as const;

export interface RuleCheck {
  rule: SystemPromptRule;
  outcomes: ExpectationOutcome[];
  /** Some example's outcome disagrees with the compiler today. */
  stale: boolean;
  /** Some example got no real verdict. */
  unchecked: boolean;
}

export interface PromptCheck {
  version: string;
  rules: RuleCheck[];
  /** Who judged the examples (absent when no compiler answered). */
  checker?: CheckerId;
}

/** Run every rule's examples through the checker and tell which rules are stale. */
export async function checkPromptRules(version: SystemPromptVersion, checker: Checker, options: { signal?: AbortSignal } = {}): Promise<PromptCheck> {
  const outcomes = await checkExpectations(versionExpectations(version), checker, options);
  const rules = version.rules.map((rule): RuleCheck => {
    const labels = new Set(ruleExpectations(version, rule).map((e) => e.label));
    const own = outcomes.filter((o) => labels.has(o.expectation.label));
    return { rule, outcomes: own, stale: own.some((o) => o.broken), unchecked: own.some((o) => o.unchecked !== undefined) };
  });
  const checkerId = outcomes.find((o) => o.verdict)?.verdict?.checker;
  return { version: version.id, rules, ...(checkerId ? { checker: checkerId } : {}) };
}

/** Every rule confirmed by its examples, and each rule has at least one. */
export function promptCheckPassed(check: PromptCheck): boolean {
  return check.rules.every((r) => !r.stale && !r.unchecked && r.outcomes.length > 0);
}

export function formatPromptCheck(check: PromptCheck): string {
  const examples = check.rules.reduce((n, r) => n + r.outcomes.length, 0);
  const by = check.checker ? `${check.checker.name} ${check.checker.version}` : "no compiler";
  const lines = [`prompt check ${check.version}: ${check.rules.length} rules, ${examples} examples, judged by ${by}`];
  const stale = check.rules.filter((r) => r.stale);
  const without = check.rules.filter((r) => r.outcomes.length === 0);
  const unchecked = check.rules.filter((r) => r.unchecked && !r.stale);
  const pad = (label: string, n: number) => `  ${label.padEnd(12)}${String(n).padStart(5)}`;
  lines.push(pad("confirmed", check.rules.length - stale.length - without.length - unchecked.length), pad("stale", stale.length), pad("unchecked", unchecked.length), pad("no examples", without.length));
  for (const r of stale) {
    for (const o of r.outcomes.filter((x) => x.broken)) {
      lines.push(`stale: ${o.expectation.label}: the rule ${STALE_WORDS[o.broken!.kind]}: ${o.broken!.detail}`);
    }
  }
  for (const r of unchecked) lines.push(`unchecked: ${r.rule.id}: ${r.outcomes.find((o) => o.unchecked)!.unchecked}`);
  for (const r of without) lines.push(`no examples: ${r.rule.id}: give it good: and bad: examples so an upgrade can show whether it still holds`);
  return lines.join("\n");
}

/** The machine-readable form of `prompt check --json`. */
export function promptCheckJson(check: PromptCheck) {
  return {
    version: check.version,
    checker: check.checker,
    rules: check.rules.map((r) => ({
      id: r.rule.id,
      stale: r.stale,
      unchecked: r.unchecked,
      examples: r.outcomes.map((o) => ({ label: o.expectation.label, expect: o.expectation.expect, status: o.verdict?.status ?? "unchecked", broken: o.broken, unchecked: o.unchecked })),
    })),
  };
}
