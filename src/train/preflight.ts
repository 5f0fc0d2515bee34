/**
 * What can be known about a base model before its weights are loaded: its architecture, whether the training
 * graph of that architecture has a backward pass for every op, the types of its weights, and whether it has
 * the projections the run adapts. A known limit is one clear line here, never an abort in the training process.
 */
import { GgmlType, readGgufFileInfo } from "node-llama-cpp";
import { GGUF_PROJECTIONS, TARGET_MODULES, type TargetModule } from "../schema/train.js";
import { UserError, errorMessage } from "../util/errors.js";

/** Architectures whose training graph is tested end to end (tiny models in test/train/, every projection). */
export const TRAINABLE_ARCHITECTURES = ["llama", "qwen3", "qwen35"] as const;

/** Architectures that load but whose graph uses ops ggml has no backward pass for (the experts' routed product). */
const MISSING_BACKWARD: Record<string, string[]> = {
  qwen35moe: ["MUL_MAT_ID"],
  qwen3next: ["MUL_MAT_ID"],
};

/**
 * Weight types the CPU backward pass reads (OUT_PROD converts them row by row): the float types and the
 * quantizations with a row conversion. F32, F16, BF16, Q8_0 and Q4_K are the tested ones.
 */
const TRAINABLE_TYPES = new Set<GgmlType>([
  GgmlType.F32, GgmlType.F16, GgmlType.BF16,
  GgmlType.Q4_0, GgmlType.Q4_1, GgmlType.Q5_0, GgmlType.Q5_1, GgmlType.Q8_0,
  GgmlType.Q2_K, GgmlType.Q3_K, GgmlType.Q4_K, GgmlType.Q5_K, GgmlType.Q6_K,
  GgmlType.IQ2_XXS, GgmlType.IQ2_XS, GgmlType.IQ3_XXS, GgmlType.IQ1_S, GgmlType.IQ4_NL, GgmlType.IQ3_S, GgmlType.IQ2_S,
  GgmlType.IQ4_XS, GgmlType.IQ1_M, GgmlType.TQ1_0, GgmlType.TQ2_0, GgmlType.MXFP4, GgmlType.NVFP4, GgmlType.Q1_0, GgmlType.Q2_0,
]);

export interface BaseModelSummary {
  architecture: string;
  layers: number;
  /** Weight type names and how many tensors have each, e.g. { BF16: 254, F32: 113 }. */
  weightTypes: Record<string, number>;
}

/** Reads the GGUF header of `baseModel` and throws a UserError naming the first reason it cannot train. */
export async function preflightBaseModel(baseModel: string, targetModules: readonly TargetModule[]): Promise<BaseModelSummary> {
  let info: Awaited<ReturnType<typeof readGgufFileInfo>>;
  try {
    info = await readGgufFileInfo(baseModel, { readTensorInfo: true, logWarnings: false, ignoreKeys: ["tokenizer.ggml.tokens", "tokenizer.ggml.scores", "tokenizer.ggml.token_type", "tokenizer.ggml.merges"] });
  } catch (err) {
    throw new UserError(`${baseModel}: cannot read it as a GGUF model (${errorMessage(err)}); baseModel must be a .gguf file (see docs/training.md for converting a Hugging Face checkpoint)`);
  }
  const architecture = String((info.metadata as { general?: { architecture?: unknown } }).general?.architecture ?? "");
  const tensors = info.fullTensorInfo ?? [];
  const layers = new Set(tensors.map((t) => /^blk\.(\d+)\./.exec(t.name)?.[1]).filter((x) => x !== undefined)).size;

  const missingOps = MISSING_BACKWARD[architecture];
  if (missingOps) {
    throw new UserError(`${baseModel}: architecture ${architecture} cannot train yet: ggml has no backward pass for ${missingOps.join(", ")}, which its graph uses (trainable: ${TRAINABLE_ARCHITECTURES.join(", ")})`);
  }
  if (!(TRAINABLE_ARCHITECTURES as readonly string[]).includes(architecture)) {
    throw new UserError(`${baseModel}: architecture ${architecture || "(none)"} is not one the training backend supports (supported: ${TRAINABLE_ARCHITECTURES.join(", ")})`);
  }

  const weightTypes: Record<string, number> = {};
  for (const t of tensors) {
    const type = GgmlType[t.ggmlType] ?? String(t.ggmlType);
    weightTypes[type] = (weightTypes[type] ?? 0) + 1;
    if (t.dimensions.length >= 2 && !TRAINABLE_TYPES.has(t.ggmlType)) {
      throw new UserError(`${baseModel}: tensor ${t.name} is ${type}, which the training backend cannot differentiate through; convert the model to F16, BF16 or Q8_0 (convert_hf_to_gguf.py --outtype f16)`);
    }
  }

  const present = (module: TargetModule) => tensors.some((t) => t.name.startsWith("blk.") && t.name.endsWith(`.${GGUF_PROJECTIONS[module]}.weight`));
  // The default (every target) adapts the projections this architecture has; a list the user gave must name only those.
  const isDefault = TARGET_MODULES.every((m) => targetModules.includes(m));
  const missing = targetModules.filter((m) => !present(m));
  if (isDefault ? missing.length === targetModules.length : missing.length > 0) {
    const module = missing[0]!;
    throw new UserError(`${baseModel}: lora.targetModules: ${module} (${GGUF_PROJECTIONS[module]}) is in no layer of this ${architecture} model`);
  }
  return { architecture, layers, weightTypes };
}
