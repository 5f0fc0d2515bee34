import pLimit from "p-limit";
import { basename, extname, join, resolve } from "node:path";
import { loadConfig, type LoadedConfig } from "../config.js";
import { getSystemPrompt, loadSystemPrompts, renderSystemPrompt } from "../chatml/system-prompt.js";
import { appendSamples } from "../corrections/corpus-file.js";
import { readRunAnswers } from "../corrections/eval-run.js";
import type { ModelClient } from "../eval/model-client.js";
import type { Sample, SampleCategory } from "../schema/sample.js";
import { TeacherSpecSchema, type SynthFunnel, type SynthTask, type TaskOutcome, type TaskRecord, type TeacherSpec, type TeacherSpecInput, type TokenUsage } from "../schema/synth.js";
import { UserError, formatZodIssues } from "../util/errors.js";
import type { Checker } from "../validate/checker.js";
import { createJudge } from "../validate/judge.js";
import { openChecker } from "../validate/open-checker.js";
import { AbortError } from "../validate/run-process.js";
import { loadGrowContext } from "./gate.js";
import { runTask } from "./repair.js";
import { readSynthState, SynthStateWriter } from "./state-file.js";
import { failingCategories, generateTasks, loadTaskFile } from "./tasks.js";
import { addUsage, emptyUsage, openTeacher, teacherLabel, usageCost } from "./teacher.js";

export interface SynthesizeOptions {
  config?: LoadedConfig;
  cwd?: string;
  /** Overrides the config's `synth.teacher`. */
  teacher?: TeacherSpecInput;
  /** Where tasks come from: a task file, or requests the teacher writes (per category, or for a run's failures). */
  tasksFile?: string;
  generate?: { perCategory: number; categories?: readonly SampleCategory[] };
  /** An eval run (file or folder): generate requests for the categories it failed in (needs `generate.perCategory`). */
  fromRun?: string;
  seed?: number;
  repairRounds?: number;
  /** Teacher requests at once. */
  concurrency?: number;
  /** hew processes at once. */
  checkConcurrency?: number;
  checker?: Checker;
  hew?: string;
  cache?: boolean;
  /** Corpus file admitted samples are appended to. */
  out?: string;
  /** Also append contrastive correction samples (failed attempt + diagnostics, answered by the fix) here. */
  corrections?: string;
  /** Default: `<synth.stateDir>/<task file name | generated-SEED | from-RUN>.jsonl`. */
  stateFile?: string;
  /** A system-prompt version id; null sends none; default: the config's `eval.systemPrompt`, else the latest. */
  systemPrompt?: string | null;
  /** Judge and count, write no corpus file (the state file is still kept, so nothing is asked twice). */
  dryRun?: boolean;
  /** Where the teacher's key is read from (default: process.env). */
  env?: NodeJS.ProcessEnv;
  timeoutMs?: number;
  retries?: number;
  retryDelayMs?: number;
  signal?: AbortSignal;
  onProgress?: (done: number, total: number) => void;
}

export interface SynthRejection {
  taskId: string;
  reason: "duplicate" | "leak";
  detail: string;
}

export interface SynthesizeResult {
  funnel: SynthFunnel;
  byCategory: Partial<Record<SampleCategory, SynthFunnel>>;
  usage: TokenUsage;
  /** In the currency of the configured prices; absent without prices. */
  cost?: number;
  teacher: string;
  /** Tasks answered from the state file of an earlier, interrupted run. */
  resumed: number;
  admitted: Sample[];
  corrections: Sample[];
  rejections: SynthRejection[];
  records: TaskRecord[];
  stateFile: string;
  /** Files written and how many new samples each got (empty on a dry run). */
  written: { file: string; added: number; total: number }[];
}

function parseTeacher(input: TeacherSpecInput, source: string): TeacherSpec {
  const result = TeacherSpecSchema.safeParse(input);
  if (!result.success) throw new UserError(formatZodIssues(result.error.issues, { file: source }));
  return result.data;
}

