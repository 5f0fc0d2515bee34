import { existsSync } from "node:fs";
import { relative, resolve } from "node:path";
import { loadConfig, type LoadedConfig } from "../config.js";
import { getSystemPrompt, loadSystemPrompts } from "../chatml/system-prompt.js";
import { ModelSpecSchema, EvalRunIdSchema, SamplingSchema, type EvalRun, type EvalRunHeader, type EvalSummary, type ModelSpec, type ModelSpecInput, type SamplingInput } from "../schema/eval.js";
import type { SystemPromptVersion } from "../schema/system-prompt.js";
import { UserError, formatZodIssues } from "../util/errors.js";
import type { Checker } from "../validate/checker.js";
import { openChecker } from "../validate/open-checker.js";
import { openModel, withAdapterHashes } from "./open-model.js";
import { loadPromptSet, selectPrompts, type PromptFilter } from "./prompt-set.js";
import { evalRunFile, openEvalRunLog, readEvalRun } from "./run-file.js";
import { explicitLora, inspectServer } from "./server-info.js";
import { localThreads } from "./local-threads.js";
import { runEval, type EvalProgress } from "./run-eval.js";
import { summarizeEvalRun } from "./summary.js";

export interface EvaluateModelOptions {
  /** The model to measure (default: the config's `eval.model`). */
  model?: ModelSpecInput;
  /** Default: the nearest config file above `cwd`. */
  config?: LoadedConfig;
  cwd?: string;
  /** Overrides of the config's `eval.sampling`. */
  sampling?: Partial<SamplingInput>;
  /** Names the run file (default: `eval-<UTC date>-<time>`). */
  runId?: string;
  /** A system-prompt version id; null sends none; default: the config's `eval.systemPrompt`, else the latest. */
  systemPrompt?: string | null;
  /** Default: the config's `evalPrompts`. */
  promptsFile?: string;
  prompts?: PromptFilter;
  /** Model requests at once (default: the config's, else a server's slot count, else 4), timeout and retries (defaults: the config's `eval` section). */
  concurrency?: number;
  timeoutMs?: number;
  retries?: number;
  apiKey?: string;
  /** The checker to judge answers with (default: the config's, opened as for `validate`: lock, cache, hew). */
  checker?: Checker;
  /** Checker choices, as for `validate`, when no checker is given. */
  hew?: string;
  cache?: boolean;
  /** hew processes at once (default: the config's, then available parallelism). */
  checkConcurrency?: number;
  /** Default: the config's `eval.runsDir`. */
  runsDir?: string;
  /** Write the run file (default true). */
  save?: boolean;
  signal?: AbortSignal;
  onProgress?: (progress: EvalProgress) => void;
}

export interface EvaluateModelResult {
  summary: EvalSummary;
  run: EvalRun;
  /** Where the run was saved, unless `save` was false. */
  file?: string;
}

function parseModelSpec(input: ModelSpecInput, source: string): ModelSpec {
  const result = ModelSpecSchema.safeParse(input);
  if (!result.success) throw new UserError(formatZodIssues(result.error.issues, { file: source }));
  return result.data;
}

/** Paths in the config are relative to the config file. */
function resolveModelPaths(spec: ModelSpec, root: string): ModelSpec {
  if (spec.kind !== "gguf") return spec;
  return { ...spec, path: resolve(root, spec.path), lora: spec.lora.map((l) => ({ ...l, path: resolve(root, l.path) })) };
}

function freshRunId(runsDir: string, now = new Date()): string {
  const base = `eval-${now.toISOString().slice(0, 19).replace(/[-:]/g, "").replace("T", "-")}`;
  let id = base;
  for (let i = 2; existsSync(evalRunFile(runsDir, id)); i++) id = `${base}-${i}`;
  return id;
}

/**
 * Measure a model in one call: ask it the eval prompts, check and categorize its answers, save the run,
 * and return the summary. This is what `hew-corpus eval` runs, and what a training run chains into.
 */
