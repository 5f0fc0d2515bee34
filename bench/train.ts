/**
 * Training speed of the LoRA backend against llama.cpp's own full-parameter `llama-finetune`, built from the same
 * patched source with the same ggml flags, on the same tiny model, context length and threads.
 * `npm run bench -- train` prints the figures.
 */
import { execFile, spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp, writeFile } from "node:fs/promises";
import { availableParallelism, tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { promisify } from "node:util";
import { backendFlags, defaultCacheDir, ensureNativeAddon } from "../src/train/native/build.js";
import { loadBinding } from "../src/train/native/binding.js";
import { llamaSourceVersion, preparedLlamaSource } from "../src/train/native/llama-source.js";
import { sha256Hex } from "../src/util/hash.js";
import { writeTinyLlamaGguf } from "../support/tiny-gguf.js";
import type { Figure } from "./figure.js";

const run = promisify(execFile);
const SELF = fileURLToPath(import.meta.url);

export interface TrainBenchOptions {
  model?: keyof typeof MODELS;
  contextLength?: number;
  threads?: number;
  /** Contexts trained per measured epoch. */
  contexts?: number;
  /** Measurement rounds; the median counts. */
  rounds?: number;
}

export interface TrainBenchResult {
  model: { parameters: number; contextLength: number; threads: number };
  lora: { tokensPerSecond: number; peakRssMiB: number | null };
  finetune: { tokensPerSecond: number; peakRssMiB: number | null };
  /** LoRA tokens/s divided by llama-finetune tokens/s. */
  ratio: number;
}

/**
 * The bench models, F32: about 3.6M parameters (hidden size 256, where a rank-16 adapter is 1/16 of the
 * width) and about 14M (hidden size 512), closer to the adapter-to-width ratio of a real base model.
 */
const MODELS = {
  "3.6M": { embeddingLength: 256, layers: 4, heads: 4, feedForwardLength: 768, contextLength: 1024, seed: 3 },
  "14M": { embeddingLength: 512, layers: 4, heads: 8, feedForwardLength: 1536, contextLength: 1024, seed: 3 },
} as const;

export async function buildFinetune(): Promise<string> {
  const cacheDir = defaultCacheDir();
  const source = await llamaSourceVersion();
  const flags = backendFlags({ backend: "cpu" });
  const dir = join(cacheDir, `finetune-${sha256Hex([source.commit, source.patchesHash, ...flags].join("\n")).slice(0, 16)}`);
  const exe = join(dir, "bin", "llama-finetune");
  if (existsSync(exe)) return exe;
  const llamaDir = await preparedLlamaSource(cacheDir, source);
  process.stderr.write("building llama-finetune from the same source and flags (once)...\n");
  const off = ["TESTS", "TOOLS", "SERVER", "APP"].map((t) => `-DLLAMA_BUILD_${t}=OFF`);
  await run("cmake", ["-S", llamaDir, "-B", dir, ...flags, "-DBUILD_SHARED_LIBS=OFF", "-DLLAMA_BUILD_EXAMPLES=ON", "-DLLAMA_BUILD_COMMON=ON", "-DLLAMA_OPENSSL=OFF", ...off], { maxBuffer: 64 << 20 });
  // A bare --parallel means unbounded make jobs: on a small machine that runs out of memory.
  await run("cmake", ["--build", dir, "--target", "llama-finetune", "--parallel", String(availableParallelism())], { maxBuffer: 64 << 20 });
  return exe;
}

/** Wall time and peak resident memory of a command, through GNU time when the machine has it. */
export async function measured(cmd: string, args: string[]): Promise<{ seconds: number; peakRssMiB: number | null; stdout: string }> {
  const gnuTime = existsSync("/usr/bin/time");
  const argv = gnuTime ? ["-f", "PEAK_RSS_KB=%M", cmd, ...args] : args;
  const t0 = performance.now();
  const { stdout, stderr, code } = await new Promise<{ stdout: string; stderr: string; code: number | null }>((resolve) => {
    const child = spawn(gnuTime ? "/usr/bin/time" : cmd, argv, { stdio: ["ignore", "pipe", "pipe"] });
    let out = "", err = "";
    child.stdout.on("data", (c: Buffer) => (out += c));
    child.stderr.on("data", (c: Buffer) => (err += c));
    child.on("close", (c) => resolve({ stdout: out, stderr: err, code: c }));
  });
  if (code !== 0) throw new Error(`${cmd} failed (${code}):\n${stderr.slice(-2000)}`);
  const rss = /PEAK_RSS_KB=(\d+)/.exec(stderr);
  return { seconds: (performance.now() - t0) / 1000, peakRssMiB: rss ? Number(rss[1]) / 1024 : null, stdout };
}

/** Inside a child process: LoRA steps over full contexts; prints seconds per measured epoch. */
async function loraWorker(args: { addon: string; model: string; tokens: number[]; contextLength: number; threads: number; contexts: number; epochs: number }): Promise<void> {
  const b = loadBinding(args.addon);
  const model = new b.Model(args.model);
  const fresh = join(await mkdtemp(join(tmpdir(), "hew-bench-")), "fresh.gguf");
  b.writeFreshAdapter(args.model, fresh, { rank: 16, alpha: 32, targets: ["attn_q", "attn_k", "attn_v", "attn_output", "ffn_gate", "ffn_up", "ffn_down"], seed: 1 });
  const trainer = new b.Trainer(model, { adapterPath: fresh, contextLength: args.contextLength, threads: args.threads, optimizer: "adamw", gradAccum: 1 });
  trainer.setOptimizer({ learningRate: 1e-4 });
  const stride = args.contextLength / 2;
  const t0 = performance.now();
  for (let e = 0; e < args.epochs; e++) {
    for (let i = 0; i < args.contexts; i++) {
      const window = args.tokens.slice(i * stride, i * stride + args.contextLength + 1);
      await trainer.step(Int32Array.from(window.slice(0, -1)), Int32Array.from(window.slice(1)), true);
    }
  }
  process.stdout.write(JSON.stringify({ seconds: (performance.now() - t0) / 1000 }) + "\n");
  trainer.close();
  model.close();
}

export async function benchTrain(options: TrainBenchOptions = {}): Promise<TrainBenchResult> {
  const contextLength = options.contextLength ?? 256;
  const threads = options.threads ?? 2;
  const contexts = options.contexts ?? 24;
  const addon = await ensureNativeAddon({ backend: "cpu", onProgress: (p) => p.phase !== "compile" && process.stderr.write(`${p.message}\n`) });
  const finetune = await buildFinetune();
  const dir = await mkdtemp(join(tmpdir(), "hew-bench-"));
  const modelPath = join(dir, "model.gguf");
  const tiny = await writeTinyLlamaGguf(modelPath, MODELS[options.model ?? "3.6M"]);

  // text whose token count gives llama-finetune exactly `contexts` windows at stride contextLength/2
  const b = loadBinding(addon.path);
  const m = new b.Model(modelPath);
  const needed = contexts * (contextLength / 2) + contextLength + 2;
  let text = "";
  let tokens: number[] = [];
  for (let i = 0; tokens.length < needed; i++) {
    text += `fn f${i}(x: i64) -> i64 { x * ${i} + ${i % 7} }\n`;
    tokens = Array.from(m.tokenize(text, true));
  }
  m.close();
  const textFile = join(dir, "train.txt");
  await writeFile(textFile, text);

  // one epoch's cost is the difference between a two-epoch and a one-epoch run: loading and saving cancel out
  const ft = async (epochs: number) =>
    measured(finetune, ["-m", modelPath, "-f", textFile, "-c", String(contextLength), "-b", String(contextLength), "-ub", String(contextLength), "-t", String(threads), "-ngl", "0", "--epochs", String(epochs), "-val-split", "0", "-lr", "1e-4", "-o", join(dir, "ft.gguf")]);
  const ftContexts = Math.floor((tokens.length - contextLength - 1) / (contextLength / 2));
  const lora = async (epochs: number) => {
    const args = JSON.stringify({ addon: addon.path, model: modelPath, tokens, contextLength, threads, contexts: ftContexts, epochs });
    const r = await measured(process.execPath, ["--import", import.meta.resolve("tsx"), SELF, "--lora-worker", args]);
    return { ...r, seconds: (JSON.parse(r.stdout.trim().split("\n").at(-1)!) as { seconds: number }).seconds };
  };
  // Rounds alternate the two trainers so that a slow spell of a shared machine hits both; the median round counts.
  const rounds: { ft: number; lora: number; ftRss: number | null; loraRss: number | null }[] = [];
  for (let i = 0; i < (options.rounds ?? 3); i++) {
    const [ft1, ft2] = [await ft(1), await ft(2)];
    const [l1, l2] = [await lora(1), await lora(2)];
    rounds.push({ ft: ft2.seconds - ft1.seconds, lora: l2.seconds - l1.seconds, ftRss: ft2.peakRssMiB, loraRss: l2.peakRssMiB });
  }
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  const ftSeconds = median(rounds.map((r) => r.ft));
  const loraSeconds = median(rounds.map((r) => r.lora));

  const epochTokens = ftContexts * contextLength;
  const loraTps = epochTokens / loraSeconds;
  const ftTps = epochTokens / ftSeconds;
  return {
    model: { parameters: tiny.parameters, contextLength, threads },
    lora: { tokensPerSecond: loraTps, peakRssMiB: rounds[0]!.loraRss },
    finetune: { tokensPerSecond: ftTps, peakRssMiB: rounds[0]!.ftRss },
    ratio: loraTps / ftTps,
  };
}

/** The figures `npm run bench` prints, for both bench models. */
export async function benchTrainFigures(): Promise<Figure[]> {
  const mib = (x: number | null) => (x === null ? "n/a" : `${x.toFixed(0)} MiB`);
  const figures: Figure[] = [];
  for (const model of Object.keys(MODELS) as (keyof typeof MODELS)[]) {
    const r = await benchTrain({ model });
    const setting = `${(r.model.parameters / 1e6).toFixed(1)}M-parameter F32 model, context ${r.model.contextLength}, ${r.model.threads} threads`;
    figures.push(
      { name: `LoRA rank 16 (hew-corpus), ${setting}`, value: `${r.lora.tokensPerSecond.toFixed(0)} tokens/s, peak RSS ${mib(r.lora.peakRssMiB)}` },
      { name: "  llama-finetune (full-parameter), same source, flags and model", value: `${r.finetune.tokensPerSecond.toFixed(0)} tokens/s, peak RSS ${mib(r.finetune.peakRssMiB)}` },
      { name: "  ratio LoRA / full fine-tuning", value: r.ratio.toFixed(2), target: ">= 1.0", ok: r.ratio >= 1 },
    );
  }
  return figures;
}

// The LoRA side runs in a child process of this file, so its peak memory is measured on its own.
if (process.argv[2] === "--lora-worker" && process.argv[1] && pathToFileURL(process.argv[1]).href === import.meta.url) {
  await loraWorker(JSON.parse(process.argv[3]!));
}
