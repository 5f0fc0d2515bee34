import { mkdir, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { stringify } from "yaml";
import type { Backend, TrainConfigInput } from "../../src/schema/train.js";
import type { Binding, NativeModel, NativeTrainer, TrainerOptions } from "../../src/train/native/binding.js";
import { ensureNativeAddon, type NativeAddon } from "../../src/train/native/build.js";
import { writeTinyLlamaGguf } from "../../support/tiny-gguf.js";

/** Building llama.cpp from scratch takes minutes on two cores; later runs find it in the cache. */
export const ADDON_BUILD_TIMEOUT_MS = 30 * 60_000;

export function buildAddonForTests(backend: Backend = "cpu"): Promise<NativeAddon> {
  let last = -10;
  return ensureNativeAddon({
    backend,
    onProgress: (p) => {
      if (p.phase !== "compile") process.stderr.write(`[training backend] ${p.message}\n`);
      else if (p.percent >= last + 10) {
        last = p.percent;
        process.stderr.write(`[training backend] compiling ${p.percent}%\n`);
      }
    },
  });
}

export const ANSWER = 'fn main() {\n    println("hello from hew");\n}';

/** Conversations with one answer to learn, so a few steps visibly lower the loss. */
export function datasetLines(n: number): string {
  return Array.from({ length: n }, (_, i) =>
    JSON.stringify({
      messages: [
        { role: "system", content: "You write Hew." },
        { role: "user", content: `Write program ${i}.` },
        { role: "assistant", content: ANSWER },
      ],
    }),
  ).join("\n") + "\n";
}

export interface TrainingFixture {
  dir: string;
  model: string;
  dataset: string;
  config: string;
}

/** A tiny model, a dataset and a run.yaml in `dir`. */
export async function writeTrainingFixture(dir: string, overrides: Partial<TrainConfigInput> = {}, samples = 24): Promise<TrainingFixture> {
  const model = join(dir, "model.gguf");
  const dataset = join(dir, "export", "train.jsonl");
  await mkdir(dir, { recursive: true });
  await writeTinyLlamaGguf(model, { contextLength: 256 });
  await mkdir(dirname(dataset), { recursive: true });
  await writeFile(dataset, datasetLines(samples));
  const config = join(dir, "run.yaml");
  const run: TrainConfigInput = {
    baseModel: "model.gguf",
    dataset: "export/train.jsonl",
    outputDir: "out",
    lora: { rank: 8, alpha: 16, dropout: 0 },
    epochs: 2,
    learningRate: 1e-2,
    schedule: "constant",
    contextLength: 160,
    validationSplit: 0.2,
    threads: 2,
    ...overrides,
  };
  await writeFile(config, stringify(run));
  return { dir, model, dataset, config };
}

/** A user request and the one answer to learn: the conversation of the masked-label probes. */
export const ONE_ANSWER = [
  { role: "user" as const, content: "Write a program." },
  { role: "assistant" as const, content: ANSWER },
];

/** A fresh adapter on three projections of `model` in `dir`, for one-step gradient probes. */
export function writeProbeAdapter(binding: Binding, model: string, dir: string): string {
  const fresh = join(dir, "fresh.gguf");
  binding.writeFreshAdapter(model, fresh, { rank: 4, alpha: 4, targets: ["attn_q", "attn_v", "ffn_down"], seed: 7 });
  return fresh;
}

/**
 * One SGD step at learning rate 1 from lora_b = 0 leaves lora_b = -gradient (lora_a gets none while b is 0):
 * the loss of the step and the gradient of every lora_b, concatenated.
 */
export async function loraBGradient(
  Trainer: new (model: NativeModel, options: TrainerOptions) => NativeTrainer,
  model: NativeModel,
  fresh: string,
  tokens: Int32Array,
  labels: Int32Array,
): Promise<{ loss: number; grad: Float32Array }> {
  const trainer = new Trainer(model, { adapterPath: fresh, contextLength: tokens.length, threads: 2, optimizer: "sgd", gradAccum: 1 });
  try {
    trainer.setOptimizer({ learningRate: 1, weightDecay: 0 });
    const { loss } = await trainer.step(tokens, labels, true);
    const b = trainer.tensors().filter((t) => t.name.endsWith(".lora_b"));
    const grad = new Float32Array(b.reduce((n, t) => n + t.data.length, 0));
    let at = 0;
    for (const t of b) {
      t.data.forEach((v, i) => (grad[at + i] = -v));
      at += t.data.length;
    }
    return { loss, grad };
  } finally {
    trainer.close();
  }
}
