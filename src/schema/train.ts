import { z } from "zod";

/**
 * Hugging Face projection names, as PEFT's `target_modules` spells them: attention and MLP, then Qwen3.5's
 * gated-delta-net (linear attention) projections, which exist only in its linear-attention layers (three of
 * every four; the fourth has q/k/v/o). A base model adapts the targets it has.
 */
export const TARGET_MODULES = [
  "q_proj",
  "k_proj",
  "v_proj",
  "o_proj",
  "gate_proj",
  "up_proj",
  "down_proj",
  "in_proj_qkv",
  "in_proj_z",
  "in_proj_a",
  "in_proj_b",
  "out_proj",
] as const;
export const TargetModuleSchema = z.enum(TARGET_MODULES);
export type TargetModule = z.infer<typeof TargetModuleSchema>;

/**
 * The GGUF tensor each projection is stored as (`blk.N.<name>.weight`), as llama.cpp's converters
 * (convert_hf_to_gguf.py, convert_lora_to_gguf.py) name them.
 */
export const GGUF_PROJECTIONS: Record<TargetModule, string> = {
  q_proj: "attn_q",
  k_proj: "attn_k",
  v_proj: "attn_v",
  o_proj: "attn_output",
  gate_proj: "ffn_gate",
  up_proj: "ffn_up",
  down_proj: "ffn_down",
  // linear_attn.*: the fused q/k/v input, the output gate z, the decay (alpha) and the write strength (beta)
  in_proj_qkv: "attn_qkv",
  in_proj_z: "attn_gate",
  in_proj_a: "ssm_alpha",
  in_proj_b: "ssm_beta",
  out_proj: "ssm_out",
};

export const BACKENDS = ["cpu", "cuda", "vulkan", "hip"] as const;
export const BackendSchema = z.enum(BACKENDS);
export type Backend = z.infer<typeof BackendSchema>;

export const LoraSchema = z.strictObject({
  rank: z.number().int().positive().default(16),
  alpha: z.number().positive().default(32),
  dropout: z.number().min(0).lt(1).default(0.05),
  targetModules: z.array(TargetModuleSchema).min(1).default([...TARGET_MODULES]),
});
export type Lora = z.infer<typeof LoraSchema>;

/** `run.yaml`: one LoRA training run. Paths are relative to the file. */
export const TrainConfigSchema = z.strictObject({
  /** The base model, a GGUF file (F32, F16 or Q8_0 weights on CPU). */
  baseModel: z.string().min(1),
  /** The export's messages JSONL: one `{"messages":[{"role","content"},...]}` per line. */
  dataset: z.string().min(1),
  /**
   * Where the adapter, checkpoints and logs of this run go. By default every run gets a new folder,
   * runs/<config name>/<start time> beside the config, so a second run never overwrites the first's adapter.
   */
  outputDir: z.string().min(1).optional(),
  lora: LoraSchema.default(LoraSchema.parse({})),
  epochs: z.number().int().min(1, "expected 1 or 2 epochs").max(2, "expected 1 or 2 epochs").default(2),
  learningRate: z.number().positive().default(2e-4),
  schedule: z.enum(["constant", "linear", "cosine"]).default("cosine"),
  /** Optimizer steps over which the learning rate rises linearly from zero. */
  warmupSteps: z.number().int().min(0).default(0),
  weightDecay: z.number().min(0).max(1).default(0),
  optimizer: z.enum(["adamw", "sgd"]).default("adamw"),
  /**
   * Tokens per training context; a sample longer than this is reported and skipped. The default matches the
   * export's `maxSeqLen`, so every exported sample fits (the rendered system prompt alone is ~2,300 tokens).
   */
  contextLength: z.number().int().min(8).default(4096),
  /** Samples whose gradients are summed per optimizer step. */
  batch: z.number().int().positive().default(1),
  seed: z.number().int().min(0).max(2 ** 32 - 1).default(42),
  /** Share of the samples held out to measure validation loss after each epoch. */
  validationSplit: z.number().min(0).max(0.5).default(0.1),
  /** Loss on assistant tokens only; off trains on every token of the rendered conversation. */
  assistantOnlyLoss: z.boolean().default(true),
  backend: BackendSchema.default("cpu"),
  /** Layers offloaded to the GPU; all of them by default on a GPU backend. */
  gpuLayers: z.number().int().min(0).optional(),
  /**
   * HIP only: the GPU architectures to compile for (CMake's GPU_TARGETS), e.g. "gfx1100". A Radeon 780M is
   * gfx1103, which ROCm supports only through HSA_OVERRIDE_GFX_VERSION=11.0.0, and then it loads gfx1100 kernels.
   */
  amdgpuTargets: z.string().regex(/^gfx[0-9a-f]+(;gfx[0-9a-f]+)*$/, "GPU targets like gfx1100 or gfx1100;gfx1103").optional(),
  /** CUDA only: compute capabilities to compile for (CMake's CUDA_ARCHITECTURES), e.g. "89" or "86;90". */
  cudaArchitectures: z.string().regex(/^\d{2,3}[a-z]?(-real|-virtual)?(;\d{2,3}[a-z]?(-real|-virtual)?)*$/, 'CUDA architectures like "89" or "86;90"').optional(),
  /** CPU threads; the machine's available parallelism by default. */
  threads: z.number().int().positive().optional(),
  /** The run registry; by default runs/registry.jsonl beside the corpus config. */
  registry: z.string().min(1).optional(),
});
export type TrainConfig = z.infer<typeof TrainConfigSchema>;
export type TrainConfigInput = z.input<typeof TrainConfigSchema>;

/** One line of the export's messages JSONL (the format Axolotl and TRL read); other keys are ignored. */
export const TrainingRecordSchema = z
  .looseObject({
    messages: z.array(z.strictObject({ role: z.enum(["system", "user", "assistant"]), content: z.string() })).min(1),
  })
  .refine((r) => r.messages.some((m) => m.role === "assistant"), { message: "expected at least one assistant message", path: ["messages"] });
export type TrainingRecord = z.infer<typeof TrainingRecordSchema>;