export async function evaluateModel(options: EvaluateModelOptions): Promise<EvaluateModelResult> {
  const loaded = options.config ?? (await loadConfig(options.cwd));
  const { config, root } = loaded;
  const ev = config.eval;
  let model: ModelSpec;
  if (options.model) model = parseModelSpec(options.model, "model");
  else if (ev.model) model = resolveModelPaths(ev.model, root);
  else throw new UserError("no model to evaluate: give --url and --model for a server, or --gguf for a local model, or set eval.model in the config");

  const samplingResult = SamplingSchema.safeParse({ ...ev.sampling, ...options.sampling });
  if (!samplingResult.success) throw new UserError(formatZodIssues(samplingResult.error.issues, { file: "sampling" }));
  const sampling = samplingResult.data;
  if (sampling.n > 1 && sampling.temperature === 0) {
    throw new UserError(`${sampling.n} answers per prompt need a temperature above 0; at 0 every answer to a prompt is the same`);
  }

  const promptsFile = resolve(root, options.promptsFile ?? config.evalPrompts);
  const promptSet = await loadPromptSet(promptsFile);
  const prompts = selectPrompts(promptSet.set, options.prompts);

  let systemPrompt: SystemPromptVersion | null = null;
  if (options.systemPrompt !== null) {
    const store = await loadSystemPrompts(resolve(root, config.systemPrompts));
    const id = options.systemPrompt ?? ev.systemPrompt;
    systemPrompt = id === undefined ? store.latest : getSystemPrompt(store, id);
  }

  const runsDir = resolve(root, options.runsDir ?? ev.runsDir);
  const runId = options.runId ?? freshRunId(runsDir);
  if (!EvalRunIdSchema.safeParse(runId).success) throw new UserError(`run id "${runId}": expected letters, digits, '.', '_' and '-'`);
  const file = evalRunFile(runsDir, runId);
  const save = options.save ?? true;
  // Refuse before the expensive part, not after it.
  if (save && existsSync(file)) throw new UserError(`${file}: a run with this id exists; choose another run id`);

  const checker = options.checker ?? (await openChecker(loaded, { hew: options.hew, cache: options.cache, concurrency: options.checkConcurrency })).checker;
  try {
    // Without a compiler nothing can be scored: say so before loading or asking a model.
    await checker.identify({ signal: options.signal });
    model = await withAdapterHashes(model);
    // Chosen here, not left to llama.cpp, and recorded in the run's header: the figures depend on it.
    if (model.kind === "gguf" && model.threads === undefined) model = { ...model, threads: localThreads() };
    // Asked before the first request: what is served, how many at once, and which adapters a request must name.
    const server = model.kind === "http" ? await inspectServer(model.url, { apiKey: options.apiKey, signal: options.signal }) : undefined;
    const serverLora = model.kind === "http" && server ? explicitLora(model.lora, server, model.url) : undefined;
    const concurrency = options.concurrency ?? ev.concurrency ?? server?.slots ?? 4;
    const client = await openModel(model, {
      sampling,
      concurrency,
      timeoutMs: options.timeoutMs ?? ev.timeoutMs,
      retries: options.retries ?? ev.retries,
      apiKey: options.apiKey,
      serverLora,
      maxResponseBytes: ev.maxResponseBytes,
      // llama-server (it reports slots) answers `n` in one request, seeding choice i with seed + i as a
      // request of its own would be; a server that does not say is asked once per answer.
      ...(server?.slots ? { maxChoices: server.slots } : {}),
    });
    let run: EvalRun;
    try {
      run = await runEval({
        runId,
        prompts,
        promptSet: { file: relative(root, promptsFile), version: promptSet.set.version, sha256: promptSet.sha256, prompts: prompts.length },
        systemPrompt,
        model,
        ...(server
          ? { server: { ...server, adapters: server.adapters && server.adapters.map((a) => ({ ...a, scale: serverLora!.find((l) => l.id === a.id)!.scale })) } }
          : {}),
        client,
        sampling,
        checker,
        concurrency,
        maxAnswerChars: ev.maxAnswerChars,
        ...(save ? { openLog: (header: EvalRunHeader) => openEvalRunLog(file, header) } : {}),
        signal: options.signal,
        onProgress: options.onProgress,
      });
    } finally {
      await client.close();
    }
    return { summary: summarizeEvalRun(run), run, ...(save ? { file } : {}) };
  } finally {
    // A checker the caller handed in stays theirs to close.
    if (!options.checker) await checker.close?.();
  }
}

/** The summary of a saved run (what the run registry stores next to a training run). */
export async function summarizeEvalRunFile(file: string): Promise<EvalSummary> {
  return summarizeEvalRun(await readEvalRun(file));
}
