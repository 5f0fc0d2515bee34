import { join } from "node:path";
import { getLlama, LlamaCompletion, LlamaLogLevel } from "node-llama-cpp";
import { beforeAll, describe, expect, it } from "vitest";
import { GGUF_PROJECTIONS } from "../../src/schema/train.js";
import { chatRenderer, encodeConversation, toContext } from "../../src/train/dataset.js";
import { loadBinding, type Binding } from "../../src/train/native/binding.js";
import { trainRun } from "../../src/train/train-run.js";
import { writeTinyQwen35Gguf } from "../../support/tiny-gguf-qwen35.js";
import { tempDir } from "../helpers/fixtures.js";
import { ADDON_BUILD_TIMEOUT_MS, ANSWER, buildAddonForTests, writeTrainingFixture } from "./training-fixtures.js";

const PROMPT = "<|im_start|>system\nYou write Hew.<|im_end|>\n<|im_start|>user\nWrite program 99.<|im_end|>\n<|im_start|>assistant\n";

async function complete(modelPath: string, lora?: string): Promise<string> {
  const llama = await getLlama({ gpu: false, build: "never", logLevel: LlamaLogLevel.error });
  const model = await llama.loadModel({ modelPath });
  try {
    const context = await model.createContext({ contextSize: 256, threads: 1, ...(lora ? { lora: { adapters: [{ filePath: lora }] } } : {}) });
    try {
      return await new LlamaCompletion({ contextSequence: context.getSequence() }).generateCompletion(PROMPT, { maxTokens: 12, temperature: 0 });
    } finally {
      await context.dispose();
    }
  } finally {
    await model.dispose();
  }
}

describe("the tiny qwen35 model", () => {
  it("loads in node-llama-cpp as qwen35 and generates", async () => {
    const path = join(await tempDir(), "qwen35.gguf");
    await writeTinyQwen35Gguf(path, { contextLength: 256, seed: 3 });
    const llama = await getLlama({ gpu: false, build: "never", logLevel: LlamaLogLevel.error });
    const model = await llama.loadModel({ modelPath: path });
    try {
      expect(model.fileInfo.metadata.general.architecture).toBe("qwen35");
    } finally {
      await model.dispose();
    }
    expect((await complete(path)).length).toBeGreaterThan(0);
  });
});

describe("training qwen35 (gated delta net + gated attention) on CPU", () => {
  let binding: Binding;
  beforeAll(async () => {
    binding = loadBinding((await buildAddonForTests()).path);
  }, ADDON_BUILD_TIMEOUT_MS);

  it.each(["f32", "f16"] as const)("gives every targeted projection of both layer kinds a gradient (%s base)", async (weightType) => {
    const dir = await tempDir();
    const f = await writeTrainingFixture(dir);
    // three linear-attention layers and one full-attention layer, qwen35's own pattern
    await writeTinyQwen35Gguf(f.model, { layers: 4, contextLength: 256, weightType });
    const model = new binding.Model(f.model);
    try {
      const fresh = join(dir, "fresh.gguf");
      const adapted = binding.writeFreshAdapter(f.model, fresh, { rank: 4, alpha: 4, targets: Object.values(GGUF_PROJECTIONS), seed: 7 });
      const names = adapted.map((t) => t.name.replace(/\.weight$/, ""));
      for (const il of [0, 1, 2]) {
        for (const p of ["attn_qkv", "attn_gate", "ssm_alpha", "ssm_beta", "ssm_out", "ffn_gate", "ffn_up", "ffn_down"]) expect(names).toContain(`blk.${il}.${p}`);
        expect(names).not.toContain(`blk.${il}.attn_q`);
      }
      for (const p of ["attn_q", "attn_k", "attn_v", "attn_output"]) expect(names).toContain(`blk.3.${p}`);
      expect(names).not.toContain("blk.3.attn_qkv");

      const encoded = encodeConversation(model, chatRenderer(model), { line: 1, messages: [{ role: "user", content: "Write a program." }, { role: "assistant", content: ANSWER }] }, false);
      const { tokens, labels } = toContext(encoded, 96, 2);
      // one SGD step at learning rate 1 from lora_b = 0 leaves lora_b = -gradient
      const trainer = new binding.Trainer(model, { adapterPath: fresh, contextLength: tokens.length, threads: 2, optimizer: "sgd", gradAccum: 1 });
      try {
        trainer.setOptimizer({ learningRate: 1, weightDecay: 0 });
        const { loss } = await trainer.step(tokens, labels, true);
        expect(Number.isFinite(loss)).toBe(true);
        const withoutGradient = trainer
          .tensors()
          .filter((t) => t.name.endsWith(".lora_b") && t.data.every((v) => v === 0))
          .map((t) => t.name.replace(/\.weight\.lora_b$/, ""));
        // every adapted projection gets a gradient, attention's k and v included (they bypass the KV cache in training)
        expect(withoutGradient).toEqual([]);
      } finally {
        trainer.close();
      }
    } finally {
      model.close();
    }
  }, 120_000);

  it("trains with hew-corpus train: the loss falls and llama.cpp and node-llama-cpp load the adapter", async () => {
    const f = await writeTrainingFixture(await tempDir(), { epochs: 2, learningRate: 2e-2, lora: { rank: 4, alpha: 8, dropout: 0 } }, 12);
    await writeTinyQwen35Gguf(f.model, { layers: 4, contextLength: 256 });
    const record = await trainRun({ configFile: f.config, defaultRoot: f.dir });
    const t = record.training!;
    expect(t.losses[1]!.train).toBeLessThan(t.losses[0]!.train);
    expect(t.losses[1]!.validation!).toBeLessThan(t.initialValidationLoss!);

    // llama.cpp's own LoRA loader (the training backend resumes from it) ...
    const model = new binding.Model(f.model);
    try {
      const trainer = new binding.Trainer(model, { adapterPath: t.adapter.path, contextLength: 64, threads: 2, optimizer: "adamw", gradAccum: 1 });
      const names = trainer.tensors().map((x) => x.name);
      trainer.close();
      expect(names).toContain("blk.0.attn_qkv.weight.lora_a");
      expect(names).toContain("blk.3.attn_q.weight.lora_b");
    } finally {
      model.close();
    }
    // ... and node-llama-cpp's
    expect(await complete(f.model, t.adapter.path)).not.toBe(await complete(f.model));
  }, 300_000);
});
