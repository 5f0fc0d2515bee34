import { z } from "zod";
import { BackendSchema, TrainConfigSchema } from "./train.js";

export const RunIdSchema = z.string().regex(/^v[1-9][0-9]*$/, "a run id like v1, v2, ...");

export const EpochLossSchema = z.strictObject({
  epoch: z.number().int().positive(),
  /** Mean loss per labelled token over the epoch's training steps. */
  train: z.number(),
  /** Mean loss per labelled token on the held-out samples, after the epoch; null without a validation split. */
  validation: z.number().nullable(),
});

export const SkippedSampleSchema = z.strictObject({ line: z.number().int().positive(), tokens: z.number().int().min(0), reason: z.string() });

export const CorpusRefSchema = z.strictObject({
  /** sha256 of the corpus: the export manifest's hash, or of the dataset file's bytes. */
  hash: z.string().min(1),
  /** The dataset file the run read. */
  dataset: z.string().min(1),
  sampleCount: z.number().int().min(0),
  systemPromptVersion: z.string().min(1).optional(),
});

export const BackendDeviceSchema = z.strictObject({
  name: z.string(),
  description: z.string(),
  type: z.enum(["cpu", "gpu", "igpu", "accel", "other"]),
  memoryBytes: z.number().min(0),
});

/** `model`: the GGUF's own tokenizer.chat_template through a Jinja engine; `llama.cpp`: its built-in detection. */
export const ChatTemplateUseSchema = z.strictObject({
  source: z.enum(["model", "llama.cpp"]),
  templateSha256: z.string().regex(/^[0-9a-f]{64}$/).optional(),
  note: z.string().optional(),
});
export type ChatTemplateUse = z.infer<typeof ChatTemplateUseSchema>;

export const TrainingOutcomeSchema = z.strictObject({
  /** The run's config as used: defaults filled in, paths absolute. */
  config: TrainConfigSchema,
  adapter: z.strictObject({ path: z.string().min(1), sha256: z.string().regex(/^[0-9a-f]{64}$/) }),
  losses: z.array(EpochLossSchema),
  /** Validation loss of the untrained adapter (equal to the base model); null without a validation split. */
  initialValidationLoss: z.number().nullable(),
  steps: z.number().int().min(0),
  samples: z.strictObject({
    train: z.number().int().min(0),
    validation: z.number().int().min(0),
    skipped: z.array(SkippedSampleSchema),
  }),
  /** Sample tokens (padding excluded) trained per second. */
  tokensPerSecond: z.number().min(0),
  /** Context positions (padding included) through forward and backward per second. */
  contextTokensPerSecond: z.number().min(0),
  wallTimeMs: z.number().min(0),
  backend: z.strictObject({
    name: BackendSchema,
    flags: z.array(z.string()),
    llamaCommit: z.string(),
    systemInfo: z.string(),
    /** The devices the run had; on a GPU backend at least one GPU among them (records before this have none). */
    devices: z.array(BackendDeviceSchema).optional(),
    /** Layers llama.cpp put on the GPU: min(gpuLayers, layers + 1). */
    offloadedLayers: z.number().int().min(0).optional(),
  }),
  /** The chat template the conversations were rendered with (records before this have none). */
  chatTemplate: ChatTemplateUseSchema.optional(),
  /** Whether the requested LoRA dropout was really applied; `note` says why not. */
  dropout: z.strictObject({ requested: z.number().min(0), applied: z.boolean(), note: z.string().optional() }),
  resumedFrom: z.strictObject({ epoch: z.number().int().min(0), step: z.number().int().min(0) }).optional(),
});
export type TrainingOutcome = z.infer<typeof TrainingOutcomeSchema>;

export const CategoryRateSchema = z.strictObject({
  passed: z.number().int().min(0),
  total: z.number().int().min(0),
  rate: z.number().min(0).max(1),
});

/** Eval results of a run; extra keys written by newer eval code are kept. */
export const EvalResultsSchema = z.looseObject({
  passRate: z.number().min(0).max(1),
  /** Confidence interval of the pass rate. */
  interval: z.strictObject({ low: z.number().min(0).max(1), high: z.number().min(0).max(1), level: z.number().gt(0).lt(1) }).optional(),
  perCategory: z.record(z.string(), CategoryRateSchema).default({}),
  /** How many failures fell in each failure category. */
  failureCategories: z.record(z.string(), z.number().int().min(0)).default({}),
  /** The model or adapter that was evaluated, e.g. base model + adapter path or an API model name. */
  model: z.string().optional(),
  promptSet: z.string().optional(),
  /** The eval run file's id (runs/eval/<id>.jsonl) these results summarise. */
  evalRun: z.string().optional(),
});
export type EvalResults = z.infer<typeof EvalResultsSchema>;

/** One line of the run registry. */
export const RunRecordSchema = z.strictObject({
  id: RunIdSchema,
  kind: z.enum(["train", "eval"]),
  /** For an eval of a trained adapter: the training run's id. */
  parent: RunIdSchema.optional(),
  startedAt: z.iso.datetime(),
  finishedAt: z.iso.datetime(),
  corpus: CorpusRefSchema.optional(),
  training: TrainingOutcomeSchema.optional(),
  eval: EvalResultsSchema.optional(),
});
export type RunRecord = z.infer<typeof RunRecordSchema>;
export type NewRunRecord = Omit<z.input<typeof RunRecordSchema>, "id">;
