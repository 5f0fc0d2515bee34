import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { readRunAnswers, type RunAnswer } from "../../src/corrections/eval-run.js";
import { savedRun } from "../helpers/eval-run.js";
import { formatPlan, planCorrections } from "../../src/corrections/plan.js";
import type { SystemPromptVersion } from "../../src/schema/system-prompt.js";
import { tempDir } from "../helpers/fixtures.js";

const answer = (promptId: string, category: RunAnswer["category"], failureCategory?: RunAnswer["failureCategory"]): RunAnswer =>
  failureCategory ? { promptId, category, outcome: "fail", failureCategory } : { promptId, category, outcome: "pass" };

const emptyPrompt: SystemPromptVersion = { id: "v9", preamble: "p", rules: [] };

describe("eval runs", () => {
  it("reads the answers of a saved run, and of a folder of runs, and refuses an empty or missing one", async () => {
    const dir = await tempDir();
    await mkdir(join(dir, "runs"));
    await writeFile(join(dir, "runs", "r1.jsonl"), savedRun("r1", [answer("a", "actors"), answer("b", "algorithms", "invented-api")]));
    await writeFile(join(dir, "runs", "r2.jsonl"), savedRun("r2", [answer("c", "actors", "integer-type")]));
    await writeFile(join(dir, "runs", "notes.txt"), "not a run");
    expect((await readRunAnswers(join(dir, "runs", "r1.jsonl"))).map((a) => [a.promptId, a.failureCategory])).toEqual([
      ["a", undefined],
      ["b", "invented-api"],
    ]);
    expect((await readRunAnswers(join(dir, "runs"))).map((a) => a.promptId)).toEqual(["a", "b", "c"]);
    await writeFile(join(dir, "empty.jsonl"), savedRun("e", []));
    await expect(readRunAnswers(join(dir, "empty.jsonl"))).rejects.toThrow(/holds no answers/);
    await expect(readRunAnswers(join(dir, "nope.jsonl"))).rejects.toThrow(/nope\.jsonl: cannot read the eval run/);
  });

  it("names the file and line of a broken run", async () => {
    const dir = await tempDir();
    const text = savedRun("r1", [answer("a", "actors")]).replace('"category":"actors"', '"category":"cooking"');
    await writeFile(join(dir, "r1.jsonl"), text);
    await expect(readRunAnswers(join(dir, "r1.jsonl"))).rejects.toThrow(/r1\.jsonl:2: category: /);
  });
});

describe("planCorrections", () => {
  const run = [
    answer("1", "algorithms", "invented-api"),
    answer("2", "data-structures", "invented-api"),
    answer("3", "algorithms", "invented-api"),
    answer("4", "state-machines", "machine-syntax"),
    answer("5", "tests", "other"),
    answer("6", "actors"),
    { promptId: "7", category: "actors", outcome: "checker-error" } as const,
  ];

  it("counts failures by category, most frequent first, and proposes samples where templates exist", () => {
    const plan = planCorrections(run, { perCategory: 5, prompt: emptyPrompt });
    expect(plan).toMatchObject({ answers: 7, outcomes: { pass: 1, fail: 5, "checker-error": 1 }, promptVersion: "v9" });
    expect(plan.categories.map((c) => [c.category, c.failures, c.proposedSamples])).toEqual([
      ["invented-api", 3, 5],
      ["machine-syntax", 1, 5],
      ["other", 1, 0],
    ]);
    expect(plan.categories[0]!.byEvalCategory).toEqual({ algorithms: 2, "data-structures": 1 });
  });

  it("proposes the rules of the failing categories that the prompt lacks", () => {
    const plan = planCorrections(run, { perCategory: 5, prompt: emptyPrompt });
    expect(new Set(plan.rules.map((r) => r.category))).toEqual(new Set(["invented-api", "machine-syntax"]));
    expect(plan.rules.every((r) => r.change === "add")).toBe(true);
    const text = formatPlan(plan, "runs/r1.jsonl");
    expect(text).toMatch(/^7 answers: 1 pass, 5 fail, 1 checker-error \(pass rate 14\.3%\)$/m);
    expect(text).toMatch(/^  invented-api \s+3  propose 5 samples \(vec-sum-loop, hashmap-count, int-to-string\)$/m);
    expect(text).toMatch(/other .*no templates/);
    expect(text).toMatch(/\+ vec-api \[invented-api\]/);
    expect(text).toContain("hew-corpus corrections generate --run runs/r1.jsonl --per-category 5");
    expect(text).toContain("hew-corpus prompt new --from v9 --run runs/r1.jsonl");
  });

  it("says so when a run has nothing to correct", () => {
    const text = formatPlan(planCorrections([answer("1", "actors")], { perCategory: 5, prompt: emptyPrompt }), "r");
    expect(text).toContain("no failures to correct");
    expect(text).not.toContain("next:");
  });
});
