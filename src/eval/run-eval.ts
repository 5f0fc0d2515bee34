import pLimit from "p-limit";
import { cleanAnswer } from "../chatml/clean-answer.js";
import { classifyFailure } from "../failures/classify.js";
import { renderSystemPrompt } from "../chatml/system-prompt.js";
import type { EvalAnswer, EvalPrompt, EvalRun, EvalRunHeader, ModelSpec, Sampling, ServerInfo } from "../schema/eval.js";
import type { Message } from "../schema/sample.js";
import type { SystemPromptVersion } from "../schema/system-prompt.js";
import { sha256Hex } from "../util/hash.js";
import type { Checker } from "../validate/checker.js";
import { createJudge } from "../validate/judge.js";
import { AbortError } from "../validate/run-process.js";
import { failureGroup } from "./failure-group.js";
import { ModelRequestError, type Completion, type ModelClient } from "./model-client.js";
import type { EvalRunLog } from "./run-file.js";

/** Longest answer kept by default (characters): 32 times what 2048 tokens of code take. */
export const DEFAULT_MAX_ANSWER_CHARS = 256 * 1024;

export interface EvalProgress {
  done: number;
  total: number;
}

export interface RunEvalOptions {
  runId: string;
  prompts: readonly EvalPrompt[];
  /** Where the prompts came from, for the run's header. */
  promptSet: EvalRunHeader["promptSet"];
  /** Sent as the system message of every prompt; null sends none. */
  systemPrompt: SystemPromptVersion | null;
  /** What `client` is, for the run's header. */
  model: ModelSpec;
  /** What the server said about itself, for the run's header. */
  server?: ServerInfo;
  client: ModelClient;
  sampling: Sampling;
  checker: Checker;
  /** Model requests at once. */
  concurrency: number;
  /** Longest answer stored (default 256 Ki characters); a longer one is cut, flagged and a model error. */
  maxAnswerChars?: number;
  /** Where records go as they come (the run file), so a killed run keeps the answers it had. */
  openLog?: (header: EvalRunHeader) => Promise<EvalRunLog>;
  signal?: AbortSignal;
  onProgress?: (progress: EvalProgress) => void;
}

/**
 * Ask the model every prompt n times, clean each answer, check the code through the checker (whose process
 * pool bounds the checks at once; identical code is checked once) and give every failure a category. Answers come back in prompt order.
 */
