import { join } from "node:path";
import { getLlama, GgmlType, LlamaCompletion, LlamaLogLevel, readGgufFileInfo } from "node-llama-cpp";
import { beforeAll, describe, expect, it } from "vitest";
import { GGUF_PROJECTIONS, TARGET_MODULES } from "../../src/schema/train.js";
import { loadBinding, type Binding } from "../../src/train/native/binding.js";
import { trainRun } from "../../src/train/train-run.js";
import type { TensorType } from "../../support/gguf-writer.js";
import { writeTinyLlamaGguf, type TinyArchitecture, type TinyLlamaOptions } from "../../support/tiny-gguf.js";
import { tempDir } from "../helpers/fixtures.js";
import { ADDON_BUILD_TIMEOUT_MS, buildAddonForTests, writeTrainingFixture } from "./training-fixtures.js";

let binding: Binding;

beforeAll(async () => {
  binding = loadBinding((await buildAddonForTests()).path);
}, ADDON_BUILD_TIMEOUT_MS);

const ALL_PROJECTIONS = TARGET_MODULES.map((m) => GGUF_PROJECTIONS[m]);

/**
 * One SGD step at learning rate 1 from lora_b = 0 leaves lora_b = -gradient: the largest |lora_b| of each
 * adapted weight, by tensor name.
 */
async function gradientProbe(modelPath: string, options: { contextLength?: number; targets?: string[] } = {}): Promise<{ loss: number; grads: Map<string, number> }> {
  const dir = await tempDir();
  const ctx = options.contextLength ?? 64;
  const fresh = join(dir, "fresh.gguf");
  binding.writeFreshAdapter(modelPath, fresh, { rank: 4, alpha: 4, targets: options.targets ?? ALL_PROJECTIONS, seed: 3 });
  const model = new binding.Model(modelPath);
  const trainer = new binding.Trainer(model, { adapterPath: fresh, contextLength: ctx, threads: 2, optimizer: "sgd", gradAccum: 1 });
  try {
    trainer.setOptimizer({ learningRate: 1, weightDecay: 0 });
    const vocab = model.info().vocabSize;
    const tokens = Int32Array.from({ length: ctx }, (_, i) => 300 + ((i * 7) % Math.min(90, vocab - 300)));
    const labels = Int32Array.from({ length: ctx }, (_, i) => tokens[(i + 1) % ctx]!);
    const { loss } = await trainer.step(tokens, labels, true);
    const grads = new Map<string, number>();
    for (const t of trainer.tensors()) {
      if (t.name.endsWith(".lora_b")) grads.set(t.name.replace(/\.lora_b$/, ""), t.data.reduce((m, v) => Math.max(m, Math.abs(v)), 0));
    }
    return { loss, grads };
  } finally {
    trainer.close();
    model.close();
  }
}

/** The projections of `grads` (blk.N.attn_k.weight -> attn_k) whose gradient is zero in some layer. */
function withoutGradient(grads: Map<string, number>): string[] {
  return [...new Set([...grads].filter(([, g]) => !(g > 0)).map(([name]) => name.split(".")[2]!))].sort();
}

async function tinyModel(options: TinyLlamaOptions): Promise<string> {
  const path = join(await tempDir(), "model.gguf");
  await writeTinyLlamaGguf(path, { contextLength: 256, ...options });
  return path;
}

describe.each<TinyArchitecture>(["llama", "qwen3"])("%s at real depth (36 layers, tiny width)", (architecture) => {
  it("trains all seven projections, k_proj and v_proj included, in every layer", async () => {
    const model = await tinyModel({ architecture, layers: 36, embeddingLength: 32, heads: 4, kvHeads: 2, headDim: 16, feedForwardLength: 64, initScale: 0.1 });
    const { loss, grads } = await gradientProbe(model);
    expect(Number.isFinite(loss)).toBe(true);
    expect(grads.size).toBe(36 * 7);
    expect(withoutGradient(grads)).toEqual([]);
  }, 120_000);
});

