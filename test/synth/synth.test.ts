import { existsSync, readFileSync } from "node:fs";
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { loadConfig } from "../../src/config.js";
import { parseSamplesJsonl } from "../../src/chatml/jsonl.js";
import { classifyFailure } from "../../src/failures/classify.js";
import { sampleCode } from "../../src/dedup/terms.js";
import { SampleSchema } from "../../src/schema/sample.js";
import { formatSynthResult } from "../../src/synth/report.js";
import { synthesizeCorpus, type SynthesizeOptions } from "../../src/synth/synthesize.js";
import { failingCategories, loadTaskFile, parseRequestList } from "../../src/synth/tasks.js";
import type { EvalAnswer } from "../../src/schema/eval.js";
import { sha256Hex } from "../../src/util/hash.js";
import type { Checker } from "../../src/validate/checker.js";
import { hewChecker } from "../../src/validate/hew-checker.js";
import { AbortError } from "../../src/validate/run-process.js";
import { savedRun } from "../helpers/eval-run.js";
import { STAND_IN, tempDir } from "../helpers/fixtures.js";
import { firstRequest, startLoopbackTeacher, type LoopbackTeacher, type TeacherResponder } from "../../support/loopback-teacher.js";
import { program, recordedPasses, scriptedReply, standInEnv, synthProject } from "./synth-project.js";

const KEY = "sk-test-secret-never-written";
let indexDir: string;
let teacher: LoopbackTeacher | undefined;

beforeAll(async () => {
  indexDir = join(await tempDir("hew-synth-index-"), "index");
});

afterEach(async () => {
  await teacher?.close();
  teacher = undefined;
});

function standIn(): Checker {
  return hewChecker({ bin: STAND_IN, concurrency: 2, env: standInEnv(indexDir) });
}

async function setUp(respond: TeacherResponder = scriptedReply, api: "openai" | "anthropic" = "openai") {
  teacher = await startLoopbackTeacher(respond);
  const dir = await synthProject({ api, url: teacher.url, model: "teacher-model", apiKeyEnv: "TEST_TEACHER_KEY", prices: { inputPerMillion: 3, outputPerMillion: 15 } });
  const config = await loadConfig(dir);
  const run = (extra: Partial<SynthesizeOptions> = {}) =>
    synthesizeCorpus({ config, tasksFile: join(dir, "tasks.yaml"), checker: standIn(), env: { TEST_TEACHER_KEY: KEY }, retryDelayMs: 1, ...extra });
  return { dir, run, teacher };
}

