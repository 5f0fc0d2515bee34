import { z } from "zod";

/** The twelve eval categories, plus `general` for samples that teach no single area. */
export const EVAL_CATEGORIES = [
  "actors",
  "supervisors",
  "generators",
  "wire-types",
  "state-machines",
  "algorithms",
  "concurrency",
  "data-structures",
  "pattern-matching",
  "extern-ffi",
  "tests",
  "real-world",
] as const;

export const EvalCategorySchema = z.enum(EVAL_CATEGORIES);
export type EvalCategory = z.infer<typeof EvalCategorySchema>;

export const SampleCategorySchema = z.enum([...EVAL_CATEGORIES, "general"]);
export type SampleCategory = z.infer<typeof SampleCategorySchema>;

/** `repository`: a program ingested from a repository's sources that are neither its docs nor its compiler tests. */
export const SampleSourceSchema = z.enum(["docs", "compiler-tests", "repository", "synthetic", "handwritten", "correction"]);
export type SampleSource = z.infer<typeof SampleSourceSchema>;

export const RoleSchema = z.enum(["system", "user", "assistant"]);
export type Role = z.infer<typeof RoleSchema>;

export const MessageSchema = z.strictObject({
  role: RoleSchema,
  content: z.string(),
});
export type Message = z.infer<typeof MessageSchema>;

/** How a request was found for an ingested program. */
export const RequestOriginSchema = z.enum(["doc-comment", "markdown", "teacher", "template"]);
export type RequestOrigin = z.infer<typeof RequestOriginSchema>;

/** Where a grown sample came from: the teacher that wrote it (synth) or the program it was taken from (ingest). */
export const SampleProvenanceSchema = z.strictObject({
  /** The teacher model that wrote the code (synth) or the request (ingest back-translation). */
  teacher: z.string().min(1).optional(),
  /** Follow-up turns with the compiler's diagnostics the code needed before it passed. */
  repairRounds: z.number().int().nonnegative().optional(),
  /** Diagnostic codes of the failed attempts, in the order they were fixed. */
  fixedCodes: z.array(z.string().min(1)).optional(),
  /** The repository or folder a program was ingested from (a URL, or a path as given). */
  repo: z.string().min(1).optional(),
  /** The file inside it, and the 1-based line of a Markdown block. */
  path: z.string().min(1).optional(),
  line: z.number().int().positive().optional(),
  /** The commit the repository was at. */
  commit: z.string().min(1).optional(),
  /** The licence file found at the repository's root; absent when there is none. */
  licence: z.string().min(1).optional(),
  request: RequestOriginSchema.optional(),
  /** The checker that passed the code when it was admitted. */
  checker: z.string().min(1).optional(),
});
export type SampleProvenance = z.infer<typeof SampleProvenanceSchema>;

export const SampleMetaSchema = z.strictObject({
  category: SampleCategorySchema,
  source: SampleSourceSchema,
  /** The failure category a correction sample fights (an id from the failure registry). */
  correctsFailure: z.string().min(1).optional(),
  tags: z.array(z.string().min(1)).default([]),
  /** The system-prompt version this sample was written against or rendered with. */
  systemPromptVersion: z.string().min(1).optional(),
  provenance: SampleProvenanceSchema.optional(),
});
export type SampleMeta = z.infer<typeof SampleMetaSchema>;

export const SampleSchema = z
  .strictObject({
    id: z.string().min(1).regex(/^[A-Za-z0-9][A-Za-z0-9._:-]*$/, "expected an id of letters, digits, '.', '_', ':' and '-'"),
    messages: z.array(MessageSchema).min(2),
    meta: SampleMetaSchema,
  })
  .superRefine((sample, ctx) => {
    const roles = sample.messages.map((m) => m.role);
    if (!roles.includes("user")) ctx.addIssue({ code: "custom", path: ["messages"], message: "expected at least one user message" });
    if (!roles.includes("assistant")) {
      ctx.addIssue({ code: "custom", path: ["messages"], message: "expected at least one assistant message" });
    }
    roles.forEach((role, i) => {
      if (role === "system" && i !== 0) {
        ctx.addIssue({ code: "custom", path: ["messages", i, "role"], message: "a system message may only come first" });
      }
    });
  });
export type Sample = z.infer<typeof SampleSchema>;
/** What a sample file holds before defaults are applied (e.g. `tags` may be left out). */
export type SampleInput = z.input<typeof SampleSchema>;
