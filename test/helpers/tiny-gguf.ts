/**
 * Tiny llama-architecture models written as GGUF, for tests that need a real model without downloading one:
 * random weights, a small SentencePiece-style vocabulary (ASCII characters, byte fallback, ChatML specials)
 * and a ChatML chat template. llama.cpp, node-llama-cpp and the training backend load them as they would
 * any llama model.
 */
import { mkdir, writeFile } from "node:fs/promises";
import { dirname } from "node:path";
import { mulberry32 } from "../../src/util/random.js";

export const CHATML_TEMPLATE =
  "{% for message in messages %}{{'<|im_start|>' + message['role'] + '\\n' + message['content'] + '<|im_end|>' + '\\n'}}{% endfor %}" +
  "{% if add_generation_prompt %}{{ '<|im_start|>assistant\\n' }}{% endif %}";

export interface TinyLlamaOptions {
  /** Width of the residual stream; a multiple of `heads`. */
  embeddingLength?: number;
  layers?: number;
  heads?: number;
  /** Key/value heads (grouped-query attention when fewer than `heads`). */
  kvHeads?: number;
  feedForwardLength?: number;
  contextLength?: number;
  /** Extra vocabulary pieces beyond single characters, e.g. "▁hello" (U+2581 marks a leading space). */
  extraPieces?: string[];
  weightType?: "f32" | "f16";
  /** Standard deviation of the random weights. */
  initScale?: number;
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

const enum ValueType {
  UINT32 = 4,
  INT32 = 5,
  FLOAT32 = 6,
  BOOL = 7,
  STRING = 8,
  ARRAY = 9,
  UINT64 = 10,
}

export type TensorType = "f32" | "f16";
const TENSOR_TYPE_ID: Record<TensorType, number> = { f32: 0, f16: 1 };
const ALIGNMENT = 32;

/** A GGUF v3 file built in memory: metadata first, then tensors; `toBytes` lays them out with alignment. */
export class GgufWriter {
  private readonly kv: Uint8Array[] = [];
  private readonly tensors: { name: string; shape: number[]; type: TensorType; data: Uint8Array }[] = [];

  string(key: string, value: string): this {
    return this.entry(key, ValueType.STRING, encodeString(value));
  }
  uint32(key: string, value: number): this {
    return this.entry(key, ValueType.UINT32, scalar(4, (v) => v.setUint32(0, value, true)));
  }
  float32(key: string, value: number): this {
    return this.entry(key, ValueType.FLOAT32, scalar(4, (v) => v.setFloat32(0, value, true)));
  }
  bool(key: string, value: boolean): this {
    return this.entry(key, ValueType.BOOL, Uint8Array.of(value ? 1 : 0));
  }
  stringArray(key: string, values: readonly string[]): this {
    return this.array(key, ValueType.STRING, values.map(encodeString));
  }
  float32Array(key: string, values: readonly number[]): this {
    return this.array(key, ValueType.FLOAT32, values.map((x) => scalar(4, (v) => v.setFloat32(0, x, true))));
  }
  int32Array(key: string, values: readonly number[]): this {
    return this.array(key, ValueType.INT32, values.map((x) => scalar(4, (v) => v.setInt32(0, x, true))));
  }

  /** `shape` in GGUF order: the first dimension is the contiguous one. */
  tensor(name: string, shape: number[], values: Float32Array, type: TensorType = "f32"): this {
    if (values.length !== shape.reduce((a, b) => a * b, 1)) throw new Error(`tensor ${name}: ${values.length} values for shape ${shape.join("x")}`);
    const data = type === "f32" ? new Uint8Array(values.buffer.slice(values.byteOffset, values.byteOffset + values.byteLength)) : toF16(values);
    this.tensors.push({ name, shape, type, data });
    return this;
  }

  toBytes(): Uint8Array {
    const infos: Uint8Array[] = [];
    let offset = 0;
    const offsets: number[] = [];
    for (const t of this.tensors) {
      offsets.push(offset);
      offset = align(offset + t.data.length);
      const dims = t.shape.map((d) => scalar(8, (v) => v.setBigUint64(0, BigInt(d), true)));
      infos.push(
        concat([
          encodeString(t.name),
          scalar(4, (v) => v.setUint32(0, t.shape.length, true)),
          ...dims,
          scalar(4, (v) => v.setUint32(0, TENSOR_TYPE_ID[t.type], true)),
          scalar(8, (v) => v.setBigUint64(0, BigInt(offsets.at(-1)!), true)),
        ]),
      );
    }
    const header = concat([
      new TextEncoder().encode("GGUF"),
      scalar(4, (v) => v.setUint32(0, 3, true)),
      scalar(8, (v) => v.setBigUint64(0, BigInt(this.tensors.length), true)),
      scalar(8, (v) => v.setBigUint64(0, BigInt(this.kv.length), true)),
      ...this.kv,
      ...infos,
    ]);
    const dataStart = align(header.length);
    const out = new Uint8Array(dataStart + offset);
    out.set(header, 0);
    this.tensors.forEach((t, i) => out.set(t.data, dataStart + offsets[i]!));
    return out;
  }

  private entry(key: string, type: ValueType, value: Uint8Array): this {
    this.kv.push(concat([encodeString(key), scalar(4, (v) => v.setUint32(0, type, true)), value]));
    return this;
  }

