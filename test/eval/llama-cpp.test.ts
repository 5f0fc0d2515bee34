import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { evaluateModel } from "../../src/eval/evaluate.js";
import { llamaCppModelClient } from "../../src/eval/llama-cpp-client.js";
import { ModelRequestError, type ModelClient } from "../../src/eval/model-client.js";
import { readEvalRun } from "../../src/eval/run-file.js";
import { loadConfig } from "../../src/config.js";
import { sha256Hex } from "../../src/util/hash.js";
import { UserError } from "../../src/util/errors.js";
import { fakeChecker, hew } from "../helpers/fake-checker.js";
import { tempDir } from "../helpers/fixtures.js";
import { writeTinyLlamaGguf } from "../../support/tiny-gguf.js";
import { writeRandomLoraGguf } from "./lora-gguf.js";
import { evalProject } from "./project.js";

// One thread: on a busy machine llama.cpp's spinning threads otherwise wait on each other.
const THREADS = 1;
const messages = [
  { role: "system" as const, content: "You write Hew." },
  { role: "user" as const, content: "Write fn main." },
];

describe("local GGUF models through node-llama-cpp", () => {
  let dir: string;
  let modelPath: string;
  let loraPath: string;
  let base: ModelClient;
  let tuned: ModelClient;

  beforeAll(async () => {
    dir = await tempDir();
    modelPath = join(dir, "tiny.gguf");
    loraPath = join(dir, "adapter.gguf");
    await writeTinyLlamaGguf(modelPath, { contextLength: 1024, seed: 5 });
    await writeRandomLoraGguf(loraPath);
    const sampling = { temperature: 0, maxTokens: 16 };
    base = await llamaCppModelClient({ modelPath, sampling, contextSize: 512, parallel: 2, threads: THREADS });
    tuned = await llamaCppModelClient({ modelPath, lora: [{ path: loraPath, scale: 1 }], sampling, contextSize: 512, parallel: 1, threads: THREADS });
  });
  afterAll(async () => {
    await base?.close();
    await tuned?.close();
  });

  it("loads a GGUF model and generates through its chat template, greedily the same each time", async () => {
    const [a, b] = await Promise.all([base.complete(messages, { seed: 1 }), base.complete(messages, { seed: 2 })]);
    expect(a.content.length).toBeGreaterThan(0);
    expect(a.completionTokens).toBeGreaterThan(0);
    expect(a.completionTokens).toBeLessThanOrEqual(16);
    expect(["length", "stop"]).toContain(a.finishReason);
    expect(b.content).toBe(a.content);
  });

  it("applies a LoRA adapter: the same prompt, greedily, gets another answer", async () => {
    const plain = await base.complete(messages, { seed: 1 });
    const adapted = await tuned.complete(messages, { seed: 1 });
    expect(adapted.completionTokens).toBeGreaterThan(0);
    expect(adapted.content).not.toBe(plain.content);
  });

  it("makes a prompt longer than the context that answer's model error, and goes on answering", async () => {
    const long = [{ role: "system" as const, content: "Follow this rule. ".repeat(300) }, messages[1]!];
    const err = await base.complete(long, { seed: 1 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ModelRequestError);
    expect(err).toMatchObject({ retryable: false, message: expect.stringMatching(/^the local model could not answer: /) });
    expect((await base.complete(messages, { seed: 1 })).completionTokens).toBeGreaterThan(0);
  });

  it("says which file is missing instead of crashing in native code", async () => {
    const missing = join(dir, "nope.gguf");
    const err = await llamaCppModelClient({ modelPath: missing, sampling: { temperature: 0, maxTokens: 4 }, contextSize: 64, parallel: 1 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UserError);
    expect((err as Error).message).toBe(`${missing}: model file not found`);
  });

  it("runs the eval loop on the local model with its adapter: answers generated, checked, scored and saved", async () => {
    const project = await evalProject([
      { id: "actors-a", category: "actors", prompt: "Write an actor.", reference: "fn main() {}\n" },
      { id: "algorithms-a", category: "algorithms", prompt: "Sort a Vec.", reference: "fn main() {}\n" },
    ]);
    // Random weights write no Hew; the checker is a fake that fails everything (it never passes what no compiler passed).
    const checker = fakeChecker(hew, () => "fail");
    const progress: number[] = [];
    const { summary, file, run } = await evaluateModel({
      config: await loadConfig(project),
      model: { kind: "gguf", path: modelPath, lora: [{ path: loraPath, scale: 0.5 }], contextSize: 512, threads: THREADS },
      sampling: { temperature: 0.7, n: 2, maxTokens: 12, seed: 3 },
      concurrency: 2,
      runId: "tiny-lora",
      checker,
      onProgress: ({ done }) => progress.push(done),
    });
    expect(file).toBe(join(project, "runs", "eval", "tiny-lora.jsonl"));
    expect(progress.at(-1)).toBe(4);
    expect(summary.overall).toMatchObject({ prompts: 2, answers: 4, passed: 0, rate: 0 });
    expect(summary.systemPromptVersion).toBe("v2");
    const saved = await readEvalRun(file!);
    expect(saved).toEqual(run);
    expect(saved.header.model).toEqual({
      kind: "gguf",
      path: modelPath,
      contextSize: 512,
      threads: THREADS,
      lora: [{ path: loraPath, scale: 0.5, sha256: sha256Hex(await readFile(loraPath)) }],
    });
    for (const answer of saved.answers) {
      expect(answer.raw.length).toBeGreaterThan(0);
      expect(["fail", "no-code"]).toContain(answer.outcome);
    }
    expect(checker.calls.length).toBeGreaterThan(0);
  });
});
