import { z } from "zod";

/**
 * The failure categories of the registry, most specific first. System-prompt rules, eval runs and
 * correction samples (`meta.correctsFailure`) name categories by these ids.
 */
export const FAILURE_CATEGORY_IDS = [
  "prose-leak",
  "removed-concurrency",
  "supervisor-syntax",
  "machine-syntax",
  "actor-protocol",
  "yield-outside-gen",
  "unsafe-ffi",
  "use-after-move",
  "rust-enum",
  "invented-api",
  "legacy-path",
  "integer-type",
  "rust-syntax",
  "compiler-limitation",
  "other",
] as const;

export const FailureCategoryIdSchema = z.enum(FAILURE_CATEGORY_IDS);
export type FailureCategoryId = z.infer<typeof FailureCategoryIdSchema>;
