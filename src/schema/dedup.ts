import { z } from "zod";

/**
 * What decides which sample of a duplicate cluster is kept, strongest first: a sample whose every block
 * passed, a correction sample, the newer system-prompt version, then the shorter sample.
 */
export const KEEP_CRITERIA = ["passing", "correction", "newer-prompt", "shorter"] as const;
export const KeepCriterionSchema = z.enum(KEEP_CRITERIA);
export type KeepCriterion = z.infer<typeof KeepCriterionSchema>;

const fraction = (what: string) => z.number().gt(0, `expected a ${what} above 0`).max(1, `expected a ${what} of at most 1`);

export const ContaminationConfigSchema = z.strictObject({
  /** An exact run of this many tokens shared with an eval prompt or reference is a leak. */
  ngram: z.number().int().min(5).max(64).default(13),
  /** Jaccard similarity (over shingles) from which a sample counts as a near copy of an eval item. */
  threshold: fraction("Jaccard threshold").default(0.5),
});
export type ContaminationConfig = z.infer<typeof ContaminationConfigSchema>;

export const DedupConfigSchema = z.strictObject({
  /** Jaccard similarity (over code shingles) from which two training samples are near-duplicates. */
  threshold: fraction("Jaccard threshold").default(0.7),
  /** Tokens per shingle. */
  shingle: z.number().int().min(1).max(16).default(5),
  /** Replace identifiers and literals by placeholders before shingling, so renamed copies match. */
  abstract: z.boolean().default(true),
  keep: z
    .array(KeepCriterionSchema)
    .default([...KEEP_CRITERIA])
    .refine((list) => new Set(list).size === list.length, "expected each keep criterion at most once"),
  contamination: ContaminationConfigSchema.default(ContaminationConfigSchema.parse({})),
});
export type DedupConfig = z.infer<typeof DedupConfigSchema>;
export type DedupConfigInput = z.input<typeof DedupConfigSchema>;
