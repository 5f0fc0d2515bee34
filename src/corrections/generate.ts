import { extractCodeBlocks } from "../chatml/code-blocks.js";
import type { AdmissionGate } from "../dedup/admission.js";
import type { Diagnostic } from "../schema/diagnostic.js";
import type { FailureCategoryId } from "../schema/corrections.js";
import type { Sample } from "../schema/sample.js";
import type { Verdict } from "../schema/verdict.js";
import { UserError, errorMessage } from "../util/errors.js";
import { sha256Hex } from "../util/hash.js";
import type { Checker } from "../validate/checker.js";
import { BLOCK_FILE } from "../validate/hew-checker.js";
import { classifyFailure } from "../failures/classify.js";
import { Picker } from "../failures/picker.js";
import { getFailureCategory } from "../failures/registry.js";
import type { CorrectionTemplate, TemplateInstance } from "../failures/templates/template.js";

/** `direct`: the request answered by the right program. `contrastive`: the wrong program and the compiler's words, answered by the fix. */
export type CorrectionForm = "direct" | "contrastive";
export const CORRECTION_FORMS: readonly CorrectionForm[] = ["direct", "contrastive"];

export type Rejection = "duplicate" | "correct-failed" | "wrong-passed" | "wrong-misclassified" | "unchecked" | "checker-error";

export interface GenerateCorrectionsOptions {
  checker: Checker;
  /** Samples to admit per category. */
  perCategory: number;
  /** Every choice derives from it: the same seed gives the same samples. */
  seed?: string;
  forms?: readonly CorrectionForm[];
  /** Sample ids the corpus already holds; they are not produced again. */
  existingIds?: ReadonlySet<string>;
  /** The corpus by the export's dedup rules: a sample it would drop as a duplicate is not admitted. */
  admission?: AdmissionGate;
  signal?: AbortSignal;
}

export interface CategoryOutcome {
  category: FailureCategoryId;
  admitted: Sample[];
  rendered: number;
  rejected: Partial<Record<Rejection, number>>;
  /** One line per kind of rejection, from its first case, so that a broken template is easy to find. */
  examples: string[];
}

const INTROS = [
  "This Hew program does not compile:",
  "I wrote this Hew code, but `hew check` rejects it:",
  "Can you fix this Hew program?",
  "Why does this fail to compile?",
];
const REPORTS = ["`hew check` reports:", "The compiler says:", "hew check output:"];
const ASKS = ["Fix it so that it compiles.", "Please correct the program.", "What should it look like in Hew?", "Show me the corrected program."];
const SHOWN_ERRORS = 3;

