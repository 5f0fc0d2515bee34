import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { fitSystemPrompt, rankRules } from "../../src/chatml/prompt-budget.js";
import { getSystemPrompt, loadSystemPrompts, renderSystemPrompt } from "../../src/chatml/system-prompt.js";
import { loadQwen3Tokenizer } from "../../src/chatml/tokens.js";
import { latestEvalSummary } from "../../src/eval/latest-run.js";
import { SystemPromptVersionSchema } from "../../src/schema/system-prompt.js";
import { mkdir, writeFile } from "node:fs/promises";
import { savedRun } from "../helpers/eval-run.js";
import { REPO_ROOT, tempDir } from "../helpers/fixtures.js";

const store = await loadSystemPrompts(join(REPO_ROOT, "corpus", "system-prompts"));
const tokenizer = await loadQwen3Tokenizer();
const version = SystemPromptVersionSchema.parse({
  id: "t1",
  preamble: "Write Hew.",
  rules: [
    { id: "a", text: "Rule about integers, fairly long to take room in the prompt.", category: "integer-type", addedIn: "t1" },
    { id: "b", text: "Rule about prose.", category: "prose-leak", addedIn: "t1" },
    { id: "c", text: "Rule about APIs.", category: "invented-api", addedIn: "t1" },
    { id: "d", text: "A rule with no category.", addedIn: "t1" },
  ],
});

describe("system-prompt budget", () => {
  it("ranks rules by the latest eval run's failures, then by category weight, uncategorised last", () => {
    expect(rankRules(version.rules).map((r) => r.id)).toEqual(["b", "c", "a", "d"]);
    expect(rankRules(version.rules, [{ category: "integer-type", answers: 5 }, { category: "invented-api", answers: 2 }]).map((r) => r.id)).toEqual(["a", "c", "b", "d"]);
  });

  it("keeps the ranked rules that fit under the budget, in rank order, and says which it left out", () => {
    const tokens = (rules: string[]) => tokenizer.encode(renderSystemPrompt({ ...version, rules: rules.map((id) => version.rules.find((r) => r.id === id)!) })).length;
    const budget = tokens(["b", "c"]) + 1;
    const fitted = fitSystemPrompt(version, { budget, encode: tokenizer.encode });
    expect(fitted.kept).toEqual(["b", "c"]);
    expect(fitted.dropped).toEqual(["a", "d"]);
    expect(fitted.tokens).toBe(tokens(["b", "c"]));
    expect(fitted.version.rules.map((r) => r.id)).toEqual(["b", "c"]);
    expect(fitted.version.id).toBe("t1");
  });

  it("refuses a budget the preamble alone does not fit, in one line", () => {
    expect(() => fitSystemPrompt(version, { budget: 2, encode: tokenizer.encode })).toThrow(/^system prompt t1: its preamble alone is \d+ tokens, not under the budget of 2;/);
  });

  it("ships v3 under 600 Qwen3 tokens with every rule, and fits v2 into 600 with its most needed rules", () => {
    const v3 = getSystemPrompt(store, "v3");
    expect(tokenizer.encode(renderSystemPrompt(v3)).length).toBeLessThan(600);
    expect(fitSystemPrompt(v3, { budget: 600, encode: tokenizer.encode }).dropped).toEqual([]);
    const v2 = fitSystemPrompt(getSystemPrompt(store, "v2"), { budget: 600, encode: tokenizer.encode });
    expect(v2.tokens).toBeLessThan(600);
    expect(v2.kept[0]).toBe("answer-format");
  });

  it("ranks by the failures of the eval run that finished last", async () => {
    const runs = join(await tempDir(), "runs");
    await mkdir(runs);
    const fail = (failureCategory: "integer-type" | "invented-api") => ({ promptId: "p", category: "algorithms" as const, outcome: "fail" as const, failureCategory });
    await writeFile(join(runs, "b-older.jsonl"), savedRun("b-older", [fail("integer-type")]));
    await writeFile(join(runs, "a-newer.jsonl"), savedRun("a-newer", [fail("invented-api")]).replace('"finishedAt":"2026-11-23T00:01:00.000Z"', '"finishedAt":"2026-11-24T00:01:00.000Z"'));
    const summary = await latestEvalSummary(runs);
    expect(summary?.runId).toBe("a-newer");
    expect(rankRules(version.rules, summary!.failures).map((r) => r.id)).toEqual(["c", "b", "a", "d"]);
    expect(await latestEvalSummary(join(runs, "none"))).toBeUndefined();
  });
});
