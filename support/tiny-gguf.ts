/**
 * Tiny random-weight models written as GGUF, for tests and benchmarks that need a real model without
 * downloading one: the `llama` and `qwen3` architectures with the metadata keys, tensor names and shapes
 * llama.cpp loads, a small SentencePiece-style vocabulary (ASCII characters, byte fallback, ChatML specials)
 * and a ChatML chat template. llama.cpp, node-llama-cpp and the training backend load them as they would any
 * model of the architecture. Not part of the published package.
 */
import { mkdir, writeFile } from "node:fs/promises";
import { dirname } from "node:path";
import { mulberry32 } from "../src/util/random.js";
import { GgufWriter, type TensorType } from "./gguf-writer.js";

export const CHATML_TEMPLATE =
  "{% for message in messages %}{{'<|im_start|>' + message['role'] + '\\n' + message['content'] + '<|im_end|>' + '\\n'}}{% endfor %}" +
  "{% if add_generation_prompt %}{{ '<|im_start|>assistant\\n' }}{% endif %}";

export type TinyArchitecture = "llama" | "qwen3";

export interface TinyLlamaOptions {
  /** `llama` by default; `qwen3` adds per-head Q/K norms and takes its head size from `headDim`. */
  architecture?: TinyArchitecture;
  /** Width of the residual stream; a multiple of `heads` for llama. */
  embeddingLength?: number;
  layers?: number;
  heads?: number;
  /** Key/value heads (grouped-query attention when fewer than `heads`). */
  kvHeads?: number;
  /** qwen3: the size of one attention head (Qwen3 uses 128 whatever its width); llama: embeddingLength / heads. */
  headDim?: number;
  feedForwardLength?: number;
  contextLength?: number;
  /** Extra vocabulary pieces beyond single characters, e.g. "▁hello" (U+2581 marks a leading space). */
  extraPieces?: string[];
  /** Pad the vocabulary with unused pieces to this many tokens (151936 for Qwen3's output layer). */
  vocabSize?: number;
  /** The type of the 2-D weights; norms stay F32 as in converted checkpoints. */
  weightType?: TensorType;
  /** No output.weight: the output layer reuses token_embd.weight, as Qwen3 up to 4B does. */
  tiedEmbeddings?: boolean;
  /** Standard deviation of the random weights. */
  initScale?: number;
  /**
   * Draw the weights from a pool of this many normals instead of one per weight: much faster for models of
   * real width (benchmarks), where the values do not matter.
   */
  randomPool?: number;
  seed?: number;
  chatTemplate?: string;
  name?: string;
}

export interface TinyLlamaModel {
  bytes: Uint8Array;
  vocabSize: number;
  /** Parameter count of all tensors. */
  parameters: number;
  tokens: string[];
}

/** ggml's file types (general.file_type) for the weight types. */
const FILE_TYPE: Record<TensorType, number> = { f32: 0, f16: 1, q8_0: 7, q4_k: 15, bf16: 32 };

/**
 * The vocabulary: SentencePiece specials, 256 byte-fallback tokens, printable ASCII (with ▁ for space), extras,
 * then unused pieces up to `size` (a real model's vocabulary size, for its output layer's shape).
 */
export function tinyVocab(extraPieces: readonly string[], size = 0): { tokens: string[]; scores: number[]; types: number[] } {
  const NORMAL = 1, UNKNOWN = 2, CONTROL = 3, UNUSED = 5, BYTE = 6;
  const tokens: string[] = [], scores: number[] = [], types: number[] = [];
  const add = (piece: string, type: number, score = 0) => {
    tokens.push(piece);
    types.push(type);
    scores.push(score);
  };
  add("<unk>", UNKNOWN);
  add("<s>", CONTROL);
  add("</s>", CONTROL);
  add("<|im_start|>", CONTROL);
  add("<|im_end|>", CONTROL);
  for (let b = 0; b < 256; b++) add(`<0x${b.toString(16).toUpperCase().padStart(2, "0")}>`, BYTE);
  add("\u2581", NORMAL, -1);
  for (let c = 33; c < 127; c++) add(String.fromCharCode(c), NORMAL, -1);
  // longer pieces win merges over shorter ones
  for (const piece of extraPieces) if (!tokens.includes(piece)) add(piece, NORMAL, piece.length);
  for (let i = 0; tokens.length < size; i++) add(`<unused${i}>`, UNUSED);
  return { tokens, scores, types };
}

/** Box-Muller normals from a seeded uniform source. */
export function normalSampler(seed: number): () => number {
  const uniform = mulberry32(seed);
  return () => Math.sqrt(-2 * Math.log(1 - uniform())) * Math.cos(2 * Math.PI * uniform());
}

