import { z } from "zod";
import { FailureCategoryIdSchema } from "./corrections.js";
import { EvalCategorySchema } from "./sample.js";
import { CheckerIdSchema, VerdictSchema } from "./verdict.js";

const kebabId = z.string().regex(/^[a-z0-9][a-z0-9-]*$/, "expected a kebab-case id such as actors-bank-account");
/** Run ids become file names: letters, digits, '.', '_' and '-' only. */
export const EvalRunIdSchema = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, "expected a run id of letters, digits, '.', '_' and '-'");

// ---- prompt set ------------------------------------------------------------------------------------

export const EvalPromptSchema = z.strictObject({
  id: kebabId,
  category: EvalCategorySchema,
  /** What the model is asked (the user message). */
  prompt: z.string().regex(/\S/, "expected the prompt's text"),
  /** A program that passes `hew check`: proof the prompt can be answered in today's Hew. */
  reference: z.string().regex(/\S/, "expected a reference program"),
});
export type EvalPrompt = z.infer<typeof EvalPromptSchema>;

export const EvalPromptSetSchema = z
  .strictObject({
    version: z.number().int().positive(),
    description: z.string().optional(),
    prompts: z.array(EvalPromptSchema).min(1),
  })
  .superRefine((set, ctx) => {
    const seen = new Set<string>();
    set.prompts.forEach((p, i) => {
      if (seen.has(p.id)) ctx.addIssue({ code: "custom", path: ["prompts", i, "id"], message: `duplicate prompt id "${p.id}"` });
      seen.add(p.id);
    });
  });
export type EvalPromptSet = z.infer<typeof EvalPromptSetSchema>;

// ---- model and sampling ----------------------------------------------------------------------------

export const SamplingSchema = z.strictObject({
  temperature: z.number().min(0).default(0),
  /** Left to the model's default when absent. */
  topP: z.number().gt(0).max(1).optional(),
  maxTokens: z.number().int().positive().default(2048),
  /** Answer i of a prompt is sampled with seed + i, so n answers differ and a rerun repeats them. */
  seed: z.number().int().nonnegative().default(0),
  /** Answers per prompt. */
  n: z.number().int().positive().default(1),
});
export type Sampling = z.infer<typeof SamplingSchema>;
export type SamplingInput = z.input<typeof SamplingSchema>;

/** A LoRA adapter the server already holds, chosen per request by its index in the server's list. */
export const ServerLoraSchema = z.strictObject({ id: z.number().int().nonnegative(), scale: z.number() });
export type ServerLora = z.infer<typeof ServerLoraSchema>;

/** What an HTTP server said about itself; null where it has no such route (only llama-server has them all). */
export const ServerInfoSchema = z.strictObject({
  /** The model it serves (`/v1/models`, else `/props` model_path). */
  model: z.string().nullable(),
  /** Requests it answers at once (`/props` total_slots). */
  slots: z.number().int().positive().nullable(),
  /** Its LoRA adapters (`/lora-adapters`), each with the scale this run sent (0: not applied). */
  adapters: z.array(z.strictObject({ id: z.number().int().nonnegative(), path: z.string(), scale: z.number() })).nullable(),
});
export type ServerInfo = z.infer<typeof ServerInfoSchema>;

/** A LoRA adapter file (GGUF) loaded next to a local model. */
export const LoraFileSchema = z.strictObject({
  path: z.string().min(1),
  scale: z.number().default(1),
  /** sha256 of the adapter file, recorded in run files so a result names the exact weights. */
  sha256: z.string().optional(),
});
export type LoraFile = z.infer<typeof LoraFileSchema>;

export const HttpModelSchema = z.strictObject({
  kind: z.literal("http"),
  /** Server root or its `/v1` (llama-server, vLLM, Ollama). */
  url: z.url(),
  model: z.string().min(1),
  lora: z.array(ServerLoraSchema).default([]),
});

export const GgufModelSchema = z.strictObject({
  kind: z.literal("gguf"),
  path: z.string().min(1),
  lora: z.array(LoraFileSchema).default([]),
  /** Tokens of context per parallel answer. */
  contextSize: z.number().int().positive().default(8192),
  /** CPU threads for generation (default: the cores the load average leaves free, at least 1). */
  threads: z.number().int().positive().optional(),
});

