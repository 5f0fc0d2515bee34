import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { ModelClient } from "../../src/eval/model-client.js";
import { compareEvalSummaries, formatComparison, formatEvalSummary } from "../../src/eval/report.js";
import { runEval } from "../../src/eval/run-eval.js";
import { evalRunFile, findEvalRun, formatEvalRun, parseEvalRun, readEvalRun, writeEvalRun } from "../../src/eval/run-file.js";
import { evalResultsOf, summarizeEvalRun } from "../../src/eval/summary.js";
import { EvalResultsSchema } from "../../src/schema/run.js";
import { messageShape } from "../../src/eval/failure-group.js";
import { SamplingSchema, type EvalPrompt, type EvalRun } from "../../src/schema/eval.js";
import type { Checker } from "../../src/validate/checker.js";
import { sha256Hex } from "../../src/util/hash.js";
import { UserError } from "../../src/util/errors.js";
import { fakeChecker, hew, verdict } from "../helpers/fake-checker.js";
import { tempDir } from "../helpers/fixtures.js";

const prompt = (id: string, category: EvalPrompt["category"]): EvalPrompt => ({ id, category, prompt: `prompt ${id}`, reference: "fn main() {}\n" });
const PROMPTS = [prompt("actors-a", "actors"), prompt("actors-b", "actors"), prompt("algorithms-a", "algorithms")];

/** A model that answers from a table: prompt id → one answer per seed. */
function scriptedModel(answers: Record<string, string[]>): ModelClient {
  return {
    complete: async (messages, { seed }) => {
      const id = messages.at(-1)!.content.replace("prompt ", "");
      return { content: answers[id]![seed]!, finishReason: "stop", attempts: 1 };
    },
    close: async () => {},
  };
}

/** Code containing "ok" passes; "odd" fails with an error no category knows; the rest fail without one. */
function checker(): Checker {
  const inner = fakeChecker(hew, (code) => (code.includes("ok") ? "pass" : "fail"));
  return {
    ...inner,
    check: async (code) => {
      if (!code.includes("odd")) return inner.check(code);
      const name = /odd_(\w+)/.exec(code)![1]!;
      const span = { start_line: 1, start_col: 1, end_line: 1, end_col: 2, start_byte: 0, end_byte: 1 };
      const diagnostic = { code: "E_FROBNICATE", severity: "error" as const, source: "hew-types", file: "main.hew", span, message: `cannot frobnicate \`${name}\` 3 times`, notes: [], fixes: [] };
      return { ...verdict(code, "fail"), diagnostics: [diagnostic], codeHash: sha256Hex(code) };
    },
  };
}

async function evalRun(runId: string, answers: Record<string, string[]>): Promise<EvalRun> {
  const sampling = SamplingSchema.parse({ temperature: 0.8, n: 3 });
  return runEval({
    runId,
    prompts: PROMPTS,
    promptSet: { file: "prompts.yaml", version: 1, sha256: "0".repeat(64), prompts: 3 },
    systemPrompt: null,
    model: { kind: "http", url: "http://127.0.0.1:1", model: "m", lora: [] },
    client: scriptedModel(answers),
    sampling,
    checker: checker(),
    concurrency: 2,
  });
}

// actors-a passes 3 of 3, actors-b 1 of 3, algorithms-a 0 of 3.
const BEFORE = {
  "actors-a": ["fn ok1() {}", "fn ok2() {}", "fn ok3() {}"],
  "actors-b": ["fn ok() {}", "fn odd_x() {}", "fn odd_y() {}"],
  "algorithms-a": ["fn bad() {}", "fn odd_z() {}", "fn bad2() {}"],
};
const AFTER = {
  "actors-a": ["fn ok1() {}", "fn ok2() {}", "fn ok3() {}"],
  "actors-b": ["fn ok() {}", "fn ok4() {}", "fn ok5() {}"],
  "algorithms-a": ["fn ok() {}", "fn ok6() {}", "fn bad() {}"],
};