describe("base weight types (qwen3, tiny width)", () => {
  const types: TensorType[] = ["f32", "f16", "bf16", "q8_0", "q4_k"];
  it.each(types)("%s: every projection gets a gradient", async (weightType) => {
    // Q4_K blocks hold 256 values: every weight row must be a multiple of that
    const model = await tinyModel({ architecture: "qwen3", weightType, layers: 2, embeddingLength: 256, heads: 4, kvHeads: 2, headDim: 64, feedForwardLength: 512, initScale: 0.05 });
    const { loss, grads } = await gradientProbe(model, { contextLength: 32 });
    expect(Number.isFinite(loss)).toBe(true);
    expect(grads.size).toBe(2 * 7);
    expect(withoutGradient(grads)).toEqual([]);
  }, 120_000);

  it("an F16 base gives the gradient of its F32 original", async () => {
    const shape = { architecture: "qwen3" as const, layers: 2, embeddingLength: 64, heads: 4, kvHeads: 2, headDim: 16, feedForwardLength: 128, seed: 9, initScale: 0.05 };
    const f32 = await gradientProbe(await tinyModel({ ...shape, weightType: "f32" }));
    const f16 = await gradientProbe(await tinyModel({ ...shape, weightType: "f16" }));
    expect(f16.loss).toBeCloseTo(f32.loss, 3);
    for (const [name, g] of f32.grads) expect(Math.abs(f16.grads.get(name)! - g)).toBeLessThan(0.02 * g + 1e-6);
  }, 120_000);
});

describe("hew-corpus train on a tiny qwen3 model", () => {
  it("lowers the loss and writes an adapter that node-llama-cpp and the trainer load", async () => {
    const dir = await tempDir();
    const f = await writeTrainingFixture(dir, { epochs: 2, learningRate: 2e-2 });
    await writeTinyLlamaGguf(f.model, { architecture: "qwen3", contextLength: 256, layers: 4, embeddingLength: 64, heads: 4, kvHeads: 2, headDim: 32, tiedEmbeddings: true });
    const record = await trainRun({ configFile: f.config, defaultRoot: f.dir });
    const t = record.training!;
    expect(t.losses[1]!.train).toBeLessThan(t.losses[0]!.train);
    expect(t.losses[1]!.validation!).toBeLessThan(t.initialValidationLoss! - 0.1);

    // what convert_lora_to_gguf.py writes for a PEFT adapter: the keys llama.cpp's loader checks, its tensor
    // names, [n_in, rank] and [rank, n_out] shapes, F32
    const adapter = await readGgufFileInfo(t.adapter.path, { logWarnings: false });
    expect(adapter.metadata).toMatchObject({ general: { type: "adapter", architecture: "qwen3" }, adapter: { type: "lora", lora: { alpha: 16 } } });
    const shapes = Object.fromEntries((adapter.fullTensorInfo ?? []).map((x) => [x.name, { dims: x.dimensions.map(Number), type: x.ggmlType }]));
    expect(shapes["blk.3.attn_q.weight.lora_a"]).toEqual({ dims: [64, 8], type: GgmlType.F32 });
    expect(shapes["blk.3.attn_q.weight.lora_b"]).toEqual({ dims: [8, 128], type: GgmlType.F32 });
    expect(shapes["blk.0.attn_k.weight.lora_b"]).toEqual({ dims: [8, 64], type: GgmlType.F32 });
    expect(shapes["blk.0.ffn_down.weight.lora_a"]).toEqual({ dims: [256, 8], type: GgmlType.F32 });

    // llama.cpp's own loader (the trainer starts from the file) reads back the trained weights
    const model = new binding.Model(f.model);
    const trainer = new binding.Trainer(model, { adapterPath: t.adapter.path, contextLength: 32, threads: 2, optimizer: "adamw", gradAccum: 1 });
    const names = trainer.tensors().map((x) => x.name);
    trainer.close();
    model.close();
    expect(names).toContain("blk.0.attn_k.weight.lora_b");
    expect(names).toHaveLength(4 * 7 * 2);

    const llama = await getLlama({ gpu: false, build: "never", logLevel: LlamaLogLevel.error });
    const loaded = await llama.loadModel({ modelPath: f.model });
    const prompt = "<|im_start|>user\nWrite program 99.<|im_end|>\n<|im_start|>assistant\n";
    // one thread: on a busy machine llama.cpp's spinning threads otherwise wait on each other (12 tokens took 40 s)
    const complete = async (lora?: string) => {
      const context = await loaded.createContext({ contextSize: 256, threads: 1, ...(lora ? { lora: { adapters: [{ filePath: lora }] } } : {}) });
      try {
        return await new LlamaCompletion({ contextSequence: context.getSequence() }).generateCompletion(prompt, { maxTokens: 12, temperature: 0 });
      } finally {
        await context.dispose();
      }
    };
    const base = await complete();
    const tuned = await complete(t.adapter.path);
    await loaded.dispose();
    expect(tuned).not.toBe(base);
  }, 240_000);
});