  private array(key: string, itemType: ValueType, items: Uint8Array[]): this {
    const head = concat([scalar(4, (v) => v.setUint32(0, itemType, true)), scalar(8, (v) => v.setBigUint64(0, BigInt(items.length), true))]);
    return this.entry(key, ValueType.ARRAY, concat([head, ...items]));
  }
}

/** The vocabulary: SentencePiece specials, 256 byte-fallback tokens, printable ASCII (with ▁ for space), extras. */
export function tinyVocab(extraPieces: readonly string[]): { tokens: string[]; scores: number[]; types: number[] } {
  const NORMAL = 1, UNKNOWN = 2, CONTROL = 3, BYTE = 6;
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
  return { tokens, scores, types };
}

/** Box-Muller normals from a seeded uniform source. */
export function normalSampler(seed: number): () => number {
  const uniform = mulberry32(seed);
  return () => Math.sqrt(-2 * Math.log(1 - uniform())) * Math.cos(2 * Math.PI * uniform());
}

export function tinyLlamaGguf(options: TinyLlamaOptions = {}): TinyLlamaModel {
  const nEmbd = options.embeddingLength ?? 64;
  const nLayer = options.layers ?? 2;
  const nHead = options.heads ?? 4;
  const nKvHead = options.kvHeads ?? nHead;
  const nFf = options.feedForwardLength ?? 4 * nEmbd;
  const weightType = options.weightType ?? "f32";
  if (nEmbd % nHead !== 0 || nHead % nKvHead !== 0) throw new Error("embeddingLength must divide by heads, and heads by kvHeads");
  const headDim = nEmbd / nHead;
  const nEmbdKv = headDim * nKvHead;
  const { tokens, scores, types } = tinyVocab(options.extraPieces ?? []);
  const nVocab = tokens.length;

  const w = new GgufWriter()
    .string("general.architecture", "llama")
    .string("general.name", options.name ?? "tiny-llama")
    .uint32("general.file_type", weightType === "f32" ? 0 : 1)
    .uint32("llama.context_length", options.contextLength ?? 512)
    .uint32("llama.embedding_length", nEmbd)
    .uint32("llama.block_count", nLayer)
    .uint32("llama.feed_forward_length", nFf)
    .uint32("llama.attention.head_count", nHead)
    .uint32("llama.attention.head_count_kv", nKvHead)
    .uint32("llama.rope.dimension_count", headDim)
    .float32("llama.rope.freq_base", 10000)
    .float32("llama.attention.layer_norm_rms_epsilon", 1e-5)
    .uint32("llama.vocab_size", nVocab);
  writeTinyTokenizer(w, { tokens, scores, types }, options.chatTemplate ?? CHATML_TEMPLATE);
  const { random, ones, parameters } = tinyWeights(w, options, weightType);

  random("token_embd.weight", [nEmbd, nVocab]);
  for (let i = 0; i < nLayer; i++) {
    ones(`blk.${i}.attn_norm.weight`, nEmbd);
    random(`blk.${i}.attn_q.weight`, [nEmbd, nEmbd]);
    random(`blk.${i}.attn_k.weight`, [nEmbd, nEmbdKv]);
    random(`blk.${i}.attn_v.weight`, [nEmbd, nEmbdKv]);
    random(`blk.${i}.attn_output.weight`, [nEmbd, nEmbd]);
    ones(`blk.${i}.ffn_norm.weight`, nEmbd);
    random(`blk.${i}.ffn_gate.weight`, [nEmbd, nFf]);
    random(`blk.${i}.ffn_up.weight`, [nEmbd, nFf]);
    random(`blk.${i}.ffn_down.weight`, [nFf, nEmbd]);
  }
  ones("output_norm.weight", nEmbd);
  random("output.weight", [nEmbd, nVocab]);
  return { bytes: w.toBytes(), vocabSize: nVocab, parameters: parameters(), tokens };
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

function encodeString(s: string): Uint8Array {
  const bytes = new TextEncoder().encode(s);
  return concat([scalar(8, (v) => v.setBigUint64(0, BigInt(bytes.length), true)), bytes]);
}

function scalar(size: number, write: (view: DataView) => void): Uint8Array {
  const out = new Uint8Array(size);
  write(new DataView(out.buffer));
  return out;
}

function concat(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

function align(n: number): number {
  return Math.ceil(n / ALIGNMENT) * ALIGNMENT;
}

/** IEEE half precision, round-to-nearest-even; the tiny weights never need subnormal precision. */
function toF16(values: Float32Array): Uint8Array {
  const out = new Uint8Array(values.length * 2);
  const view = new DataView(out.buffer);
  const f32 = new Float32Array(1);
  const u32 = new Uint32Array(f32.buffer);
  values.forEach((x, i) => {
    f32[0] = x;
    const bits = u32[0]!;
    const sign = (bits >>> 16) & 0x8000;
    const exp = ((bits >>> 23) & 0xff) - 127 + 15;
    let mant = bits & 0x7fffff;
    let half: number;
    if (exp <= 0) half = sign;
    else if (exp >= 31) half = sign | 0x7c00;
    else {
      half = sign | (exp << 10) | (mant >>> 13);
      mant &= 0x1fff;
      if (mant > 0x1000 || (mant === 0x1000 && (half & 1))) half++;
    }
    view.setUint16(i * 2, half, true);
  });
  return out;
}
