import { cleanAnswer } from "../chatml/clean-answer.js";
import { extractCodeBlocks } from "../chatml/code-blocks.js";
import { classifyFailure } from "../failures/classify.js";
import { contrastiveRequest, fenced } from "../corrections/generate.js";
import { Picker } from "../failures/picker.js";
import { ModelRequestError, type ModelClient } from "../eval/model-client.js";
import type { Diagnostic } from "../schema/diagnostic.js";
import type { Message, Sample } from "../schema/sample.js";
import type { SynthAttempt, SynthTask, TaskRecord } from "../schema/synth.js";
import type { Verdict } from "../schema/verdict.js";
import { sha256Hex } from "../util/hash.js";
import { formatCheckerId } from "../validate/checker.js";
import { BLOCK_FILE } from "../validate/hew-checker.js";
import type { Judgement } from "../validate/judge.js";
import { TeacherConversation } from "./teacher.js";

export interface RunTaskOptions {
  teacher: ModelClient;
  /** Names the teacher in provenance (`openai:gpt-...`). */
  teacherLabel: string;
  judge: (code: string) => Promise<Judgement>;
  /** The rendered system prompt sent first, and the version id recorded in the sample. */
  systemPrompt?: { id: string; text: string };
  repairRounds: number;
  seed: number;
  signal?: AbortSignal;
}

const SHOWN_ERRORS = 5;
const NO_CODE = "Your answer held no Hew program. Answer with the complete program in one ```hew block.";

/** The follow-up turn after a failed check: each error with its code, message, line and the offending line. */
export function repairRequest(code: string, diagnostics: readonly Diagnostic[]): string {
  const lines = code.split("\n");
  const errors = diagnostics.filter((d) => d.severity === "error");
  const shown = errors.slice(0, SHOWN_ERRORS).map((d) => {
    const at = d.span.start_line > 0 ? `${BLOCK_FILE}:${d.span.start_line}:${d.span.start_col}` : BLOCK_FILE;
    const source = d.span.start_line > 0 ? lines[d.span.start_line - 1] : undefined;
    return `${at}: error[${d.code}]: ${d.message}${source?.trim() ? `\n${String(d.span.start_line).padStart(5)} | ${source}` : ""}`;
  });
  if (errors.length > SHOWN_ERRORS) shown.push(`... and ${errors.length - SHOWN_ERRORS} more errors`);
  // A failing verdict without an error object (a codegen-front error on stderr) still needs words.
  if (shown.length === 0) shown.push("(the checker failed the program without a diagnostic)");
  return ["`hew check` rejects this program:", shown.join("\n"), "Fix it and answer with the complete corrected program in one ```hew block."].join("\n\n");
}

function errorCodes(verdict: Verdict | undefined): string[] {
  return (verdict?.diagnostics ?? []).filter((d) => d.severity === "error").map((d) => d.code);
}

function buildSamples(task: SynthTask, attempts: readonly SynthAttempt[], passing: Verdict, options: RunTaskOptions): { sample: Sample; correction?: Sample } {
  const final = attempts[attempts.length - 1]!;
  const failed = attempts.slice(0, -1);
  const fixedCodes = [...new Set(failed.flatMap((a) => errorCodes(a.verdict)))];
  const provenance = { teacher: options.teacherLabel, repairRounds: failed.length, fixedCodes, checker: formatCheckerId(passing.checker) };
  const messages: Message[] = [
    { role: "user", content: task.request.trim() },
    { role: "assistant", content: fenced(final.code) },
  ];
  const sample: Sample = {
    id: `synth-${task.id}`,
    messages,
    meta: { category: task.category, source: "synthetic", tags: task.tags, ...(options.systemPrompt ? { systemPromptVersion: options.systemPrompt.id } : {}), provenance },
  };
  // The attempt just before the fix, with its diagnostics, teaches the fix best.
  const wrong = [...failed].reverse().find((a) => a.verdict?.status === "fail");
  if (!wrong) return { sample };
  const failure = classifyFailure(wrong.code, wrong.verdict!).category;
  const user = contrastiveRequest(wrong.code, wrong.verdict!.diagnostics, task.request.trim(), new Picker(`synth:${task.id}`));
  const correctionMessages: Message[] = [
    { role: "user", content: user },
    { role: "assistant", content: fenced(final.code) },
  ];
  const correction: Sample = {
    id: `correction-${failure}-synth-${sha256Hex(JSON.stringify(correctionMessages)).slice(0, 10)}`,
    messages: correctionMessages,
    meta: { category: task.category, source: "correction", correctsFailure: failure, tags: [...task.tags, "contrastive", "synth"], provenance },
  };
  return { sample, correction };
}

/**
 * One task through the teacher and the compiler: ask, clean the answer, check it; on a failure send the
 * diagnostics back and ask again, up to `repairRounds` times. Only a program the checker passed becomes a
 * sample; without a verdict (no compiler, a crash) the task ends there and nothing is admitted.
 */
export async function runTask(task: SynthTask, options: RunTaskOptions): Promise<TaskRecord> {
  const conversation = new TeacherConversation(options.teacher, { seed: options.seed, signal: options.signal });
  const messages: Message[] = [...(options.systemPrompt ? [{ role: "system" as const, content: options.systemPrompt.text }] : []), { role: "user", content: task.request.trim() }];
  const attempts: SynthAttempt[] = [];
  const record = (outcome: TaskRecord["outcome"], extra: Partial<TaskRecord> = {}): TaskRecord => ({
    taskId: task.id,
    category: task.category,
    outcome,
    attempts,
    usage: conversation.usage,
    ...extra,
  });
  for (let round = 0; round <= options.repairRounds; round++) {
    let answer: string;
    try {
      answer = (await conversation.ask(messages)).content;
    } catch (err) {
      if (err instanceof ModelRequestError) return record("teacher-error", { error: err.message });
      throw err;
    }
    messages.push({ role: "assistant", content: answer });
    const { code } = cleanAnswer(answer);
    if (code === "") {
      attempts.push({ code, unchecked: "the answer held no code" });
      messages.push({ role: "user", content: NO_CODE });
      continue;
    }
    const judgement = await options.judge(code);
    if (!judgement.verdict) {
      attempts.push({ code, unchecked: judgement.unchecked ?? "no verdict" });
      return record("unchecked", { error: judgement.unchecked });
    }
    const verdict = judgement.verdict;
    attempts.push({ code, verdict });
    if (verdict.status === "checker-error") return record("checker-error", { error: verdict.reason ?? "checker-error" });
    if (verdict.status === "pass") {
      const built = buildSamples(task, attempts, verdict, options);
      // What ships must be byte for byte what was checked, as the corpus reads it back.
      const shipped = extractCodeBlocks(built.sample.messages).map((b) => b.code);
      if (shipped.length !== 1 || shipped[0] !== code) return record("no-code", { error: "the passing program cannot be written as one ```hew block" });
      return record("passed", built);
    }
    messages.push({ role: "user", content: repairRequest(code, verdict.diagnostics) });
  }
  return record(attempts.every((a) => a.code === "") ? "no-code" : "failed");
}