export async function runEval(options: RunEvalOptions): Promise<EvalRun> {
  const started = new Date();
  const checkerId = await options.checker.identify({ signal: options.signal });
  const { n } = options.sampling;
  const system = options.systemPrompt ? renderSystemPrompt(options.systemPrompt) : null;
  const maxChars = options.maxAnswerChars ?? DEFAULT_MAX_ANSWER_CHARS;
  const header: EvalRunHeader = {
    type: "header",
    format: 1,
    runId: options.runId,
    startedAt: started.toISOString(),
    model: options.model,
    ...(options.server ? { server: options.server } : {}),
    sampling: options.sampling,
    systemPrompt: options.systemPrompt && system !== null ? { version: options.systemPrompt.id, sha256: sha256Hex(system), text: system } : null,
    promptSet: options.promptSet,
    checker: checkerId,
    concurrency: options.concurrency,
  };
  const judge = createJudge(options.checker, { signal: options.signal });
  // Several answers in one request take as many server slots: fewer requests at once keep the slots full, not queued.
  const perRequest = options.client.completeMany ? Math.max(1, Math.min(n, options.client.choicesPerRequest ?? 1)) : 1;
  const ask = pLimit(Math.max(1, Math.floor(options.concurrency / perRequest)));
  const total = options.prompts.length * n;
  let done = 0;
  options.onProgress?.({ done, total });

  /** Answers `first` .. `first + count - 1` of a prompt: one request for all of them where the client can. */
  const answers = async (prompt: EvalPrompt, first: number, count: number, index: number): Promise<EvalAnswer[]> => {
    const messages: Message[] = [...(system === null ? [] : [{ role: "system" as const, content: system }]), { role: "user", content: prompt.prompt }];
    const base = (sample: number) => ({ type: "answer" as const, promptId: prompt.id, category: prompt.category, sample, index: index + sample - first, prompt: prompt.prompt });
    let t0 = 0;
    let completions: Completion[];
    try {
      // Timed from when the request leaves, not from when it joined the queue behind the others.
      completions = await ask(() => {
        t0 = performance.now();
        const seed = options.sampling.seed + first;
        return count === 1 ? options.client.complete(messages, { seed, signal: options.signal }).then((c) => [c]) : options.client.completeMany!(messages, { seed, n: count, signal: options.signal });
      });
    } catch (err) {
      if (!(err instanceof ModelRequestError)) throw err;
      const { code, stripped } = cleanAnswer("");
      const generateMs = performance.now() - t0;
      return Array.from({ length: count }, (_, i) => ({ ...base(first + i), raw: "", finishReason: null, code, stripped, outcome: "model-error" as const, error: err.message, attempts: err.attempts, generateMs }));
    }
    return Promise.all(completions.map((c, i) => score(base(first + i), c, t0)));
  };

  const score = async (base: Pick<EvalAnswer, "type" | "promptId" | "category" | "sample" | "index" | "prompt">, completion: Completion, t0: number): Promise<EvalAnswer> => {
    const generateMs = completion.requestMs ?? performance.now() - t0;
    const tooLong = completion.content.length > maxChars;
    const raw = tooLong ? completion.content.slice(0, maxChars) : completion.content;
    const { code, stripped } = cleanAnswer(tooLong ? "" : raw);
    const record: EvalAnswer = {
      ...base,
      raw,
      ...(completion.reasoning === undefined ? {} : { reasoning: completion.reasoning.slice(0, maxChars) }),
      finishReason: completion.finishReason,
      code,
      stripped,
      outcome: "no-code",
      attempts: completion.attempts,
      generateMs,
      ...(completion.completionTokens === undefined ? {} : { completionTokens: completion.completionTokens }),
      ...(completion.promptTokens === undefined ? {} : { promptTokens: completion.promptTokens }),
      ...(completion.timings === undefined ? {} : { timings: completion.timings }),
    };
    // A cut answer's code is not the model's program: checking its first part would score something it did not write.
    if (tooLong) return { ...record, rawTruncated: true, outcome: "model-error", error: `answer of ${completion.content.length} characters, over the limit of ${maxChars} (maxAnswerChars); stored cut` };
    // An empty file is valid Hew: checking "nothing" would pass an answer that holds no program.
    if (code === "") return record;
    const { verdict, unchecked } = await judge(code);
    record.codeHash = sha256Hex(code);
    if (!verdict) return { ...record, outcome: "unchecked", error: unchecked };
    record.verdict = verdict;
    if (verdict.status === "pass") return { ...record, outcome: "pass" };
    if (verdict.status === "checker-error") return { ...record, outcome: "checker-error", error: verdict.reason };
    const { category } = classifyFailure(code, verdict);
    // What no registered category explains is grouped by its first error, so new mistakes show up as a shape.
    return { ...record, outcome: "fail", failureCategory: category, ...(category === "other" ? { failureGroup: failureGroup(verdict) } : {}) };
  };

  const log = await options.openLog?.(header);
  try {
    const chunks = Array.from({ length: Math.ceil(n / perRequest) }, (_, c) => c * perRequest);
    const answered = await Promise.all(
      options.prompts.flatMap((prompt, p) =>
        chunks.map(async (first) => {
          const results = await answers(prompt, first, Math.min(perRequest, n - first), p * n + first);
          for (const result of results) {
            await log?.append(result);
            options.onProgress?.({ done: ++done, total });
          }
          return results;
        }),
      ),
    );
    const all = answered.flat();
    const finished = new Date();
    const end = { finishedAt: finished.toISOString(), wallMs: finished.getTime() - started.getTime() };
    await log?.finish({ ...end, answers: all.length });
    return { header: { ...header, ...end }, answers: all };
  } catch (err) {
    // Whichever job noticed the cancel first, the run reports it one way.
    if (options.signal?.aborted) throw new AbortError();
    throw err;
  } finally {
    ask.clearQueue();
    await log?.close();
  }
}
