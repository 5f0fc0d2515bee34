import { resolve } from "node:path";
import { loadConfig, noConfigNote, type LoadedConfig } from "../config.js";
import { loadCorpus } from "../chatml/load-corpus.js";
import { getSystemPrompt, loadSystemPrompts } from "../chatml/system-prompt.js";
import { TokenCountCache } from "../chatml/token-count-cache.js";
import { loadQwen3Tokenizer, type ChatTokenizer } from "../chatml/tokens.js";
import { fitSystemPrompt, type FittedSystemPrompt } from "../chatml/prompt-budget.js";
import { latestEvalSummary } from "../eval/latest-run.js";
import { loadPromptSet } from "../eval/prompt-set.js";
import type { ExportFormat, ExportManifest } from "../schema/export.js";
import { UserError } from "../util/errors.js";
import type { Checker } from "../validate/checker.js";
import { openChecker } from "../validate/open-checker.js";
import { prepareTrainingSet, type PipelineStage, type PreparedTrainingSet } from "./pipeline.js";
import { writeTrainingSet } from "./write.js";

export interface PrepareCorpusOptions {
  /** Default: the nearest config file above `cwd`. */
  config?: LoadedConfig;
  cwd?: string;
  /** Sample files, folders or globs relative to `cwd` (default: the config's corpus, relative to the config file). */
  paths?: readonly string[];
  /** A system-prompt version id (default: the config's `export.systemPrompt`, else the latest). */
  systemPrompt?: string;
  /**
   * Keep the rendered system prompt under this many tokens: the rules the latest eval run's failures need
   * most that fit (default: the config's `export.systemPromptBudget`, else every rule).
   */
  systemPromptBudget?: number;
  /** Token budget per rendered sample (default: the config's `export.maxSeqLen`). */
  maxSeqLen?: number;
  /** The checker to judge blocks with (default: the config's, opened as for `validate`: lock, cache, hew). */
  checker?: Checker;
  /** Checker choices, as for `validate`, when no checker is given. */
  hew?: string;
  /** Read and write the verdict and token-count caches (default true). */
  cache?: boolean;
  lock?: string | false;
  /** hew processes at once (default: the config's, then available parallelism). */
  concurrency?: number;
  /** Defaults to Qwen3's. */
  tokenizer?: ChatTokenizer;
  signal?: AbortSignal;
  onProgress?: (stage: PipelineStage, done: number, total: number) => void;
}

export interface PreparedCorpus {
  config: LoadedConfig;
  prepared: PreparedTrainingSet;
  /** The folder the samples' file names are relative to. */
  base: string;
  /** The system prompt as fitted to the budget, when there was one. */
  fitted?: FittedSystemPrompt;
}

/**
 * The export funnel in one call, writing nothing: load the corpus, judge every block, deduplicate, find
 * eval leaks and count tokens. This is what `stats` and `dedup` run, and what `exportTrainingSet` writes.
 */
export async function prepareCorpus(options: PrepareCorpusOptions = {}): Promise<PreparedCorpus> {
  const cwd = options.cwd ?? process.cwd();
  const loaded = options.config ?? (await loadConfig(cwd));
  const { config, root } = loaded;
  const paths = options.paths ?? [];
  const base = paths.length > 0 ? cwd : root;
  const samples = await loadCorpus(paths.length > 0 ? paths : config.corpus, { cwd: base, signal: options.signal, noMatchNote: paths.length > 0 ? undefined : noConfigNote(loaded) });
  const systemPrompts = await loadSystemPrompts(resolve(root, config.systemPrompts));
  const chosen = options.systemPrompt ?? config.export.systemPrompt;
  const version = chosen === undefined ? systemPrompts.latest : getSystemPrompt(systemPrompts, chosen);
  // The budget only changes which rules the rendering keeps; everything downstream sees a plain version.
  const budget = options.systemPromptBudget ?? config.export.systemPromptBudget;
  const fitted =
    budget === undefined
      ? undefined
      : fitSystemPrompt(version, {
          budget,
          encode: (options.tokenizer ?? (await loadQwen3Tokenizer())).encode,
          failures: (await latestEvalSummary(resolve(root, config.eval.runsDir)))?.failures,
        });
  const systemPrompt = fitted?.version ?? version;
  const evalItems = (await loadPromptSet(resolve(root, config.evalPrompts))).set.prompts;
  const checker =
    options.checker ?? (await openChecker(loaded, { hew: options.hew, cache: options.cache, lock: options.lock, concurrency: options.concurrency })).checker;
  try {
    const prepared = await prepareTrainingSet(samples, {
      checker,
      signal: options.signal,
      dedup: config.dedup,
      evalItems,
      systemPrompt,
      systemPrompts,
      maxSeqLen: options.maxSeqLen ?? config.export.maxSeqLen,
      tokenizer: options.tokenizer,
      tokenCache: options.cache === false ? undefined : new TokenCountCache(resolve(root, config.cacheDir)),
      onProgress: options.onProgress,
    });
    return { config: loaded, prepared, base, ...(fitted ? { fitted } : {}) };
  } finally {
    // A checker the caller handed in stays theirs to close.
    if (!options.checker) await checker.close?.();
  }
}

export interface ExportTrainingSetOptions extends PrepareCorpusOptions {
  /** Output folder (default: the config's `export.out`, relative to the config file). */
  out?: string;
  /** Defaults: the config's `export` section. */
  formats?: readonly ExportFormat[];
  shuffle?: boolean;
  seed?: number;
}

export interface ExportedTrainingSet extends PreparedCorpus {
  manifest: ExportManifest;
  /** The folder written. */
  out: string;
}

/** No sample passed every stage: nothing was written. The funnel says where they went. */
export class NothingToExportError extends UserError {
  constructor(
    readonly prepared: PreparedTrainingSet,
    out: string,
  ) {
    super(`nothing to export: no sample passed every stage; ${out} left as it was`, 1);
  }
}

/** Prepare the corpus and write the training set and its manifest: what `hew-corpus export` runs. */
export async function exportTrainingSet(options: ExportTrainingSetOptions = {}): Promise<ExportedTrainingSet> {
  const prepared = await prepareCorpus(options);
  const { config, root } = prepared.config;
  const settings = config.export;
  const out = options.out !== undefined ? resolve(options.cwd ?? process.cwd(), options.out) : resolve(root, settings.out);
  if (prepared.prepared.funnel.exported === 0) throw new NothingToExportError(prepared.prepared, out);
  const manifest = await writeTrainingSet(prepared.prepared, {
    out,
    formats: options.formats ?? settings.formats,
    shuffle: options.shuffle ?? settings.shuffle,
    seed: options.seed ?? settings.seed,
    signal: options.signal,
    ...(prepared.fitted ? { systemPromptBudget: prepared.fitted } : {}),
  });
  return { ...prepared, manifest, out };
}