export function tinyLlamaGguf(options: TinyLlamaOptions = {}): TinyLlamaModel {
  const arch = options.architecture ?? "llama";
  const nEmbd = options.embeddingLength ?? 64;
  const nLayer = options.layers ?? 2;
  const nHead = options.heads ?? 4;
  const nKvHead = options.kvHeads ?? nHead;
  const nFf = options.feedForwardLength ?? 4 * nEmbd;
  const weightType = options.weightType ?? "f32";
  if (nHead % nKvHead !== 0) throw new Error("heads must divide by kvHeads");
  if (arch === "llama" && nEmbd % nHead !== 0) throw new Error("embeddingLength must divide by heads");
  const headDim = arch === "llama" ? nEmbd / nHead : (options.headDim ?? nEmbd / nHead);
  const nQ = headDim * nHead;
  const nEmbdKv = headDim * nKvHead;
  const { tokens, scores, types } = tinyVocab(options.extraPieces ?? [], options.vocabSize);
  const nVocab = tokens.length;

  const w = new GgufWriter()
    .string("general.architecture", arch)
    .string("general.name", options.name ?? `tiny-${arch}`)
    .uint32("general.file_type", FILE_TYPE[weightType])
    .uint32(`${arch}.context_length`, options.contextLength ?? 512)
    .uint32(`${arch}.embedding_length`, nEmbd)
    .uint32(`${arch}.block_count`, nLayer)
    .uint32(`${arch}.feed_forward_length`, nFf)
    .uint32(`${arch}.attention.head_count`, nHead)
    .uint32(`${arch}.attention.head_count_kv`, nKvHead)
    .float32(`${arch}.rope.freq_base`, arch === "qwen3" ? 1_000_000 : 10000)
    .float32(`${arch}.attention.layer_norm_rms_epsilon`, arch === "qwen3" ? 1e-6 : 1e-5);
  w.uint32(`${arch}.rope.dimension_count`, headDim);
  if (arch === "qwen3") w.uint32("qwen3.attention.key_length", headDim).uint32("qwen3.attention.value_length", headDim);
  else w.uint32("llama.vocab_size", nVocab);
  writeTinyTokenizer(w, { tokens, scores, types }, options.chatTemplate ?? CHATML_TEMPLATE);

  const normal = normalSampler(options.seed ?? 1);
  const scale = options.initScale ?? 0.02;
  const pool = options.randomPool ? Float32Array.from({ length: options.randomPool }, () => normal() * scale) : undefined;
  const pick = mulberry32((options.seed ?? 1) + 1);
  let parameters = 0;
  const random = (name: string, shape: number[]) => {
    const n = shape.reduce((a, b) => a * b, 1);
    const values = new Float32Array(n);
    if (pool) {
      // runs of the pool from random offsets: no two rows alike, at the cost of a copy
      for (let i = 0; i < n; i += pool.length >> 1) {
        const start = Math.floor(pick() * (pool.length >> 1));
        values.set(pool.subarray(start, start + Math.min(pool.length >> 1, n - i)), i);
      }
    } else for (let i = 0; i < n; i++) values[i] = normal() * scale;
    parameters += n;
    w.tensor(name, shape, values, weightType);
  };
  const ones = (name: string, n: number) => {
    parameters += n;
    w.tensor(name, [n], new Float32Array(n).fill(1));
  };

  random("token_embd.weight", [nEmbd, nVocab]);
  for (let i = 0; i < nLayer; i++) {
    ones(`blk.${i}.attn_norm.weight`, nEmbd);
    random(`blk.${i}.attn_q.weight`, [nEmbd, nQ]);
    random(`blk.${i}.attn_k.weight`, [nEmbd, nEmbdKv]);
    random(`blk.${i}.attn_v.weight`, [nEmbd, nEmbdKv]);
    random(`blk.${i}.attn_output.weight`, [nQ, nEmbd]);
    if (arch === "qwen3") {
      ones(`blk.${i}.attn_q_norm.weight`, headDim);
      ones(`blk.${i}.attn_k_norm.weight`, headDim);
    }
    ones(`blk.${i}.ffn_norm.weight`, nEmbd);
    random(`blk.${i}.ffn_gate.weight`, [nEmbd, nFf]);
    random(`blk.${i}.ffn_up.weight`, [nEmbd, nFf]);
    random(`blk.${i}.ffn_down.weight`, [nFf, nEmbd]);
  }
  ones("output_norm.weight", nEmbd);
  if (!options.tiedEmbeddings) random("output.weight", [nEmbd, nVocab]);
  return { bytes: w.toBytes(), vocabSize: nVocab, parameters, tokens };
}

/** The tokenizer metadata of `tinyVocab`, the same for every architecture. */
export function writeTinyTokenizer(w: GgufWriter, vocab: { tokens: string[]; scores: number[]; types: number[] }, chatTemplate: string): void {
  w.string("tokenizer.ggml.model", "llama")
    .stringArray("tokenizer.ggml.tokens", vocab.tokens)
    .float32Array("tokenizer.ggml.scores", vocab.scores)
    .int32Array("tokenizer.ggml.token_type", vocab.types)
    .uint32("tokenizer.ggml.unknown_token_id", 0)
    .uint32("tokenizer.ggml.bos_token_id", 1)
    .uint32("tokenizer.ggml.eos_token_id", 2)
    .bool("tokenizer.ggml.add_bos_token", true)
    .bool("tokenizer.ggml.add_eos_token", false)
    .bool("tokenizer.ggml.add_space_prefix", false)
    .string("tokenizer.chat_template", chatTemplate);
}

/** Writers of seeded random (`random`), constant (`ones`, `fill`) tensors into `w`, counting the parameters. */
export function tinyWeights(w: GgufWriter, options: { seed?: number; initScale?: number }, weightType: TensorType) {
  const normal = normalSampler(options.seed ?? 1);
  const scale = options.initScale ?? 0.02;
  let count = 0;
  const fill = (name: string, shape: number[], value: (i: number) => number) => {
    const n = shape.reduce((a, b) => a * b, 1);
    count += n;
    w.tensor(name, shape, Float32Array.from({ length: n }, (_, i) => value(i)));
  };
  return {
    random(name: string, shape: number[], type: TensorType = weightType) {
      const n = shape.reduce((a, b) => a * b, 1);
      const values = new Float32Array(n);
      for (let i = 0; i < n; i++) values[i] = normal() * scale;
      count += n;
      w.tensor(name, shape, values, type);
    },
    ones: (name: string, n: number) => fill(name, [n], () => 1),
    fill,
    parameters: () => count,
  };
}

export async function writeTinyLlamaGguf(path: string, options: TinyLlamaOptions = {}): Promise<TinyLlamaModel> {
  const model = tinyLlamaGguf(options);
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, model.bytes);
  return model;
}