export const ModelSpecSchema = z.discriminatedUnion("kind", [HttpModelSchema, GgufModelSchema]);
export type ModelSpec = z.infer<typeof ModelSpecSchema>;
export type ModelSpecInput = z.input<typeof ModelSpecSchema>;

// ---- config section --------------------------------------------------------------------------------

export const EvalConfigSchema = z.strictObject({
  /** Where run files go, relative to the config file. */
  runsDir: z.string().default("runs/eval"),
  /** The model to ask when the command line names none. */
  model: ModelSpecSchema.optional(),
  sampling: SamplingSchema.prefault({}),
  /** Model requests at once (parallel sequences for a local model); default: a server's slot count, else 4. */
  concurrency: z.number().int().positive().optional(),
  /** Per request, from when it is sent, covering the whole answer. */
  timeoutMs: z.number().int().positive().default(300_000),
  /** Further tries after a 429, 502, 503, 504, a timeout or a failed connection. */
  retries: z.number().int().nonnegative().default(3),
  /** Largest response body read from a server, decompressed; a larger one is that answer's model error. */
  maxResponseBytes: z.number().int().positive().default(4 * 1024 * 1024),
  /** Longest answer stored; a longer one is cut here, flagged `rawTruncated` and counted a model error. */
  maxAnswerChars: z.number().int().positive().default(256 * 1024),
  /** System-prompt version sent with every prompt (default: the latest). */
  systemPrompt: z.string().optional(),
});
export type EvalConfig = z.infer<typeof EvalConfigSchema>;

// ---- run file --------------------------------------------------------------------------------------

/** How one answer ended. Only `pass` counts as passing; every other outcome is a miss. */
export const AnswerOutcomeSchema = z.enum([
  "pass",
  "fail",
  /** The checker crashed, timed out or broke its output contract. */
  "checker-error",
  /** No compiler was available and no recorded verdict matched. */
  "unchecked",
  /** The answer held no code at all (empty, or thinking only). */
  "no-code",
  /** The model gave no answer, even after the retries. */
  "model-error",
]);
export type AnswerOutcome = z.infer<typeof AnswerOutcomeSchema>;

export const StrippedSchema = z.strictObject({
  /** Characters of `<think>` text removed. */
  thinkChars: z.number().int().nonnegative(),
  /** A `<think>` that never closed (the answer was cut off while thinking). */
  thinkUnterminated: z.boolean(),
  proseBefore: z.string(),
  proseAfter: z.string(),
  /** The fence the code came from, if any. */
  fence: z.strictObject({ lang: z.string(), unterminated: z.boolean() }).nullable(),
  /** Fenced blocks in the answer; the others than the chosen one were dropped. */
  blocks: z.number().int().nonnegative(),
});
export type Stripped = z.infer<typeof StrippedSchema>;

/** Which prompts a run asked: the file, its version and hash, and how many of its prompts were selected. */
export const PromptSetRefSchema = z.strictObject({ file: z.string(), version: z.number().int(), sha256: z.string(), prompts: z.number().int() });

export const EvalRunHeaderSchema = z.strictObject({
  type: z.literal("header"),
  format: z.literal(1),
  runId: EvalRunIdSchema,
  startedAt: z.string(),
  /** Absent in a run file still being written, or one whose run was killed (then its end record is missing too). */
  finishedAt: z.string().optional(),
  wallMs: z.number().nonnegative().optional(),
  model: ModelSpecSchema,
  /** What the HTTP server reported about itself at the start. */
  server: ServerInfoSchema.optional(),
  sampling: SamplingSchema,
  systemPrompt: z.strictObject({ version: z.string(), sha256: z.string(), text: z.string() }).nullable(),
  promptSet: PromptSetRefSchema,
  checker: CheckerIdSchema,
  concurrency: z.number().int().positive(),
});
export type EvalRunHeader = z.infer<typeof EvalRunHeaderSchema>;