function emptyFunnel(rounds: number): SynthFunnel {
  return {
    tasks: 0,
    answered: 0,
    passedFirstTry: 0,
    passedAfterRepair: Array.from({ length: rounds }, () => 0),
    failed: 0,
    noCode: 0,
    unchecked: 0,
    checkerError: 0,
    teacherError: 0,
    duplicates: 0,
    leaks: 0,
    admitted: 0,
  };
}

/** The funnel row of each way a task ends without a passing program. */
const OUTCOME_ROW: Record<Exclude<TaskOutcome, "passed">, "failed" | "noCode" | "unchecked" | "checkerError" | "teacherError"> = {
  failed: "failed",
  "no-code": "noCode",
  unchecked: "unchecked",
  "checker-error": "checkerError",
  "teacher-error": "teacherError",
};

function runName(options: SynthesizeOptions, seed: number): string {
  if (options.tasksFile) return basename(options.tasksFile, extname(options.tasksFile));
  if (options.fromRun) return `from-${basename(options.fromRun, extname(options.fromRun))}-${seed}`;
  return `generated-${seed}`;
}

/**
 * Grow the corpus with a teacher model: each task is answered, cleaned, checked by hew and repaired with
 * the diagnostics; a passing program that is no duplicate and leaks no eval item is appended to the corpus.
 * Finished tasks are journalled, so an interrupted run (AbortError) continues where it stopped.
 */
