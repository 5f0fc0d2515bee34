import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { httpModelClient } from "../../src/eval/http-client.js";
import { runEval } from "../../src/eval/run-eval.js";
import { summarizeEvalRun } from "../../src/eval/summary.js";
import { formatEvalRun, parseEvalRun } from "../../src/eval/run-file.js";
import { formatEvalSummary } from "../../src/eval/report.js";
import { hewChecker } from "../../src/validate/hew-checker.js";
import type { Checker } from "../../src/validate/checker.js";
import type { EvalPrompt, EvalRun } from "../../src/schema/eval.js";
import { EvalRunHeaderSchema, SamplingSchema } from "../../src/schema/eval.js";
import type { SystemPromptVersion } from "../../src/schema/system-prompt.js";
import { STAND_IN, recordedProgram } from "../helpers/fixtures.js";
import { completion, startFakeLlamaServer, type FakeLlamaServer, type Reply } from "./fake-llama-server.js";

const program = (name: string) => recordedProgram(name).code;

/** Each prompt, and how the fake model answers it: recorded real programs, dressed the ways models dress them. */
const SCRIPT: { prompt: EvalPrompt; reply: (attempt: number) => Reply }[] = [
  {
    prompt: { id: "actors-hits", category: "actors", prompt: "Count page hits per URL.", reference: program("actors-pass-job-queue-pull") },
    reply: () => completion(`<think>An actor with a HashMap.</think>\nHere is the program:\n\`\`\`hew\n${program("actors-pass-job-queue-pull")}\`\`\`\nIt counts hits.`),
  },
  {
    prompt: { id: "generators-fib", category: "generators", prompt: "Yield Fibonacci numbers.", reference: program("generators-pass-collatz-steps") },
    reply: () => completion(`\`\`\`\n${program("generators-pass-collatz-steps")}\`\`\``, { reasoning: "gen fn with two vars" }),
  },
  {
    prompt: { id: "generators-yield", category: "generators", prompt: "Yield from main.", reference: program("generators-pass-collatz-steps") },
    reply: () => completion(program("generators-fail-yield-outside-gen--gen-fn-not-main-1")),
  },
  {
    prompt: { id: "algorithms-int", category: "algorithms", prompt: "Sum with Int.", reference: program("algorithms-pass-kadane-max-subarray") },
    reply: () => completion(`\`\`\`hew\n${program("algorithms-fail-integer-type--lowercase-primitives-1")}\`\`\``),
  },
  {
    prompt: { id: "data-structures-vec", category: "data-structures", prompt: "Make a Vec.", reference: program("data-structures-pass-ring-buffer") },
    reply: () => completion(`\`\`\`hew\n${program("data-structures-fail-legacy-path--dotted-constructors-1")}\`\`\``),
  },
  {
    prompt: { id: "pattern-matching-enum", category: "pattern-matching", prompt: "An enum.", reference: program("pattern-matching-pass-vending-machine") },
    reply: () => completion(`\`\`\`hew\n${program("pattern-matching-fail-rust-enum--enum-semicolons-1")}\`\`\``),
  },
  {
    // Cut off while still thinking: no program at all.
    prompt: { id: "state-machines-light", category: "state-machines", prompt: "A traffic light.", reference: program("state-machines-pass-elevator-car") },
    reply: () => completion("<think>states Red, Green, Yellow; events Tick; then", { finishReason: "length" }),
  },
  {
    // Out of tokens right before the closing fence: the program is whole, the answer is cut off.
    prompt: { id: "algorithms-search", category: "algorithms", prompt: "Binary search.", reference: program("algorithms-pass-kadane-max-subarray") },
    reply: () => completion(`\`\`\`hew\n${program("algorithms-pass-kadane-max-subarray")}`, { finishReason: "length" }),
  },
  {
    // A slow first answer: the client times out and asks again.
    prompt: { id: "concurrency-channel", category: "concurrency", prompt: "A channel.", reference: program("concurrency-pass-channel-producer-main") },
    reply: (attempt) => (attempt === 0 ? { ...completion("too late"), delayMs: 10_000 } : completion(program("concurrency-pass-channel-producer-main"))),
  },
  {
    prompt: { id: "real-world-down", category: "real-world", prompt: "Read a file.", reference: program("real-world-pass-log-summary") },
    reply: () => ({ status: 500, json: { error: { message: "backend crashed" } } }),
  },
  {
    // The checker itself breaks on this one: never a pass.
    prompt: { id: "tests-crash", category: "tests", prompt: "A test.", reference: program("tests-pass-fizzbuzz-words") },
    reply: () => completion(`${program("tests-pass-fizzbuzz-words")}// hew-stand-in: fault=crash\n`),
  },
];