export const EvalAnswerSchema = z.strictObject({
  type: z.literal("answer"),
  promptId: z.string(),
  category: EvalCategorySchema,
  /** Index of this answer among the prompt's n. */
  sample: z.number().int().nonnegative(),
  /** Position in the run (prompts in order, n answers each): the file holds answers as they finished, readers put them back in order. */
  index: z.number().int().nonnegative().optional(),
  prompt: z.string(),
  raw: z.string(),
  /** Reasoning the server returned apart from the answer. */
  reasoning: z.string().optional(),
  finishReason: z.string().nullable(),
  code: z.string(),
  codeHash: z.string().optional(),
  stripped: StrippedSchema,
  outcome: AnswerOutcomeSchema,
  verdict: VerdictSchema.optional(),
  /** Failure-registry category of a `fail`. */
  failureCategory: FailureCategoryIdSchema.optional(),
  /** For failures no registered category explains: first error code and message shape. */
  failureGroup: z.string().optional(),
  error: z.string().optional(),
  attempts: z.number().int().nonnegative(),
  generateMs: z.number().nonnegative(),
  completionTokens: z.number().int().nonnegative().optional(),
  promptTokens: z.number().int().nonnegative().optional(),
  /** What the server said it spent (llama-server's `timings`). */
  timings: z
    .strictObject({
      promptMs: z.number().nonnegative(),
      predictedMs: z.number().nonnegative(),
      promptTokens: z.number().int().nonnegative().optional(),
      predictedTokens: z.number().int().nonnegative().optional(),
    })
    .optional(),
  /** `raw` was cut at the run's maxAnswerChars. */
  rawTruncated: z.literal(true).optional(),
});
export type EvalAnswer = z.infer<typeof EvalAnswerSchema>;

/** The last line of a finished run: answers are written as they come, so the end is only known at the end. */
export const EvalRunEndSchema = z.strictObject({ type: z.literal("end"), finishedAt: z.string(), wallMs: z.number().nonnegative(), answers: z.number().int().nonnegative() });
export type EvalRunEnd = z.infer<typeof EvalRunEndSchema>;

export const EvalRunRecordSchema = z.discriminatedUnion("type", [EvalRunHeaderSchema, EvalAnswerSchema, EvalRunEndSchema]);

export interface EvalRun {
  header: EvalRunHeader;
  answers: EvalAnswer[];
}

// ---- summary ---------------------------------------------------------------------------------------

export const IntervalSchema = z.strictObject({ low: z.number(), high: z.number() });
export type Interval = z.infer<typeof IntervalSchema>;

export const PassAtKSchema = z.strictObject({ k: z.number().int().positive(), rate: z.number() });

export const RateSchema = z.strictObject({
  prompts: z.number().int().nonnegative(),
  answers: z.number().int().nonnegative(),
  passed: z.number().int().nonnegative(),
  /** Mean over prompts of the share of passing answers (pass@1). */
  rate: z.number(),
  /** 95% Wilson interval with the prompts as trials. */
  interval: IntervalSchema,
  passAtK: z.array(PassAtKSchema),
});
export type Rate = z.infer<typeof RateSchema>;

export const EvalSummarySchema = z.strictObject({
  runId: EvalRunIdSchema,
  model: ModelSpecSchema,
  sampling: SamplingSchema,
  systemPromptVersion: z.string().nullable(),
  promptSet: PromptSetRefSchema,
  checker: CheckerIdSchema,
  overall: RateSchema,
  categories: z.array(RateSchema.extend({ category: EvalCategorySchema })),
  outcomes: z.record(AnswerOutcomeSchema, z.number().int().nonnegative()),
  /** Failing answers per failure category, most frequent first. */
  failures: z.array(z.strictObject({ category: FailureCategoryIdSchema, answers: z.number().int().positive() })),
  /** Failures no registered category explains, grouped by first error code and message shape. */
  unknownFailures: z.array(z.strictObject({ group: z.string(), answers: z.number().int().positive(), example: z.string() })),
  /** Answers with prose around the code that cleaning removed, pass or fail. */
  proseLeaks: z.number().int().nonnegative(),
  /** Answers that ran out of tokens. */
  truncated: z.number().int().nonnegative(),
  /** For each outcome without a verdict (model error, checker error, unchecked): the first answer's reason. */
  firstErrors: z.array(z.strictObject({ outcome: AnswerOutcomeSchema, error: z.string(), example: z.string() })).default([]),
  wallMs: z.number().nonnegative(),
  /** The run file has no end record: the run was killed or is still going; what it holds is counted. */
  unfinished: z.literal(true).optional(),
});
export type EvalSummary = z.infer<typeof EvalSummarySchema>;