describe("eval summary", () => {
  it("computes pass@1 and pass@n per prompt, then averages over prompts", async () => {
    const s = summarizeEvalRun(await evalRun("before", BEFORE));
    // pass@1 = (3/3 + 1/3 + 0/3) / 3; pass@3 = (1 + 1 + 0) / 3
    expect(s.overall).toMatchObject({ prompts: 3, answers: 9, passed: 4 });
    expect(s.overall.rate).toBeCloseTo(4 / 9, 12);
    expect(s.overall.passAtK).toEqual([
      { k: 1, rate: expect.closeTo(4 / 9, 12) },
      { k: 3, rate: expect.closeTo(2 / 3, 12) },
    ]);
    expect(s.categories.map((c) => [c.category, c.prompts, c.rate])).toEqual([
      ["actors", 2, expect.closeTo(2 / 3, 12)],
      ["algorithms", 1, 0],
    ]);
  });

  it("groups failures no category explains by first error code and message shape", async () => {
    const s = summarizeEvalRun(await evalRun("before", BEFORE));
    expect(s.failures).toEqual([{ category: "other", answers: 5 }]);
    expect(s.unknownFailures).toEqual([
      { group: "E_FROBNICATE: cannot frobnicate `_` N times", answers: 3, example: "actors-b#1" },
      { group: "no diagnostic", answers: 2, example: "algorithms-a#0" },
    ]);
    expect(formatEvalSummary(s)).toMatch(/^ {2}E_FROBNICATE: cannot frobnicate `_` N times\s+3\s+e\.g\. actors-b#1$/m);
  });

  it("converts to the eval results a run record stores", async () => {
    const results = EvalResultsSchema.parse(evalResultsOf(summarizeEvalRun(await evalRun("v8", BEFORE))));
    expect(results).toEqual({
      passRate: expect.closeTo(4 / 9, 12),
      interval: { low: expect.any(Number), high: expect.any(Number), level: 0.95 },
      perCategory: { actors: { passed: 4, total: 6, rate: expect.closeTo(2 / 3, 12) }, algorithms: { passed: 0, total: 3, rate: 0 } },
      failureCategories: { other: 5 },
      model: "m at http://127.0.0.1:1",
      promptSet: "prompts.yaml v1",
    });
  });

  it("blanks names and numbers out of a message", () => {
    expect(messageShape('no method `sum` on `Vec<i64>` at "x" 12')).toBe('no method `_` on `_` at "_" N');
  });

  it("compares two runs per category with an interval on each change", async () => {
    const before = summarizeEvalRun(await evalRun("before", BEFORE));
    const after = summarizeEvalRun(await evalRun("after", AFTER));
    const c = compareEvalSummaries(before, after);
    expect(c.overall.delta).toBeCloseTo(8 / 9 - 4 / 9, 12);
    expect(c.overall.change).toBe("no clear change");
    expect(c.categories.map((r) => r.category)).toEqual(["actors", "algorithms"]);
    expect(c.failures).toEqual([{ category: "other", before: 5, after: 1 }]);
    const text = formatComparison(c);
    expect(text).toMatch(/^eval before → after/);
    expect(text).toMatch(/^overall\s+44\.4%\s+88\.9%\s+\+44\.4\s+\[−\d+\.\d, \+\d+\.\d\]\s+no clear change$/m);
    expect(text).toMatch(/^ {2}other\s+5\s+→\s+1$/m);
  });
});

describe("eval run files", () => {
  it("are written whole, read back equal, and never overwritten", async () => {
    const run = await evalRun("r1", BEFORE);
    const file = evalRunFile(await tempDir(), "r1");
    await writeEvalRun(file, run);
    expect(await readEvalRun(file)).toEqual(run);
    await expect(writeEvalRun(file, run)).rejects.toThrow(/a run with this id exists/);
  });

  it("are found by id in the runs folder or by path, and a wrong name lists the runs there", async () => {
    const dir = await tempDir();
    const file = evalRunFile(dir, "v8");
    await writeEvalRun(file, await evalRun("v8", BEFORE));
    expect(await findEvalRun("v8", dir)).toBe(file);
    expect(await findEvalRun(file, "/nonexistent")).toBe(file);
    await expect(findEvalRun("v9", dir)).rejects.toThrow(/no eval run "v9": not a file, and not in .* \(runs there: v8\)/);
  });

  it("name the file and line of a broken record", async () => {
    const run = await evalRun("r2", BEFORE);
    const lines = formatEvalRun(run).trimEnd().split("\n");
    const broken = [lines[0], lines[1], '{"type":"answer","promptId":1}', "not json"].join("\n");
    const err = (() => {
      try {
        parseEvalRun(broken, "r2.jsonl");
      } catch (e) {
        return e;
      }
    })();
    expect(err).toBeInstanceOf(UserError);
    expect((err as Error).message).toMatch(/^r2\.jsonl:3: promptId: /m);
    expect((err as Error).message).toMatch(/^r2\.jsonl:4: invalid JSON/m);
    expect(() => parseEvalRun(lines.slice(1).join("\n"), "x.jsonl")).toThrow("x.jsonl: no header record");
    expect(() => parseEvalRun([lines[1], lines[0]].join("\n"), "y.jsonl")).toThrow("y.jsonl:2: the header comes after answers");
    const other = join(await tempDir(), "empty.jsonl");
    await writeFile(other, "");
    await expect(readEvalRun(other)).rejects.toThrow(/no header record/);
  });
});
