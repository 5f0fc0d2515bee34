import { z } from "zod";

/** `messages`: one `{"messages":[...]}` per line (what Axolotl and TRL read); `chatml`: ChatML text. */
export const EXPORT_FORMATS = ["messages", "chatml"] as const;
export const ExportFormatSchema = z.enum(EXPORT_FORMATS);
export type ExportFormat = z.infer<typeof ExportFormatSchema>;

export const ExportConfigSchema = z.strictObject({
  /** Folder the training set and its manifest are written to, relative to the config file. */
  out: z.string().min(1).default("training-set"),
  formats: z
    .array(ExportFormatSchema)
    .min(1)
    .default([...EXPORT_FORMATS])
    .refine((list) => new Set(list).size === list.length, "expected each format at most once"),
  /** The system-prompt version rendered into every sample; the latest when left out. */
  systemPrompt: z.string().min(1).optional(),
  /**
   * Tokens the rendered system prompt must stay under: the version's rules are ranked (the latest eval
   * run's failure categories first, then category weight) and kept while they fit. Unset: every rule.
   */
  systemPromptBudget: z.number().int().positive().optional(),
  /** Most tokens a rendered sample may have; a longer one is reported and left out, never truncated. */
  maxSeqLen: z.number().int().positive().default(4096),
  shuffle: z.boolean().default(true),
  seed: z
    .number()
    .int()
    .min(0)
    .max(2 ** 32 - 1)
    .default(42),
});
export type ExportConfig = z.infer<typeof ExportConfigSchema>;
export type ExportConfigInput = z.input<typeof ExportConfigSchema>;

/** Why a sample was left out of the training set; the first that applies, in funnel order. */
export const DROP_REASONS = ["no-code", "fail", "checker-error", "unchecked", "duplicate", "contaminated", "over-budget"] as const;
export const DropReasonSchema = z.enum(DROP_REASONS);
export type DropReason = z.infer<typeof DropReasonSchema>;

/** Samples left at each stage: loaded, every block passed, not a duplicate, no eval leak, within the token budget, written. */
export const FunnelSchema = z.strictObject({
  loaded: z.number().int().nonnegative(),
  valid: z.number().int().nonnegative(),
  unique: z.number().int().nonnegative(),
  clean: z.number().int().nonnegative(),
  withinBudget: z.number().int().nonnegative(),
  exported: z.number().int().nonnegative(),
});
export type Funnel = z.infer<typeof FunnelSchema>;

const sha256 = z.string().regex(/^[0-9a-f]{64}$/);

/** `manifest.json` beside an exported training set: what went in, what came out, and why the rest did not. */
export const ExportManifestSchema = z.strictObject({
  tool: z.string(),
  /** sha256 of the loaded corpus, as canonical sample JSONL in corpus order. */
  corpusHash: sha256,
  /** The version rendered into every sample, the rules it kept (in rendering order) and the prompt's tokens. */
  systemPrompt: z.strictObject({
    id: z.string(),
    sha256,
    rules: z.array(z.string()),
    tokens: z.number().int().nonnegative(),
    /** With a budget: its size and the version's rules that did not fit. */
    budget: z.strictObject({ tokens: z.number().int().positive(), dropped: z.array(z.string()) }).optional(),
  }),
  tokenizer: z.strictObject({ name: z.string(), chatTemplateSha256: sha256, maxSeqLen: z.number().int().positive() }),
  /** The checkers whose verdicts passed the exported samples' code blocks. */
  compilers: z.array(z.strictObject({ name: z.string(), version: z.string(), blocks: z.number().int().nonnegative() })),
  shuffle: z.boolean(),
  seed: z.number().int().nonnegative(),
  funnel: FunnelSchema,
  tokens: z.strictObject({ total: z.number().int().nonnegative(), max: z.number().int().nonnegative() }),
  dropped: z.record(DropReasonSchema, z.strictObject({ count: z.number().int().nonnegative(), samples: z.array(z.strictObject({ id: z.string(), detail: z.string() })) })),
  files: z.array(z.strictObject({ path: z.string(), format: ExportFormatSchema, samples: z.number().int().nonnegative(), sha256 })),
});
export type ExportManifest = z.infer<typeof ExportManifestSchema>;