export async function synthesizeCorpus(options: SynthesizeOptions): Promise<SynthesizeResult> {
  const loaded = options.config ?? (await loadConfig(options.cwd));
  const { config, root } = loaded;
  const sy = config.synth;
  const teacherInput = options.teacher ?? sy.teacher;
  if (!teacherInput) throw new UserError("no teacher model: give --url and --model (and --api anthropic for Claude), or set synth.teacher in the config");
  const teacherSpec = parseTeacher(teacherInput, "teacher");
  const label = teacherLabel(teacherSpec);
  if (!options.tasksFile === !(options.generate || options.fromRun)) throw new UserError("say where tasks come from: a task file, or --generate N (optionally with --from-run RUN)");
  if (options.fromRun && !options.generate) throw new UserError("--from-run needs --generate N: how many requests to write per failing category");
  const seed = options.seed ?? 0;
  const repairRounds = options.repairRounds ?? sy.repairRounds;
  const concurrency = options.concurrency ?? sy.concurrency;
  const out = resolve(root, options.out ?? sy.out);
  const correctionsOut = options.corrections && resolve(root, options.corrections);
  const stateFile = options.stateFile ?? join(root, sy.stateDir, `${runName(options, seed)}.jsonl`);

  let systemPrompt: { id: string; text: string } | undefined;
  if (options.systemPrompt !== null) {
    const store = await loadSystemPrompts(resolve(root, config.systemPrompts));
    const id = options.systemPrompt ?? config.eval.systemPrompt;
    const version = id === undefined ? store.latest : getSystemPrompt(store, id);
    systemPrompt = { id: version.id, text: renderSystemPrompt(version) };
  }
  const context = await loadGrowContext(loaded, [out, ...(correctionsOut ? [correctionsOut] : [])]);
  const state = await readSynthState(stateFile);
  const writer = new SynthStateWriter(stateFile);

  const checker = options.checker ?? (await openChecker(loaded, { hew: options.hew, cache: options.cache, concurrency: options.checkConcurrency })).checker;
  let teacher: ModelClient | undefined;
  try {
    // Without a compiler nothing can be admitted: say so before paying a teacher.
    await checker.identify({ signal: options.signal });
    teacher = openTeacher(teacherSpec, { timeoutMs: options.timeoutMs ?? sy.timeoutMs, retries: options.retries ?? sy.retries, env: options.env, retryDelayMs: options.retryDelayMs });

    let tasks: SynthTask[];
    let generationUsage = emptyUsage();
    if (options.tasksFile) tasks = await loadTaskFile(resolve(options.tasksFile));
    else if (state.tasks) ({ tasks, usage: generationUsage } = state.tasks);
    else {
      const categories = options.fromRun
        ? failingCategories(await readRunAnswers(resolve(options.fromRun)))
        : (options.generate!.categories ?? []).map((category) => ({ category }));
      if (categories.length === 0) throw new UserError(options.fromRun ? `${options.fromRun}: the run has no failures to write tasks for` : "--generate needs at least one --category");
      const generated = await generateTasks({ teacher, categories, perCategory: options.generate!.perCategory, seed, existing: context.knownRequests, signal: options.signal });
      tasks = generated.tasks;
      generationUsage = generated.usage;
      await writer.writeTasks(tasks, generationUsage);
    }

    const judge = createJudge(checker, { signal: options.signal });
    // A task's seed follows its place in the list, so a resumed run asks exactly what a whole one would.
    const pending = tasks.map((task, index) => ({ task, index })).filter(({ task }) => !state.done.has(task.id));
    const resumed = tasks.length - pending.length;
    let finished = resumed;
    options.onProgress?.(finished, tasks.length);
    const limit = pLimit(concurrency);
    const client = teacher;
    const settled = await Promise.allSettled(
      pending.map(({ task, index }) =>
        limit(async () => {
          options.signal?.throwIfAborted();
          const record = await runTask(task, { teacher: client, teacherLabel: label, judge, systemPrompt, repairRounds, seed: seed + index, signal: options.signal });
          await writer.writeDone(record);
          state.done.set(task.id, record);
          options.onProgress?.(++finished, tasks.length);
        }),
      ),
    );
    if (options.signal?.aborted) throw new AbortError();
    const crashed = settled.find((s): s is PromiseRejectedResult => s.status === "rejected");
    if (crashed) throw crashed.reason;

    const records = tasks.map((t) => state.done.get(t.id)!);
    const candidateIds = new Set(records.flatMap((r) => [r.sample?.id, r.correction?.id].filter((id): id is string => id !== undefined)));
    // Samples an earlier run of these tasks admitted are judged again, not counted as their own duplicates.
    const gate = context.gate(candidateIds);
    const funnel = emptyFunnel(repairRounds);
    const byCategory: Partial<Record<SampleCategory, SynthFunnel>> = {};
    const admitted: Sample[] = [];
    const corrections: Sample[] = [];
    const rejections: SynthRejection[] = [];
    for (const r of records) {
      const counts = [funnel, (byCategory[r.category] ??= emptyFunnel(repairRounds))];
      const bump = (key: Exclude<keyof SynthFunnel, "passedAfterRepair">) => counts.forEach((c) => c[key]++);
      bump("tasks");
      if (r.outcome !== "teacher-error" || r.attempts.length > 0) bump("answered");
      if (r.outcome !== "passed") {
        bump(OUTCOME_ROW[r.outcome]);
        continue;
      }
      const rounds = r.attempts.length - 1;
      if (rounds === 0) bump("passedFirstTry");
      else counts.forEach((c) => (c.passedAfterRepair[rounds - 1] = (c.passedAfterRepair[rounds - 1] ?? 0) + 1));
      const decision = gate.consider(r.sample!);
      if (!decision.admit) {
        bump(decision.reason === "duplicate" ? "duplicates" : "leaks");
        rejections.push({ taskId: r.taskId, reason: decision.reason, detail: decision.reason === "duplicate" ? `duplicate of ${decision.of} (similarity ${decision.similarity.toFixed(2)})` : `leaks eval prompt ${decision.evalIds.join(", ")}` });
        continue;
      }
      bump("admitted");
      admitted.push(r.sample!);
      if (r.correction) corrections.push(r.correction);
    }

    const written: SynthesizeResult["written"] = [];
    if (!options.dryRun) {
      for (const [file, samples] of [[out, admitted], ...(correctionsOut ? [[correctionsOut, corrections] as const] : [])] as const) {
        const { added, total } = await appendSamples(file, samples);
        written.push({ file, added: added.length, total });
      }
    }
    const usage = records.reduce((u, r) => addUsage(u, r.usage), generationUsage);
    return {
      funnel,
      byCategory,
      usage,
      ...(teacherSpec.prices ? { cost: usageCost(usage, teacherSpec.prices) } : {}),
      teacher: label,
      resumed,
      admitted,
      corrections,
      rejections,
      records,
      stateFile,
      written,
    };
  } finally {
    await teacher?.close();
    if (!options.checker) await checker.close?.();
  }
}
