import { mkdir, writeFile } from "node:fs/promises";
import { dirname } from "node:path";
import { mulberry32 } from "../../src/util/random.js";
import { GgufWriter } from "../../support/gguf-writer.js";

export interface RandomLoraOptions {
  /** Must match the tiny model's (its default is 64, with as many key/value heads as heads). */
  embeddingLength?: number;
  layers?: number;
  rank?: number;
  alpha?: number;
  /** Half-width of the uniform random weights; large enough that the adapter changes what the model says. */
  magnitude?: number;
  seed?: number;
}

/**
 * A LoRA adapter GGUF as llama.cpp reads one (general.type "adapter", adapter.type "lora", `<tensor>.lora_a`
 * of shape [in, rank] and `<tensor>.lora_b` of shape [rank, out]) over the attention projections, with
 * random A and B so that applying it is visible in the output.
 */
export async function writeRandomLoraGguf(path: string, options: RandomLoraOptions = {}): Promise<void> {
  const n = options.embeddingLength ?? 64;
  const rank = options.rank ?? 4;
  const magnitude = options.magnitude ?? 0.5;
  const random = mulberry32(options.seed ?? 11);
  const values = (count: number) => Float32Array.from({ length: count }, () => (random() * 2 - 1) * magnitude);
  const w = new GgufWriter()
    .string("general.architecture", "llama")
    .string("general.type", "adapter")
    .string("adapter.type", "lora")
    .float32("adapter.lora.alpha", options.alpha ?? rank);
  for (let layer = 0; layer < (options.layers ?? 2); layer++) {
    for (const target of ["attn_q", "attn_k", "attn_v", "attn_output"]) {
      w.tensor(`blk.${layer}.${target}.weight.lora_a`, [n, rank], values(n * rank));
      w.tensor(`blk.${layer}.${target}.weight.lora_b`, [rank, n], values(rank * n));
    }
  }
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, w.toBytes());
}
