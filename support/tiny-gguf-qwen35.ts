/**
 * Tiny qwen35-architecture models (Qwen3.5's hybrid: gated-delta-net linear attention in three layers of four,
 * gated full attention with interleaved M-RoPE in every fourth) written as GGUF with random weights. The
 * metadata keys, tensor names and shapes are those llama.cpp's qwen35 loader reads (src/models/qwen35.cpp),
 * so llama.cpp, node-llama-cpp and the training backend load them as they would Qwen3.5-4B.
 */
import { mkdir, writeFile } from "node:fs/promises";
import { dirname } from "node:path";
import { GgufWriter } from "./gguf-writer.js";
import { CHATML_TEMPLATE, tinyVocab, tinyWeights, writeTinyTokenizer, type TinyLlamaModel } from "./tiny-gguf.js";

export interface TinyQwen35Options {
  embeddingLength?: number;
  /** Layers; every fourth (3, 7, ...) is a full-attention layer, the others linear attention. */
  layers?: number;
  /** Full attention: query heads, key/value heads and the head width. */
  heads?: number;
  kvHeads?: number;
  headDim?: number;
  /** Rotated dimensions per head (Qwen3.5 rotates a quarter of the head). */
  ropeDims?: number;
  /** Linear attention: key heads (ssm.group_count), value heads (ssm.time_step_rank), their width (ssm.state_size). */
  linearKeyHeads?: number;
  linearValueHeads?: number;
  linearHeadDim?: number;
  convKernel?: number;
  feedForwardLength?: number;
  contextLength?: number;
  extraPieces?: string[];
  weightType?: "f32" | "f16";
  initScale?: number;
  seed?: number;
  chatTemplate?: string;
  name?: string;
}

const FULL_ATTENTION_INTERVAL = 4;

export function tinyQwen35Gguf(options: TinyQwen35Options = {}): TinyLlamaModel {
  const nEmbd = options.embeddingLength ?? 64;
  const nLayer = options.layers ?? 4;
  const nHead = options.heads ?? 4;
  const nKvHead = options.kvHeads ?? 2;
  const headDim = options.headDim ?? 16;
  const ropeDims = options.ropeDims ?? headDim / 2;
  const kHeads = options.linearKeyHeads ?? 2;
  const vHeads = options.linearValueHeads ?? 4;
  const linearDim = options.linearHeadDim ?? 16;
  const convKernel = options.convKernel ?? 4;
  const nFf = options.feedForwardLength ?? 2 * nEmbd;
  const weightType = options.weightType ?? "f32";
  if (nHead % nKvHead !== 0 || vHeads % kHeads !== 0) throw new Error("heads must divide by kvHeads, and linearValueHeads by linearKeyHeads");
  if (ropeDims % 2 !== 0 || ropeDims > headDim) throw new Error("ropeDims must be even and at most headDim");
  const { tokens, scores, types } = tinyVocab(options.extraPieces ?? []);
  const nVocab = tokens.length;
  const keyDim = kHeads * linearDim;
  const valueDim = vHeads * linearDim;
  // M-RoPE sections (temporal, height, width, unused) over the rotated half-dimensions, like [11, 11, 10, 0]
  const half = ropeDims / 2;
  const sections = [Math.ceil(half / 3), Math.ceil(half / 3), half - 2 * Math.ceil(half / 3), 0];

  const arch = "qwen35";
  const w = new GgufWriter()
    .string("general.architecture", arch)
    .string("general.name", options.name ?? "tiny-qwen35")
    .uint32("general.file_type", weightType === "f32" ? 0 : 1)
    .uint32(`${arch}.context_length`, options.contextLength ?? 512)
    .uint32(`${arch}.embedding_length`, nEmbd)
    .uint32(`${arch}.block_count`, nLayer)
    .uint32(`${arch}.feed_forward_length`, nFf)
    .uint32(`${arch}.attention.head_count`, nHead)
    .uint32(`${arch}.attention.head_count_kv`, nKvHead)
    .uint32(`${arch}.attention.key_length`, headDim)
    .uint32(`${arch}.attention.value_length`, headDim)
    .float32(`${arch}.attention.layer_norm_rms_epsilon`, 1e-6)
    .uint32(`${arch}.rope.dimension_count`, ropeDims)
    .int32Array(`${arch}.rope.dimension_sections`, sections)
    .float32(`${arch}.rope.freq_base`, 10_000_000)
    .uint32(`${arch}.ssm.conv_kernel`, convKernel)
    .uint32(`${arch}.ssm.state_size`, linearDim)
    .uint32(`${arch}.ssm.group_count`, kHeads)
    .uint32(`${arch}.ssm.time_step_rank`, vHeads)
    .uint32(`${arch}.ssm.inner_size`, valueDim)
    .uint32(`${arch}.full_attention_interval`, FULL_ATTENTION_INTERVAL)
    .uint32(`${arch}.vocab_size`, nVocab);
  writeTinyTokenizer(w, { tokens, scores, types }, options.chatTemplate ?? CHATML_TEMPLATE);
  const { random, ones, fill, parameters } = tinyWeights(w, options, weightType);

  random("token_embd.weight", [nEmbd, nVocab]);
  for (let i = 0; i < nLayer; i++) {
    const blk = `blk.${i}`;
    ones(`${blk}.attn_norm.weight`, nEmbd);
    ones(`${blk}.post_attention_norm.weight`, nEmbd);
    if ((i + 1) % FULL_ATTENTION_INTERVAL === 0) {
      // the query projection also yields the output gate: two head widths per head
      random(`${blk}.attn_q.weight`, [nEmbd, 2 * headDim * nHead]);
      random(`${blk}.attn_k.weight`, [nEmbd, headDim * nKvHead]);
      random(`${blk}.attn_v.weight`, [nEmbd, headDim * nKvHead]);
      random(`${blk}.attn_output.weight`, [headDim * nHead, nEmbd]);
      ones(`${blk}.attn_q_norm.weight`, headDim);
      ones(`${blk}.attn_k_norm.weight`, headDim);
    } else {
      random(`${blk}.attn_qkv.weight`, [nEmbd, 2 * keyDim + valueDim]);
      random(`${blk}.attn_gate.weight`, [nEmbd, valueDim]);
      random(`${blk}.ssm_conv1d.weight`, [convKernel, 2 * keyDim + valueDim], "f32");
      fill(`${blk}.ssm_dt.bias`, [vHeads], () => 1);
      // -exp(A_log): per-head decay rates, as the converter stores them
      fill(`${blk}.ssm_a`, [vHeads], (h) => -Math.exp(Math.log(1 + h)));
      random(`${blk}.ssm_beta.weight`, [nEmbd, vHeads]);
      random(`${blk}.ssm_alpha.weight`, [nEmbd, vHeads]);
      ones(`${blk}.ssm_norm.weight`, linearDim);
      random(`${blk}.ssm_out.weight`, [valueDim, nEmbd]);
    }
    random(`${blk}.ffn_gate.weight`, [nEmbd, nFf]);
    random(`${blk}.ffn_up.weight`, [nEmbd, nFf]);
    random(`${blk}.ffn_down.weight`, [nFf, nEmbd]);
  }
  ones("output_norm.weight", nEmbd);
  random("output.weight", [nEmbd, nVocab]);
  return { bytes: w.toBytes(), vocabSize: nVocab, parameters: parameters(), tokens };
}

export async function writeTinyQwen35Gguf(path: string, options: TinyQwen35Options = {}): Promise<TinyLlamaModel> {
  const model = tinyQwen35Gguf(options);
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, model.bytes);
  return model;
}
