import type { Diagnostic } from "../schema/diagnostic.js";
import type { FailureCategoryId } from "../schema/corrections.js";
import type { SystemPromptRule } from "../schema/system-prompt.js";
import type { SourceView } from "./source-view.js";
import type { CorrectionTemplate } from "./templates/template.js";

/**
 * Recognises one kind of error diagnostic. A diagnostic matches when its code is listed (or no codes are
 * given), its message matches, and `where` (a look at the program around it) agrees.
 */
export interface DiagnosticMatcher {
  /** What it recognises, in words; shown as evidence. */
  description: string;
  codes?: readonly string[];
  message?: RegExp;
  /** The source text that confirms the match, `true` when none is worth quoting, or false/undefined for no match. */
  where?: (diagnostic: Diagnostic, source: SourceView) => string | boolean | undefined;
}

/**
 * A system-prompt rule the category proposes; a version adopts it with its own `addedIn`. `short` says the
 * same in few words, for compact versions (v3): a version holding either text holds the rule.
 */
export type CategoryRule = Required<Pick<SystemPromptRule, "id" | "text" | "reason">> & { short?: string };

/** One failure category, in the manner of an ESLint rule: metadata, how to recognise it, how to fight it. */
export interface FailureCategory {
  id: FailureCategoryId;
  title: string;
  description: string;
  matchers: readonly DiagnosticMatcher[];
  /** Wins only when every error is one of its own (a compiler limitation never hides a real mistake). */
  onlyWhenAlone?: boolean;
  rules: readonly CategoryRule[];
  /** Correction templates whose samples teach the right form. */
  templates: readonly CorrectionTemplate[];
}
