import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parseRunAnswers, readRunAnswers, type RunAnswer } from "../../src/corrections/eval-run.js";
import { formatPlan, planCorrections } from "../../src/corrections/plan.js";
import type { SystemPromptVersion } from "../../src/schema/system-prompt.js";
import { UserError } from "../../src/util/errors.js";
import { tempDir } from "../helpers/fixtures.js";

const answer = (promptId: string, category: RunAnswer["category"], failureCategory?: RunAnswer["failureCategory"]): RunAnswer =>
  failureCategory ? { promptId, category, outcome: "fail", failureCategory } : { promptId, category, outcome: "pass" };

const emptyPrompt: SystemPromptVersion = { id: "v9", preamble: "p", rules: [] };

describe("eval runs", () => {
  it("reads the answer records of a run file, past its header and the fields it does not need", () => {
    const text = [
      '{"type":"header","format":1,"runId":"r1","systemPrompt":null}',
      '{"type":"answer","promptId":"a","category":"actors","outcome":"pass","raw":"..."}',
      "",
      '{"type":"answer","promptId":"b","category":"algorithms","outcome":"fail","failureCategory":"invented-api"}',
    ].join("\n");
    const run = parseRunAnswers(text, "run.jsonl");
    expect(run).toHaveLength(2);
    expect(run[1]).toMatchObject({ promptId: "b", failureCategory: "invented-api" });
  });

  it("names the file, the line and what was expected", () => {
    const text = [
      '{"promptId":"a","category":"actors","outcome":"fail"}',
      '{"promptId":"b","category":"actors","outcome":"fail","failureCategory":"typo"}',
      "{not json",
      '{"promptId":"c","category":"cooking","outcome":"pass"}',
    ].join("\n");
    let message = "";
    try {
      parseRunAnswers(text, "runs/r1.jsonl");
    } catch (err) {
      expect(err).toBeInstanceOf(UserError);
      message = (err as Error).message;
    }
    expect(message).toMatch(/^runs\/r1\.jsonl:1: failureCategory: expected the failure category of a failing answer$/m);
    expect(message).toMatch(/^runs\/r1\.jsonl:2: failureCategory: .*"prose-leak"/m);
    expect(message).toMatch(/^runs\/r1\.jsonl:3: invalid JSON/m);
    expect(message).toMatch(/^runs\/r1\.jsonl:4: category: /m);
  });

  it("reads a folder of answer files, and refuses an empty or missing run", async () => {
    const dir = await tempDir();
    await mkdir(join(dir, "run"));
    await writeFile(join(dir, "run", "a.jsonl"), '{"promptId":"a","category":"actors","outcome":"pass"}\n');
    await writeFile(join(dir, "run", "b.jsonl"), '{"promptId":"b","category":"actors","outcome":"no-code"}\n');
    await writeFile(join(dir, "run", "notes.txt"), "not an answer");
    expect((await readRunAnswers(join(dir, "run"))).map((a) => a.promptId)).toEqual(["a", "b"]);
    await writeFile(join(dir, "empty.jsonl"), "\n");
    await expect(readRunAnswers(join(dir, "empty.jsonl"))).rejects.toThrow(/holds no answers/);
    await expect(readRunAnswers(join(dir, "nope.jsonl"))).rejects.toThrow(/nope\.jsonl: cannot read the eval run/);
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
