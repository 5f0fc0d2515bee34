/**
 * Training at real width: a random-weight model with Qwen3-0.6B's exact shapes (hidden size 1024, 16 query and
 * 8 key/value heads of 128, feed-forward 3072, vocabulary 151936, tied embeddings), F16, LoRA rank 16 on all
 * seven projections, at context 512 and 2048: peak memory, seconds per step and tokens/s. Then LoRA against
 * llama.cpp's full-parameter `llama-finetune` on the same shapes in F32 (llama-finetune's optimizer updates
 * F32 weights only), same source, flags, context and threads.
 *
 * `npm run bench -- train-real`. On 2 cores the full 28 layers take too long, so the model keeps 4 of them
 * (HEW_BENCH_LAYERS=28 for all): every figure says how many. Per-layer costs scale linearly with depth; the
 * output layer (151936 x 1024) is there in full.
 */
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { GGUF_PROJECTIONS, TARGET_MODULES } from "../src/schema/train.js";
import { loadBinding } from "../src/train/native/binding.js";
import { ensureNativeAddon } from "../src/train/native/build.js";
import type { TensorType } from "../support/gguf-writer.js";
import { writeTinyLlamaGguf, type TinyLlamaOptions } from "../support/tiny-gguf.js";
import type { Figure } from "./figure.js";
import { buildFinetune, measured } from "./train.js";

const SELF = fileURLToPath(import.meta.url);
const THREADS = 2;
const STEPS = 2;

/** Qwen3-0.6B as its config.json has it. */
export const QWEN3_0_6B: TinyLlamaOptions = {
  architecture: "qwen3",
  embeddingLength: 1024,
  layers: 28,
  heads: 16,
  kvHeads: 8,
  headDim: 128,
  feedForwardLength: 3072,
  vocabSize: 151936,
  tiedEmbeddings: true,
  contextLength: 40960,
  initScale: 0.02,
  randomPool: 1 << 20,
};

interface StepTiming {
  loadSeconds: number;
  stepSeconds: number;
}

/** Inside a child process (so its peak memory is its own): one warm-up step, then STEPS timed ones. */
async function stepWorker(args: { addon: string; model: string; contextLength: number }): Promise<void> {
  const b = loadBinding(args.addon);
  const t0 = performance.now();
  const model = new b.Model(args.model);
  const dir = await mkdtemp(join(tmpdir(), "hew-bench-"));
  const fresh = join(dir, "fresh.gguf");
  b.writeFreshAdapter(args.model, fresh, { rank: 16, alpha: 32, targets: TARGET_MODULES.map((m) => GGUF_PROJECTIONS[m]), seed: 1 });
  const trainer = new b.Trainer(model, { adapterPath: fresh, contextLength: args.contextLength, threads: THREADS, optimizer: "adamw", gradAccum: 1 });
  const loadSeconds = (performance.now() - t0) / 1000;
  const tokens = Int32Array.from({ length: args.contextLength }, (_, i) => 300 + ((i * 13) % 90));
  const labels = Int32Array.from({ length: args.contextLength }, (_, i) => tokens[(i + 1) % args.contextLength]!);
  await trainer.step(tokens, labels, true);
  const t1 = performance.now();
  for (let i = 0; i < STEPS; i++) await trainer.step(tokens, labels, true);
  const stepSeconds = (performance.now() - t1) / 1000 / STEPS;
  trainer.close();
  model.close();
  await rm(dir, { recursive: true, force: true });
  process.stdout.write(JSON.stringify({ loadSeconds, stepSeconds } satisfies StepTiming) + "\n");
}

async function loraRun(addon: string, model: string, contextLength: number): Promise<StepTiming & { peakRssMiB: number | null }> {
  const r = await measured(process.execPath, ["--import", import.meta.resolve("tsx"), SELF, "--step-worker", JSON.stringify({ addon, model, contextLength })]);
  return { ...(JSON.parse(r.stdout.trim().split("\n").at(-1)!) as StepTiming), peakRssMiB: r.peakRssMiB };
}

