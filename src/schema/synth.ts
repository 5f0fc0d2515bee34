import { z } from "zod";
import { SampleCategorySchema, SampleSchema } from "./sample.js";
import { VerdictSchema } from "./verdict.js";

/** Prices in a currency of the user's choice per million tokens, as providers list them. */
export const TokenPricesSchema = z.strictObject({
  inputPerMillion: z.number().nonnegative(),
  outputPerMillion: z.number().nonnegative(),
});
export type TokenPrices = z.infer<typeof TokenPricesSchema>;

/**
 * The teacher model: an OpenAI-compatible chat-completions server (OpenAI, vLLM, llama-server, Ollama, a
 * gateway) or Anthropic's Messages API. The key is read from the environment variable `apiKeyEnv` names.
 */
export const TeacherSpecSchema = z.strictObject({
  api: z.enum(["openai", "anthropic"]).default("openai"),
  /** Server root or its `/v1`. */
  url: z.url(),
  model: z.string().min(1),
  /** The environment variable holding the key (default: ANTHROPIC_API_KEY or OPENAI_API_KEY by api). */
  apiKeyEnv: z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, "expected an environment variable name").optional(),
  temperature: z.number().min(0).default(0.7),
  maxTokens: z.number().int().positive().default(4096),
  prices: TokenPricesSchema.optional(),
});
export type TeacherSpec = z.infer<typeof TeacherSpecSchema>;
export type TeacherSpecInput = z.input<typeof TeacherSpecSchema>;

export const SynthConfigSchema = z.strictObject({
  teacher: TeacherSpecSchema.optional(),
  /** Teacher requests at once; hew processes are bounded separately by the top-level `concurrency`. */
  concurrency: z.number().int().positive().default(4),
  /** Follow-up turns with the compiler's diagnostics before a task counts as failed. */
  repairRounds: z.number().int().nonnegative().default(2),
  timeoutMs: z.number().int().positive().default(300_000),
  retries: z.number().int().nonnegative().default(4),
  /** Corpus file admitted samples are appended to, relative to the config file. */
  out: z.string().min(1).default("corpus/samples/synthetic.jsonl"),
  /** Where the resumable state of each run is kept. */
  stateDir: z.string().min(1).default(".hew-corpus/synth"),
});
export type SynthConfig = z.infer<typeof SynthConfigSchema>;

export const IngestConfigSchema = z.strictObject({
  out: z.string().min(1).default("corpus/samples/ingested.jsonl"),
});
export type IngestConfig = z.infer<typeof IngestConfigSchema>;

/** One thing to ask the teacher for: a user request in a category. */
export const SynthTaskSchema = z.strictObject({
  /** Default: derived from the category and the request, so the same task keeps its id across runs. */
  id: z
    .string()
    .regex(/^[A-Za-z0-9][A-Za-z0-9._:-]*$/, "expected an id of letters, digits, '.', '_', ':' and '-'")
    .optional(),
  category: SampleCategorySchema,
  request: z.string().regex(/\S/, "expected the user's request"),
  tags: z.array(z.string().min(1)).default([]),
});
export type SynthTaskInput = z.input<typeof SynthTaskSchema>;

/** A task with its id settled, as a run and its state file hold it. */
export const ResolvedSynthTaskSchema = SynthTaskSchema.extend({ id: z.string().min(1) });
export type SynthTask = z.infer<typeof ResolvedSynthTaskSchema>;

export const SynthTaskFileSchema = z.strictObject({ tasks: z.array(SynthTaskSchema).min(1) });

/** One round with the teacher: what it answered, the program cleaned from it and the checker's verdict. */
export const SynthAttemptSchema = z.strictObject({
  code: z.string(),
  verdict: VerdictSchema.optional(),
  /** Why there is no verdict (no compiler here, or the answer held no code). */
  unchecked: z.string().optional(),
});
export type SynthAttempt = z.infer<typeof SynthAttemptSchema>;

export const TokenUsageSchema = z.strictObject({
  requests: z.number().int().nonnegative(),
  promptTokens: z.number().int().nonnegative(),
  completionTokens: z.number().int().nonnegative(),
});
export type TokenUsage = z.infer<typeof TokenUsageSchema>;

/** How a task ended; only `passed` can be admitted. */
export const TaskOutcomeSchema = z.enum(["passed", "failed", "no-code", "unchecked", "checker-error", "teacher-error"]);
export type TaskOutcome = z.infer<typeof TaskOutcomeSchema>;

/** A finished task, as the state file keeps it: a rerun reads it instead of asking the teacher again. */
export const TaskRecordSchema = z.strictObject({
  taskId: z.string().min(1),
  category: SampleCategorySchema,
  outcome: TaskOutcomeSchema,
  /** Every attempt in order; the last one passed when the outcome is `passed`. */
  attempts: z.array(SynthAttemptSchema),
  usage: TokenUsageSchema,
  /** The sample to admit (only for `passed`) and its contrastive correction (only when a repair was needed). */
  sample: SampleSchema.optional(),
  correction: SampleSchema.optional(),
  error: z.string().optional(),
});
export type TaskRecord = z.infer<typeof TaskRecordSchema>;

const count = z.number().int().nonnegative();

/** What became of the tasks: every task that was not admitted is counted under one reason. */
export const SynthFunnelSchema = z.strictObject({
  tasks: count,
  /** The teacher answered (at least its first turn). */
  answered: count,
  passedFirstTry: count,
  /** Passed after this many repair rounds: index 0 is round 1. */
  passedAfterRepair: z.array(count),
  /** Still failing after the last repair round. */
  failed: count,
  noCode: count,
  unchecked: count,
  checkerError: count,
  teacherError: count,
  /** A passing program the corpus (or an earlier task of the run) already holds, exactly or nearly. */
  duplicates: count,
  /** A passing program that copies an eval prompt or reference. */
  leaks: count,
  admitted: count,
});
export type SynthFunnel = z.infer<typeof SynthFunnelSchema>;

/** A line of a synth state file: the run's task list (written once), or one finished task. */
export const SynthStateLineSchema = z.discriminatedUnion("kind", [
  z.strictObject({ kind: z.literal("tasks"), tasks: z.array(ResolvedSynthTaskSchema), usage: TokenUsageSchema }),
  z.strictObject({ kind: z.literal("done"), record: TaskRecordSchema }),
]);
export type SynthStateLine = z.infer<typeof SynthStateLineSchema>;
