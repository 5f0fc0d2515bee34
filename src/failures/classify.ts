import type { Diagnostic } from "../schema/diagnostic.js";
import type { FailureCategoryId } from "../schema/corrections.js";
import { stderrDiagnostics } from "../validate/classify-run.js";
import { BLOCK_FILE } from "../validate/hew-checker.js";
import type { DiagnosticMatcher, FailureCategory } from "./category.js";
import { failureRegistry } from "./registry.js";
import { SourceView } from "./source-view.js";

/** Why a program was put in its category: one error diagnostic and what recognised it. */
export interface FailureEvidence {
  /** The matcher's description, e.g. "a method the type does not have". */
  matcher: string;
  code: string;
  message: string;
  /** 1-based line of the diagnostic; 0 when it has no location. */
  line: number;
  /** The program text the matcher relied on, when it looked at the program. */
  source?: string;
}

export interface FailureClassification {
  category: FailureCategoryId;
  /** The errors that decided the category; empty for `other`. */
  evidence: FailureEvidence[];
  /** Other categories some error also belongs to, in registry order. */
  alsoMatched: FailureCategoryId[];
  /** Errors no category recognised. */
  unrecognised: Diagnostic[];
}

/** What the classifier reads: a Verdict fits, and so do raw `hew check` diagnostics plus its stderr. */
export interface CheckOutcome {
  diagnostics: readonly Diagnostic[];
  stderr?: string;
}

function match(matcher: DiagnosticMatcher, d: Diagnostic, source: SourceView): FailureEvidence | undefined {
  if (matcher.codes && !matcher.codes.includes(d.code)) return undefined;
  if (matcher.message && !matcher.message.test(d.message)) return undefined;
  const where = matcher.where ? matcher.where(d, source) : true;
  if (!where) return undefined;
  return { matcher: matcher.description, code: d.code, message: d.message, line: d.span.start_line, ...(typeof where === "string" ? { source: where } : {}) };
}

function evidenceFor(category: FailureCategory, d: Diagnostic, source: SourceView): FailureEvidence | undefined {
  for (const matcher of category.matchers) {
    const found = match(matcher, d, source);
    if (found) return found;
  }
  return undefined;
}

// Errors printed on stderr outside the JSON array (codegen-front, package errors) count too; a Verdict
// already holds them among its diagnostics, so the same error is only counted once.
function errorsOf(outcome: CheckOutcome): Diagnostic[] {
  const all = [...outcome.diagnostics, ...stderrDiagnostics(outcome.stderr ?? "", BLOCK_FILE)];
  const seen = new Set<string>();
  return all.filter((d) => {
    const key = `${d.code}\0${d.message}\0${d.span.start_byte}\0${d.span.end_byte}`;
    if (d.severity !== "error" || seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/**
 * The failure category of a program the checker rejected, from its error diagnostics and, where a message
 * alone cannot tell (prose, a state name, an enum name), from the program text they point into. `code` is
 * the exact text that was checked, so spans line up. Warnings never count. A result with no error at all
 * (a pass, or a checker-error without diagnostics) is `other` with no evidence.
 */
export function classifyFailure(code: string, outcome: CheckOutcome): FailureClassification {
  const source = new SourceView(code);
  const errors = errorsOf(outcome);
  const matched = new Map<FailureCategory, FailureEvidence[]>();
  const recognised = new Set<Diagnostic>();
  for (const category of failureRegistry) {
    for (const d of errors) {
      const evidence = evidenceFor(category, d, source);
      if (!evidence) continue;
      matched.set(category, [...(matched.get(category) ?? []), evidence]);
      recognised.add(d);
    }
  }
  const unrecognised = errors.filter((d) => !recognised.has(d));
  const qualifies = (c: FailureCategory) => !c.onlyWhenAlone || matched.get(c)!.length === errors.length;
  const winner = [...matched.keys()].find(qualifies);
  return {
    category: winner?.id ?? "other",
    evidence: winner ? matched.get(winner)! : [],
    alsoMatched: [...matched.keys()].filter((c) => c !== winner).map((c) => c.id),
    unrecognised,
  };
}