/** A fence that cannot be closed early by the backticks inside the code (a prose-leak answer holds fences). */
export function fenced(code: string, lang = "hew"): string {
  const longest = Math.max(0, ...[...code.matchAll(/`+/g)].map((m) => m[0].length));
  const ticks = "`".repeat(Math.max(3, longest + 1));
  return `${ticks}${longest >= 3 ? "text" : lang}\n${code}${code.endsWith("\n") ? "" : "\n"}${ticks}`;
}

/** Errors as `hew check` prints them in text mode, first ones only. */
export function formatErrors(diagnostics: readonly Diagnostic[]): string {
  const errors = diagnostics.filter((d) => d.severity === "error");
  const lines = errors.slice(0, SHOWN_ERRORS).map((d) => {
    const where = d.span.start_line > 0 ? `${BLOCK_FILE}:${d.span.start_line}:${d.span.start_col}` : BLOCK_FILE;
    return `${where}: error[${d.code}]: ${d.message}`;
  });
  if (errors.length > SHOWN_ERRORS) lines.push(`... and ${errors.length - SHOWN_ERRORS} more errors`);
  return lines.join("\n");
}

interface Candidate {
  template: CorrectionTemplate;
  form: CorrectionForm;
  instance: TemplateInstance;
  wording: Picker;
}

/** The user turn of a contrastive correction sample: the wrong program, what the compiler said, the task. */
export function contrastiveRequest(wrong: string, diagnostics: readonly Diagnostic[], request: string, wording: Picker): string {
  return [wording.one(INTROS), fenced(wrong, "hew"), `${wording.one(REPORTS)}\n${formatErrors(diagnostics)}`, `The task: ${request}`, wording.one(ASKS)].join("\n\n");
}

function buildSample(category: FailureCategoryId, c: Candidate, wrongVerdict?: Verdict): Sample {
  const user = c.form === "direct" ? c.instance.request : contrastiveRequest(c.instance.wrong, wrongVerdict!.diagnostics, c.instance.request, c.wording);
  const messages: Sample["messages"] = [
    { role: "user", content: user },
    { role: "assistant", content: fenced(c.instance.correct, "hew") },
  ];
  return {
    id: `correction-${category}-${c.template.id}-${sha256Hex(JSON.stringify(messages)).slice(0, 10)}`,
    messages,
    meta: { category: c.template.category, source: "correction", correctsFailure: category, tags: [c.template.id, c.form] },
  };
}

type Judged = { sample: Sample } | { rejection: Rejection; detail: string };

async function check(checker: Checker, code: string, signal?: AbortSignal): Promise<Verdict | { unchecked: string }> {
  try {
    return await checker.check(code, { signal });
  } catch (err) {
    // No compiler and no recorded verdict: the sample cannot be admitted, but the run goes on to say so.
    if (err instanceof UserError) return { unchecked: errorMessage(err) };
    throw err;
  }
}

async function judge(category: FailureCategoryId, c: Candidate, options: GenerateCorrectionsOptions): Promise<Judged> {
  const where = `${c.template.id} (${c.form})`;
  let wrongVerdict: Verdict | undefined;
  if (c.form === "contrastive") {
    const v = await check(options.checker, c.instance.wrong, options.signal);
    if ("unchecked" in v) return { rejection: "unchecked", detail: `${where}: ${v.unchecked}` };
    if (v.status === "checker-error") return { rejection: "checker-error", detail: `${where}: wrong program: ${v.reason ?? "checker-error"}` };
    if (v.status === "pass") return { rejection: "wrong-passed", detail: `${where}: the wrong program passes the checker` };
    const found = classifyFailure(c.instance.wrong, v).category;
    if (found !== category) return { rejection: "wrong-misclassified", detail: `${where}: the wrong program fails as ${found}: ${formatErrors(v.diagnostics).split("\n")[0]}` };
    wrongVerdict = v;
  }
  const sample = buildSample(category, c, wrongVerdict);
  // What is checked is exactly what ships: the assistant's code blocks as the corpus reads them.
  for (const block of extractCodeBlocks(sample.messages)) {
    const v = await check(options.checker, block.code, options.signal);
    if ("unchecked" in v) return { rejection: "unchecked", detail: `${where}: ${v.unchecked}` };
    if (v.status === "checker-error") return { rejection: "checker-error", detail: `${where}: ${v.reason ?? "checker-error"}` };
    if (v.status !== "pass") return { rejection: "correct-failed", detail: `${where}: the answer fails: ${formatErrors(v.diagnostics).split("\n")[0]}` };
  }
  return { sample };
}

async function generateForCategory(id: FailureCategoryId, options: GenerateCorrectionsOptions): Promise<CategoryOutcome> {
  const { templates } = getFailureCategory(id);
  const forms = options.forms ?? CORRECTION_FORMS;
  const seed = options.seed ?? "hew-corpus";
  const outcome: CategoryOutcome = { category: id, admitted: [], rendered: 0, rejected: {}, examples: [] };
  if (templates.length === 0 || options.perCategory < 1) return outcome;
  const reject = (rejection: Rejection, detail: string) => {
    if (outcome.rejected[rejection] === undefined) outcome.examples.push(`${rejection}: ${detail}`);
    outcome.rejected[rejection] = (outcome.rejected[rejection] ?? 0) + 1;
  };
  const seen = new Set<string>();
  const ids = new Set(options.existingIds);
  // Enough attempts to get past duplicates and a few bad renderings, never an endless loop.
  const maxAttempts = options.perCategory * 4 + 20;
  let attempt = 0;
  while (outcome.admitted.length < options.perCategory && attempt < maxAttempts) {
    const batch: Candidate[] = [];
    const wanted = options.perCategory - outcome.admitted.length;
    while (batch.length < wanted && attempt < maxAttempts) {
      const i = attempt++;
      const template = templates[i % templates.length]!;
      const form = forms[Math.floor(i / templates.length) % forms.length]!;
      const instance = template.render(new Picker(`${seed}:${template.id}:${i}`));
      outcome.rendered++;
      const key = JSON.stringify([form, instance]);
      if (seen.has(key)) {
        reject("duplicate", `${template.id} (${form}): rendering ${i} repeats an earlier one`);
        continue;
      }
      seen.add(key);
      batch.push({ template, form, instance, wording: new Picker(`${seed}:${template.id}:${i}:wording`) });
    }
    const judged = await Promise.all(batch.map((c) => judge(id, c, options)));
    for (const j of judged) {
      if ("rejection" in j) {
        reject(j.rejection, j.detail);
        continue;
      }
      if (ids.has(j.sample.id)) {
        reject("duplicate", `${j.sample.id} is already in the corpus`);
        continue;
      }
      if (outcome.admitted.length >= options.perCategory) continue;
      const verdict = options.admission?.consider(j.sample);
      if (verdict?.admit === false) {
        const why = verdict.reason === "leak" ? `leaks eval prompt ${verdict.evalIds.join(", ")}` : `repeats ${verdict.of} (${verdict.match === "near" ? `near, code ${Math.round(verdict.similarity * 100)}% alike` : verdict.match})`;
        reject("duplicate", `${j.sample.id} ${why}; the export would drop one`);
        continue;
      }
      ids.add(j.sample.id);
      outcome.admitted.push(j.sample);
    }
  }
  return outcome;
}

/**
 * Correction samples for each category from its templates. A sample is admitted only when the checker
 * passed its answer (and, in the contrastive form, failed its wrong program in that very category); with
 * no verdict to be had, nothing is admitted.
 */
export async function generateCorrections(categories: readonly FailureCategoryId[], options: GenerateCorrectionsOptions): Promise<CategoryOutcome[]> {
  if (!Number.isInteger(options.perCategory) || options.perCategory < 0) throw new UserError(`samples per category must be a whole number, got ${options.perCategory}`);
  const outcomes: CategoryOutcome[] = [];
  for (const id of categories) outcomes.push(await generateForCategory(id, options));
  return outcomes;
}