const SYSTEM: SystemPromptVersion = { id: "v9", preamble: "You write Hew.", rules: [{ id: "dotted-paths", text: "Use dotted paths.", addedIn: "v9" }] };

function countingChecker(inner: Checker): Checker & { calls: string[] } {
  const calls: string[] = [];
  return { ...inner, calls, check: (code, opts) => (calls.push(code), inner.check(code, opts)) };
}

describe("the eval loop against a loopback llama-server", () => {
  let server: FakeLlamaServer;
  let run: EvalRun;
  let checker: ReturnType<typeof countingChecker>;
  const attempts = new Map<string, number>();

  beforeAll(async () => {
    server = await startFakeLlamaServer((request) => {
      const user = request.messages.at(-1)!.content;
      const entry = SCRIPT.find((s) => s.prompt.prompt === user)!;
      const key = `${entry.prompt.id}:${request.seed}`;
      const attempt = attempts.get(key) ?? 0;
      attempts.set(key, attempt + 1);
      return entry.reply(attempt);
    });
    checker = countingChecker(hewChecker({ bin: STAND_IN, concurrency: 2 }));
    const sampling = SamplingSchema.parse({ temperature: 0.8, n: 2, seed: 7, maxTokens: 256 });
    const model = { kind: "http" as const, url: server.url, model: "qwen-4b-test", lora: [] };
    run = await runEval({
      runId: "loopback",
      prompts: SCRIPT.map((s) => s.prompt),
      promptSet: { file: "prompts.yaml", version: 1, sha256: "0".repeat(64), prompts: SCRIPT.length },
      systemPrompt: SYSTEM,
      model,
      client: httpModelClient({ url: server.url, model: model.model, sampling, timeoutMs: 300, retries: 2, retryDelayMs: 1 }),
      sampling,
      checker,
      concurrency: 4,
    });
  });
  afterAll(async () => {
    await server?.close();
    await checker?.close?.();
  });

  const answersOf = (id: string) => run.answers.filter((a) => a.promptId === id);

  it("asks every prompt n times with the rendered system prompt and a seed per answer", () => {
    expect(run.answers.map((a) => `${a.promptId}#${a.sample}`)).toEqual(SCRIPT.flatMap((s) => [`${s.prompt.id}#0`, `${s.prompt.id}#1`]));
    const first = server.requests.find((r) => r.messages.at(-1)!.content === "Count page hits per URL.")!;
    expect(first.messages[0]).toEqual({ role: "system", content: "You write Hew.\n\nRules:\n1. Use dotted paths." });
    expect(new Set(server.requests.filter((r) => r.messages.at(-1)!.content === "A channel.").map((r) => r.seed))).toEqual(new Set([7, 8]));
    expect(run.header).toMatchObject({ runId: "loopback", systemPrompt: { version: "v9" }, checker: { name: "hew-stand-in" }, sampling: { n: 2, seed: 7 } });
  });

  it("cleans think tags, prose and fences before checking, and records what it stripped", () => {
    const [hits] = answersOf("actors-hits");
    expect(hits).toMatchObject({ outcome: "pass", code: program("actors-pass-job-queue-pull") });
    expect(hits!.stripped).toMatchObject({ proseBefore: "Here is the program:", proseAfter: "It counts hits.", fence: { lang: "hew" } });
    expect(hits!.stripped.thinkChars).toBeGreaterThan(0);
    expect(answersOf("generators-fib")[0]).toMatchObject({ outcome: "pass", reasoning: "gen fn with two vars", raw: expect.stringContaining("```") });
  });

  it("gives recorded real failures their category from the failure registry", () => {
    const category = (id: string) => answersOf(id).map((a) => [a.outcome, a.failureCategory]);
    expect(category("generators-yield")).toEqual([["fail", "yield-outside-gen"], ["fail", "yield-outside-gen"]]);
    expect(category("algorithms-int")[0]).toEqual(["fail", "integer-type"]);
    expect(category("data-structures-vec")[0]).toEqual(["fail", "legacy-path"]);
    expect(category("pattern-matching-enum")[0]).toEqual(["fail", "rust-enum"]);
    expect(answersOf("generators-yield")[0]!.verdict!.diagnostics[0]!.code).toBe("YieldOutsideGenerator");
  });

  it("scores an answer with no program as no-code, without asking the checker", () => {
    expect(answersOf("state-machines-light").map((a) => a.outcome)).toEqual(["no-code", "no-code"]);
    expect(answersOf("state-machines-light")[0]!.stripped.thinkUnterminated).toBe(true);
    expect(checker.calls).not.toContain("");
  });

  it("checks a whole program that ran out of tokens, and counts it as cut off", () => {
    expect(answersOf("algorithms-search")[0]).toMatchObject({ outcome: "pass", finishReason: "length", stripped: { fence: { unterminated: true } } });
  });

  it("retries a slow answer, and records a deterministic 500 as a model error with the server's words, without retrying it", () => {
    expect(answersOf("concurrency-channel")[0]).toMatchObject({ outcome: "pass", attempts: 2 });
    expect(answersOf("real-world-down")[0]).toMatchObject({ outcome: "model-error", attempts: 1, error: expect.stringMatching(/HTTP 500.*: backend crashed$/) });
  });

  it("never counts a checker-error as a pass", () => {
    expect(answersOf("tests-crash").map((a) => a.outcome)).toEqual(["checker-error", "checker-error"]);
  });

  it("checks identical code once", () => {
    const codes = run.answers.filter((a) => a.codeHash).map((a) => a.code);
    expect(checker.calls.length).toBe(new Set(codes).size);
    expect(checker.calls.length).toBeLessThan(codes.length);
  });

  it("summarizes per category and overall, with failure counts and prose leaks", () => {
    const s = summarizeEvalRun(run);
    expect(s.overall).toMatchObject({ prompts: 11, answers: 22, passed: 8 });
    expect(s.overall.rate).toBeCloseTo(4 / 11, 12);
    expect(s.overall.passAtK.map((p) => p.k)).toEqual([1, 2]);
    expect(s.categories.find((c) => c.category === "generators")).toMatchObject({ prompts: 2, passed: 2, rate: 0.5 });
    expect(s.outcomes).toEqual({ pass: 8, fail: 8, "checker-error": 2, unchecked: 0, "no-code": 2, "model-error": 2 });
    expect(s.failures).toEqual([
      { category: "integer-type", answers: 2 },
      { category: "legacy-path", answers: 2 },
      { category: "rust-enum", answers: 2 },
      { category: "yield-outside-gen", answers: 2 },
    ]);
    expect(s.proseLeaks).toBe(2);
    expect(s.truncated).toBe(4);
    const table = formatEvalSummary(s);
    expect(table).toMatch(/^generators\s+2\s+50\.0%\s+\[9\.5%, 90\.5%\]\s+50\.0%$/m);
    expect(table).toMatch(/^overall\s+11\s+36\.4%/m);
    expect(table).toMatch(/warning: 4 answers have no real verdict or no answer/);
  });

  it("writes a run file that reads back to the same run", () => {
    const text = formatEvalRun(run);
    const lines = text.trimEnd().split("\n");
    expect(lines).toHaveLength(23);
    expect(EvalRunHeaderSchema.parse(JSON.parse(lines[0]!)).runId).toBe("loopback");
    expect(parseEvalRun(text, "loopback.jsonl")).toEqual(run);
  });
});