describe("synth against a loopback teacher and the stand-in", () => {
  it("admits only passing, non-duplicate, leak-free programs and counts every other task by reason", async () => {
    const { dir, run } = await setUp();
    const result = await run({ corrections: join(dir, "samples", "corrections.jsonl") });
    expect(result.funnel).toEqual({
      tasks: 8,
      answered: 8,
      passedFirstTry: 3,
      passedAfterRepair: [1, 1],
      failed: 1,
      noCode: 1,
      unchecked: 0,
      checkerError: 1,
      teacherError: 0,
      duplicates: 1,
      leaks: 1,
      admitted: 3,
    });
    expect(result.byCategory.algorithms).toMatchObject({ tasks: 2, passedFirstTry: 2, duplicates: 1, admitted: 1 });
    expect(result.rejections.map((r) => r.reason).sort()).toEqual(["duplicate", "leak"]);
    expect(result.rejections.find((r) => r.reason === "duplicate")!.detail).toContain("algorithms-countdown");
    expect(result.rejections.find((r) => r.reason === "leak")!.detail).toContain("real-world-temperature");

    // Nothing the real compiler did not pass is ever admitted: every shipped block is a recorded pass.
    const passes = recordedPasses();
    const written = parseSamplesJsonl(readFileSync(join(dir, "samples", "synthetic.jsonl"), "utf8"), "synthetic.jsonl").map((l) => l.sample);
    expect(written.map((s) => s.id)).toEqual(result.admitted.map((s) => s.id));
    for (const sample of [...written, ...result.corrections]) {
      expect(SampleSchema.safeParse(sample).success).toBe(true);
      const blocks = sampleCode(sample);
      expect(blocks).toHaveLength(1);
      expect(passes.has(sha256Hex(blocks[0]!))).toBe(true);
    }
    expect(written.map((s) => sampleCode(s)[0]).sort()).toEqual([program("clock-right"), program("squares-pass"), program("tally-right")].sort());
  });

  it("records full provenance: the teacher, repair rounds, the codes fixed, the prompt version, the checker", async () => {
    const { run } = await setUp();
    const { admitted } = await run();
    const clock = admitted.find((s) => sampleCode(s)[0] === program("clock-right"))!;
    expect(clock.messages).toEqual([
      { role: "user", content: "Keep a tick counter, advance it once and print it." },
      { role: "assistant", content: "```hew\n" + program("clock-right") + "```" },
    ]);
    expect(clock.meta).toMatchObject({
      source: "synthetic",
      category: "general",
      systemPromptVersion: "v2",
      provenance: { teacher: "openai:teacher-model", repairRounds: 2, fixedCodes: ["UndefinedType", "MutabilityError"], checker: "hew-stand-in 0.6.0-rc2 (recorded verdicts of hew 0.6.0-rc2; not a compiler)" },
    });
    const squares = admitted.find((s) => sampleCode(s)[0] === program("squares-pass"))!;
    expect(squares.meta.provenance).toMatchObject({ repairRounds: 0, fixedCodes: [] });
  });

  it("sends the diagnostics back with the offending line, and the system prompt first", async () => {
    const { run, teacher } = await setUp();
    await run();
    const tally = teacher.requests.filter((r) => firstRequest(r).startsWith("Collect two words"));
    expect(tally).toHaveLength(2);
    expect(tally[0]!.messages[0]).toMatchObject({ role: "system" });
    expect(tally[0]!.messages[0]!.content).toContain("Answer with code only.");
    const followUp = tally[1]!.messages.at(-1)!.content;
    expect(followUp).toContain("main.hew:2:");
    expect(followUp).toContain("error[E_PATH_LEGACY_SEPARATOR]");
    expect(followUp).toContain("let words: Vec<string> = Vec::new();");
    // The stubborn task is asked once and repaired twice, then given up.
    expect(teacher.requests.filter((r) => firstRequest(r).startsWith("Print the running total"))).toHaveLength(3);
  });

  it("writes contrastive corrections from repaired tasks, tagged with the classifier's category", async () => {
    const { dir, run } = await setUp();
    const result = await run({ corrections: join(dir, "samples", "corrections.jsonl") });
    expect(result.corrections).toHaveLength(2);
    const tally = result.corrections.find((c) => c.messages[0]!.content.includes("Vec::new()"))!;
    expect(tally.meta.source).toBe("correction");
    expect(tally.meta.correctsFailure).toBe(classifyFailure(program("tally-wrong"), { diagnostics: [{ code: "E_PATH_LEGACY_SEPARATOR", severity: "error", source: "hew-parser", file: "main.hew", span: { start_line: 2, start_col: 27, end_line: 2, end_col: 29, start_byte: 38, end_byte: 40 }, message: "E_PATH_LEGACY_SEPARATOR: `::` path separators have been removed", notes: [], fixes: [] }] }).category);
    expect(tally.messages[0]!.content).toContain("error[E_PATH_LEGACY_SEPARATOR]");
    expect(tally.messages[1]!.content).toBe("```hew\n" + program("tally-right") + "```");
    expect(existsSync(join(dir, "samples", "corrections.jsonl"))).toBe(true);
  });

  it("resumes an interrupted run without asking the teacher again for finished tasks", async () => {
    const controller = new AbortController();
    let answered = 0;
    const { dir, run, teacher } = await setUp(async (request) => {
      // Interrupt once a few answers are out, like Ctrl-C.
      if (++answered === 4) controller.abort();
      return scriptedReply(request);
    });
    await expect(run({ signal: controller.signal, concurrency: 1 })).rejects.toBeInstanceOf(AbortError);
    expect(existsSync(join(dir, "samples", "synthetic.jsonl"))).toBe(false);
    const state = readFileSync(join(dir, ".hew-corpus", "synth", "tasks.jsonl"), "utf8").trim().split("\n");
    const finished = state.map((l) => (JSON.parse(l) as { record: { taskId: string } }).record.taskId);
    expect(finished.length).toBeGreaterThan(0);
    expect(finished.length).toBeLessThan(8);

    const before = teacher.requests.length;
    const result = await run();
    expect(result.resumed).toBe(finished.length);
    expect(result.funnel.admitted).toBe(3);
    const tasks = await loadTaskFile(join(dir, "tasks.yaml"));
    const finishedRequests = new Set(tasks.filter((t) => finished.includes(t.id)).map((t) => t.request));
    const askedAgain = teacher.requests.slice(before).map((r) => firstRequest(r));
    expect(askedAgain.length).toBeGreaterThan(0);
    expect(askedAgain.filter((a) => finishedRequests.has(a))).toEqual([]);

    // A third run asks nothing and adds nothing.
    const third = teacher.requests.length;
    const again = await run();
    expect(teacher.requests.length).toBe(third);
    expect(again.written).toEqual([{ file: join(dir, "samples", "synthetic.jsonl"), added: 0, total: 3 }]);
    expect(again.funnel.admitted).toBe(3);
  });

  it("talks to Anthropic's Messages API with the key from env, and never writes the key", async () => {
    const { dir, run, teacher } = await setUp(scriptedReply, "anthropic");
    const result = await run();
    expect(result.funnel.admitted).toBe(3);
    const first = teacher.requests[0]!;
    expect(first.api).toBe("anthropic");
    expect(first.headers["x-api-key"]).toBe(KEY);
    expect(first.headers["anthropic-version"]).toBe("2023-06-01");
    expect(typeof first.body.system).toBe("string");
    expect((first.body.messages as { role: string }[]).every((m) => m.role !== "system")).toBe(true);
    expect(result.teacher).toBe("anthropic:teacher-model");
    // Usage comes from the API: 100 prompt and 50 completion tokens per answer.
    expect(result.usage).toEqual({ requests: teacher.requests.length, promptTokens: 100 * teacher.requests.length, completionTokens: 50 * teacher.requests.length });
    expect(result.cost).toBeCloseTo((100 * 3 + 50 * 15) * teacher.requests.length / 1e6, 10);
    for (const file of [join(dir, "samples", "synthetic.jsonl"), result.stateFile]) expect(readFileSync(file, "utf8")).not.toContain(KEY);
    expect(formatSynthResult(result)).not.toContain(KEY);
  });

  it("retries a 429 and a 5xx, but not a deterministic 4xx", async () => {
    let calls = 0;
    const { run, teacher } = await setUp((request) => {
      calls++;
      const req = firstRequest(request);
      if (req.startsWith("Sum the squares") && calls < 3) return { status: calls === 1 ? 429 : 503 };
      if (req.startsWith("Count down")) return { status: 400 };
      return scriptedReply(request);
    });
    const result = await run({ concurrency: 1 });
    const squares = result.records.find((r) => r.attempts[0]?.code === program("squares-pass"))!;
    expect(squares.outcome).toBe("passed");
    // Three requests, but only the answer carried usage: the OpenAI shape's prompt_tokens and completion_tokens.
    expect(squares.usage).toEqual({ requests: 3, promptTokens: 100, completionTokens: 50 });
    const countdown = result.records.filter((r) => r.outcome === "teacher-error");
    expect(countdown).toHaveLength(1);
    expect(countdown[0]!.error).toContain("HTTP 400");
    expect(teacher.requests.filter((r) => firstRequest(r).startsWith("Count down"))).toHaveLength(1);
    expect(result.funnel.teacherError).toBe(1);
  });

  it("admits nothing when no compiler can judge, and asks the teacher nothing", async () => {
    const { run, teacher } = await setUp();
    const missing = hewChecker({ bin: "/nonexistent/hew", env: standInEnv(indexDir) });
    await expect(run({ checker: missing })).rejects.toThrow(/hew not found/);
    expect(teacher.requests).toHaveLength(0);
  });

  it("generates distinct requests per category, drops repeats of existing prompts, and keeps them for the rerun", async () => {
    const list = [
      "1. Sum the squares of 1 to 10 and print the total.",
      "2. Convert a temperature reading from Celsius to Fahrenheit.",
      "3. sum the squares of 1 to 10, and print the total",
      "4. Collect two words in a vector and print how many there are.",
      "Some closing remark the parser ignores.",
    ].join("\n");
    const { run, teacher } = await setUp((request) => (firstRequest(request).startsWith("Write 3 distinct requests") ? { content: list } : scriptedReply(request)));
    const result = await run({ tasksFile: undefined, generate: { perCategory: 3, categories: ["algorithms"] }, seed: 7 });
    // The eval prompt and the case-and-punctuation repeat are dropped; two tasks remain.
    expect(result.funnel.tasks).toBe(2);
    expect(result.funnel.admitted).toBe(2);
    expect(teacher.requests.filter((r) => firstRequest(r).startsWith("Write 3 distinct requests"))).toHaveLength(1);
    expect(result.stateFile.endsWith("generated-7.jsonl")).toBe(true);
    const asked = teacher.requests.length;
    const again = await run({ tasksFile: undefined, generate: { perCategory: 3, categories: ["algorithms"] }, seed: 7 });
    expect(teacher.requests.length).toBe(asked);
    expect(again.funnel.tasks).toBe(2);
  });
  it("writes tasks for the categories an eval run failed in, naming what failed there", async () => {
    const generation = (request: Parameters<TeacherResponder>[0]) => /^Write 2 distinct requests .*"(\w[\w-]*)"/.exec(firstRequest(request));
    const { dir, run, teacher } = await setUp((request) => {
      const m = generation(request);
      if (m) return { content: m[1] === "algorithms" ? "1. Sum the squares of 1 to 10 and print the total.\n2. Count down from five and then print liftoff." : "1. Collect two words in a vector and print how many there are." };
      return scriptedReply(request);
    });
    const runFile = join(dir, "v1.jsonl");
    await writeFile(
      runFile,
      savedRun("v1", [
        { promptId: "a", category: "algorithms", outcome: "fail", failureCategory: "legacy-path" },
        { promptId: "b", category: "algorithms", outcome: "fail", failureCategory: "rust-syntax" },
        { promptId: "c", category: "data-structures", outcome: "fail", failureCategory: "integer-type" },
        { promptId: "d", category: "actors", outcome: "pass" },
      ]),
    );
    const result = await run({ tasksFile: undefined, fromRun: runFile, generate: { perCategory: 2 } });
    const asked = teacher.requests.filter((r) => generation(r)).map((r) => firstRequest(r));
    expect(asked).toHaveLength(2);
    expect(asked[0]).toContain('"algorithms"');
    expect(asked[0]).toContain("legacy-path, rust-syntax");
    expect(result.stateFile.endsWith("from-v1-0.jsonl")).toBe(true);
    expect(result.funnel).toMatchObject({ tasks: 3, duplicates: 1, admitted: 2 });
    expect(result.admitted.every((s) => s.meta.tags.includes("generated"))).toBe(true);
    expect(result.admitted.find((s) => s.meta.category === "algorithms")!.meta.tags).toEqual(["generated", "fights:legacy-path", "fights:rust-syntax"]);
  });
});

describe("tasks", () => {
  it("reads numbered and bulleted lists and finds the categories a run failed in, most misses first", () => {
    expect(parseRequestList("Here you go:\n1) Write a stack of i64 values.\n- Parse a CSV line into fields.\n* short one\n")).toEqual(["Write a stack of i64 values.", "Parse a CSV line into fields."]);
    const answer = (category: string, outcome: string, failureCategory?: string) => ({ category, outcome, ...(failureCategory ? { failureCategory } : {}) }) as unknown as EvalAnswer;
    expect(failingCategories([answer("actors", "fail", "actor-protocol"), answer("generators", "pass"), answer("tests", "fail"), answer("actors", "fail", "rust-syntax")])).toEqual([
      { category: "actors", failures: ["actor-protocol", "rust-syntax"] },
      { category: "tests", failures: [] },
    ]);
  });

  it("names the file and line of a bad task", async () => {
    const dir = await tempDir();
    await writeFile(join(dir, "tasks.jsonl"), '{"category":"algorithms","request":"Sort three numbers."}\n{"category":"cooking","request":"Bake bread."}\n');
    await expect(loadTaskFile(join(dir, "tasks.jsonl"))).rejects.toThrow(/tasks\.jsonl:2: category: /);
  });
});
