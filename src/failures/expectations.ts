import { FailureCategoryIdSchema } from "../schema/corrections.js";
import type { Verdict } from "../schema/verdict.js";
import type { Checker } from "../validate/checker.js";
import { errorCodes, type DriftKind } from "../validate/drift.js";
import { createJudge } from "../validate/judge.js";
import { classifyFailure } from "./classify.js";

/**
 * Hew the project ships with a stated outcome: a rule's good and bad examples, a correction template's
 * right and wrong forms, an eval prompt's reference solution. One checker run tells which still hold.
 */
export interface HewExpectation {
  /** Where it comes from, e.g. `v2 int-types bad 1` or `corpus/eval/prompts.yaml [actors-01]`. */
  label: string;
  program: string;
  /** `pass`, or how it must fail: a diagnostic code or a failure category id. */
  expect: "pass" | { fails: string };
}

export interface ExpectationOutcome {
  expectation: HewExpectation;
  verdict?: Verdict;
  /** No compiler answered (no hew here, or a checker-error): neither confirmed nor stale. */
  unchecked?: string;
  /** How the compiler disagrees today; absent when the expectation holds. */
  broken?: { kind: DriftKind; codes: string[]; detail: string };
}

/** The failure category (when `fails` names one) or the error codes a failing verdict shows. */
function failsAs(program: string, verdict: Verdict, fails: string): { holds: boolean; got: string } {
  const category = FailureCategoryIdSchema.safeParse(fails);
  if (category.success) {
    const got = classifyFailure(program, verdict).category;
    return { holds: got === category.data, got: `category ${got}` };
  }
  const codes = errorCodes(verdict);
  return { holds: codes.includes(fails), got: codes.join(", ") || "no error code" };
}

/** Whether a verdict keeps the expectation; a pass with warnings is a pass. */
export function judgeExpectation(expectation: HewExpectation, verdict: Verdict): ExpectationOutcome {
  if (verdict.status === "checker-error") return { expectation, verdict, unchecked: `checker-error: ${verdict.reason ?? "unknown"}` };
  if (expectation.expect === "pass") {
    if (verdict.status === "pass") return { expectation, verdict };
    const codes = errorCodes(verdict);
    return { expectation, verdict, broken: { kind: "pass-to-fail", codes, detail: `must pass, now fails with ${codes.join(", ") || "no error code"}` } };
  }
  const { fails } = expectation.expect;
  if (verdict.status === "pass") return { expectation, verdict, broken: { kind: "fail-to-pass", codes: [fails], detail: `must fail with ${fails}, now passes` } };
  const { holds, got } = failsAs(expectation.program, verdict, fails);
  if (holds) return { expectation, verdict };
  return { expectation, verdict, broken: { kind: "diagnostics-changed", codes: errorCodes(verdict), detail: `must fail with ${fails}, now fails with ${got}` } };
}

/** Check every expectation through the checker (identical programs once). */
export async function checkExpectations(expectations: readonly HewExpectation[], checker: Checker, options: { signal?: AbortSignal } = {}): Promise<ExpectationOutcome[]> {
  const judge = createJudge(checker, options);
  return Promise.all(
    expectations.map(async (expectation): Promise<ExpectationOutcome> => {
      const judgement = await judge(expectation.program);
      if (!judgement.verdict) return { expectation, unchecked: judgement.unchecked ?? "no verdict" };
      return judgeExpectation(expectation, judgement.verdict);
    }),
  );
}
