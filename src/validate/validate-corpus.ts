import { resolve } from "node:path";
import { loadConfig, noConfigNote, type LoadedConfig } from "../config.js";
import { loadCorpus } from "../chatml/load-corpus.js";
import type { LocatedSample } from "../chatml/jsonl.js";
import { UserError } from "../util/errors.js";
import type { CheckerId } from "../schema/verdict.js";
import type { Checker } from "./checker.js";
import { driftBreaks, lockDrift, type LockDrift } from "./drift.js";
import { HewNotFoundError } from "./hew-binary.js";
import { openChecker } from "./open-checker.js";
import { fixFailingBlocks, writeFixedSamples, type BlockFix } from "./apply-fixes.js";
import { allPassed, summarize, type ValidationFunnel } from "./report.js";
import { loadStagedCorpus } from "./staged.js";
import { validateSamples, type SampleResult, type ValidationProgress } from "./validate-samples.js";
import { VerdictLock } from "./verdict-lock.js";

export interface ValidateCorpusOptions {
  /** Default: the nearest config file above `cwd`. */
  config?: LoadedConfig;
  cwd?: string;
  /** Sample files, folders or globs relative to `cwd` (default: the config's corpus, relative to the config). */
  paths?: readonly string[];
  /** Only files staged in git, as staged (for a pre-commit hook). */
  staged?: boolean;
  /** Apply the compiler's suggested fixes to failing blocks and rewrite the samples whose blocks then pass. */
  fix?: boolean;
  /** Write this run's verdicts to the lock (only when every block has a real verdict). */
  updateLock?: boolean;
  /** The checker to judge with (default: the config's, opened with the choices below). */
  checker?: Checker;
  hew?: string;
  cache?: boolean;
  /** A lock file to answer from; `false` for none; default: the config's lock, when it exists. */
  lock?: string | false;
  /** hew processes at once (default: the config's, then available parallelism). */
  concurrency?: number;
  signal?: AbortSignal;
  onProgress?: (progress: ValidationProgress) => void;
}

export interface ValidateCorpusResult {
  results: SampleResult[];
  funnel: ValidationFunnel;
  /** Every block a compiler fix was tried on (with `fix`). */
  fixes?: BlockFix[];
  /** The lock written (with `updateLock`). */
  lockWritten?: { file: string; verdicts: number };
  /** Today's compiler; absent when there is none (then the lock's verdicts answer). */
  compiler?: CheckerId;
  /** Locked blocks that a compiler of another version judged now, against the lock (with the config's lock). */
  drift?: LockDrift;
  /** Every block passed and no locked pass now fails: the only state in which a corpus may ship. */
  passed: boolean;
}

async function compilerHere(checker: Checker, signal?: AbortSignal): Promise<CheckerId | undefined> {
  try {
    return await checker.identify({ signal });
  } catch (err) {
    if (err instanceof HewNotFoundError) return undefined;
    throw err;
  }
}

async function selectSamples(options: ValidateCorpusOptions, cwd: string, loaded: LoadedConfig): Promise<LocatedSample[]> {
  const paths = options.paths ?? [];
  const patterns = loaded.config.corpus;
  if (!options.staged) return paths.length > 0 ? loadCorpus(paths, { cwd }) : loadCorpus(patterns, { cwd: loaded.root, noMatchNote: noConfigNote(loaded) });
  // Only staged files that belong to the corpus (or to the given paths) are judged, against the whole corpus's ids.
  return loadStagedCorpus({ corpus: { patterns, base: loaded.root }, ...(paths.length > 0 ? { only: { patterns: paths, base: cwd } } : {}) });
}

/**
 * Validate a corpus in one call: load the samples, judge every Hew block (lock, cache, hew), optionally
 * apply the compiler's fixes and record the verdicts as the new lock. A compiler of another version than the
 * lock's checks every block itself, and the result says what changed (`drift`). This is what
 * `hew-corpus validate` runs.
 */
export async function validateCorpus(options: ValidateCorpusOptions = {}): Promise<ValidateCorpusResult> {
  if (options.fix && options.staged) throw new UserError("--fix cannot be used with --staged: the samples come from git's index, the fixes would go to the working tree");
  const cwd = options.cwd ?? process.cwd();
  const loaded = options.config ?? (await loadConfig(cwd));
  const samples = await selectSamples(options, cwd, loaded);
  const opened = options.checker ? undefined : await openChecker(loaded, { hew: options.hew, cache: options.cache, lock: options.lock, concurrency: options.concurrency });
  const checker = options.checker ?? opened!.checker;
  try {
    let results = await validateSamples(samples, checker, { signal: options.signal, onProgress: options.onProgress, history: opened?.cache });
    let fixes: BlockFix[] | undefined;
    if (options.fix) {
      const fixed = await fixFailingBlocks(results, checker, { signal: options.signal });
      await writeFixedSamples(fixed.fixes, samples, (options.paths ?? []).length > 0 ? cwd : loaded.root);
      fixes = fixed.fixes;
      results = fixed.results;
    }
    const lock = opened?.lock;
    const drift = lock ? lockDrift(results, lock) : undefined;
    // A locked block's change is told once, against the lock, not again against an older cached verdict.
    if (lock) results = results.map((r) => ({ ...r, blocks: r.blocks.map(({ changedFrom, ...b }) => (lock.get(b.codeHash) ? b : { ...b, changedFrom })) }));
    const funnel = summarize(results);
    const compiler = await compilerHere(checker, options.signal);
    let lockWritten: ValidateCorpusResult["lockWritten"];
    if (options.updateLock) {
      const file = resolve(loaded.root, typeof options.lock === "string" ? options.lock : loaded.config.lock);
      if (funnel.unchecked > 0 || funnel.checkerError > 0) throw new UserError(`not writing ${file}: some blocks have no real verdict`, 1);
      const verdicts = await VerdictLock.write(file, results.flatMap((r) => r.blocks.flatMap((b) => (b.verdict ? [b.verdict] : []))));
      lockWritten = { file, verdicts };
    }
    return {
      results,
      funnel,
      ...(fixes ? { fixes } : {}),
      ...(lockWritten ? { lockWritten } : {}),
      ...(compiler ? { compiler } : {}),
      ...(drift ? { drift } : {}),
      passed: allPassed(funnel) && !(drift && driftBreaks(drift)),
    };
  } finally {
    // A checker the caller handed in stays theirs to close.
    if (!options.checker) await checker.close?.();
  }
}