/** llama-finetune over exactly `contexts` windows per epoch; one epoch's cost is a 2-epoch run minus a 1-epoch run. */
async function finetuneStep(exe: string, model: string, dir: string, contextLength: number, contexts: number): Promise<{ stepSeconds: number; peakRssMiB: number | null }> {
  // the tiny vocabulary has one token per character: a text of the right length gives the window count
  const chars = contexts * (contextLength / 2) + contextLength + 64;
  const text = Array.from({ length: Math.ceil(chars / 40) }, (_, i) => `fn f${i}(x: i64) -> i64 { x * ${i % 97} }`).join("\n").slice(0, chars);
  const textFile = join(dir, "train.txt");
  await writeFile(textFile, text);
  const run = (epochs: number) =>
    measured(exe, ["-m", model, "-f", textFile, "-c", String(contextLength), "-b", String(contextLength), "-ub", String(contextLength), "-t", String(THREADS), "-ngl", "0", "--epochs", String(epochs), "-val-split", "0", "-lr", "1e-5", "-o", join(dir, "ft.gguf")]);
  const one = await run(1);
  const two = await run(2);
  return { stepSeconds: (two.seconds - one.seconds) / contexts, peakRssMiB: two.peakRssMiB };
}

export async function benchTrainRealFigures(): Promise<Figure[]> {
  const layers = Number(process.env.HEW_BENCH_LAYERS ?? 4);
  const addon = await ensureNativeAddon({ backend: "cpu", onProgress: (p) => p.phase !== "compile" && process.stderr.write(`${p.message}\n`) });
  const dir = await mkdtemp(join(tmpdir(), "hew-bench-real-"));
  const figures: Figure[] = [];
  const mib = (x: number | null) => (x === null ? "n/a" : `${(x / 1024).toFixed(2)} GiB`);
  const label = `Qwen3-0.6B shapes, ${layers} of 28 layers`;
  try {
    const write = async (weightType: TensorType) => {
      const path = join(dir, `qwen3-0.6b-${layers}l-${weightType}.gguf`);
      process.stderr.write(`writing ${label}, ${weightType}...\n`);
      await writeTinyLlamaGguf(path, { ...QWEN3_0_6B, layers, weightType });
      return path;
    };
    const f16 = await write("f16");
    for (const ctx of [512, 2048]) {
      const r = await loraRun(addon.path, f16, ctx);
      figures.push({
        name: `LoRA r16 all 7 projections, ${label}, F16, context ${ctx}, ${THREADS} threads`,
        value: `${r.stepSeconds.toFixed(1)} s/step, ${(ctx / r.stepSeconds).toFixed(0)} tokens/s, peak RSS ${mib(r.peakRssMiB)}`,
      });
    }
    await rm(f16, { force: true });

    const f32 = await write("f32");
    const lora = await loraRun(addon.path, f32, 512);
    const ft = await finetuneStep(await buildFinetune(), f32, dir, 512, 2);
    const ratio = ft.stepSeconds / lora.stepSeconds;
    figures.push(
      { name: `LoRA (hew-corpus), ${label}, F32, context 512`, value: `${lora.stepSeconds.toFixed(1)} s/step, peak RSS ${mib(lora.peakRssMiB)}` },
      { name: "  llama-finetune (full-parameter), same model, source, flags", value: `${ft.stepSeconds.toFixed(1)} s/step, peak RSS ${mib(ft.peakRssMiB)}` },
      { name: "  speed ratio LoRA / full fine-tuning", value: ratio.toFixed(2), target: ">= 1.3", ok: ratio >= 1.3 },
    );
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
  return figures;
}

if (process.argv[2] === "--step-worker" && process.argv[1] && pathToFileURL(process.argv[1]).href === import.meta.url) {
  await stepWorker(JSON.parse(process.argv[3]!));
}
