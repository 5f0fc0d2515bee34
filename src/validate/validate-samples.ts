import type { Verdict } from "../schema/verdict.js";
import { extractCodeBlocks, type CodeBlock } from "../chatml/code-blocks.js";
import type { LocatedSample } from "../chatml/jsonl.js";
import { sha256Hex } from "../util/hash.js";
import { errorMessage, UserError } from "../util/errors.js";
import type { Checker } from "./checker.js";
import { AbortError } from "./run-process.js";
import type { VerdictCache } from "./verdict-cache.js";

export interface BlockResult {
  file: string;
  line: number;
  sampleId: string;
  block: CodeBlock;
  codeHash: string;
  /** Absent when no checker could be asked (see `unchecked`). */
  verdict?: Verdict;
  /** Why the block has no verdict: no compiler here and no recorded verdict. */
  unchecked?: string;
  /** An earlier verdict for the same code from another checker version whose status differs. */
  changedFrom?: Verdict;
}

export interface SampleResult {
  sample: LocatedSample;
  blocks: BlockResult[];
  /** Every block passed (and there is at least one). */
  valid: boolean;
}

export interface ValidationProgress {
  done: number;
  total: number;
}

export interface ValidateOptions {
  signal?: AbortSignal;
  onProgress?: (progress: ValidationProgress) => void;
  /** Consulted after a check ran now, to report what a compiler change did to the verdict. */
  history?: VerdictCache;
}

/**
 * Check every Hew block of every sample through the checker (whose process pool bounds how many run at
 * once). Identical code is checked once. Cancelling through the signal rejects with AbortError after the
 * running checks are killed.
 */
export async function validateSamples(samples: readonly LocatedSample[], checker: Checker, options: ValidateOptions = {}): Promise<SampleResult[]> {
  const pending = new Map<string, Promise<{ verdict?: Verdict; unchecked?: string; changedFrom?: Verdict }>>();
  const total = samples.reduce((n, s) => n + extractCodeBlocks(s.sample.messages).length, 0);
  let done = 0;
  options.onProgress?.({ done, total });

  const judge = (code: string, codeHash: string) => {
    let job = pending.get(codeHash);
    if (!job) {
      job = (async () => {
        options.signal?.throwIfAborted();
        try {
          const verdict = await checker.check(code, { signal: options.signal });
          const changedFrom = verdict.origin === "checked" && options.history ? await changedVerdict(options.history, verdict) : undefined;
          return { verdict, changedFrom };
        } catch (err) {
          if (err instanceof AbortError || options.signal?.aborted) throw err;
          if (err instanceof UserError) return { unchecked: errorMessage(err) };
          throw err;
        }
      })();
      pending.set(codeHash, job);
    }
    return job;
  };

  const abort = new Promise<never>((_, reject) => {
    if (options.signal?.aborted) reject(new AbortError());
    options.signal?.addEventListener("abort", () => reject(new AbortError()), { once: true });
  });
  abort.catch(() => undefined);

  const work = Promise.all(
    samples.map(async (sample): Promise<SampleResult> => {
      const blocks = await Promise.all(
        extractCodeBlocks(sample.sample.messages).map(async (block): Promise<BlockResult> => {
          const codeHash = sha256Hex(block.code);
          const outcome = await judge(block.code, codeHash);
          options.onProgress?.({ done: ++done, total });
          return { file: sample.file, line: sample.line, sampleId: sample.sample.id, block, codeHash, ...outcome };
        }),
      );
      return { sample, blocks, valid: blocks.length > 0 && blocks.every((b) => b.verdict?.status === "pass") };
    }),
  );
  return Promise.race([work, abort]);
}

async function changedVerdict(history: VerdictCache, now: Verdict): Promise<Verdict | undefined> {
  const older = (await history.history(now.codeHash)).filter(
    (v) => (v.checker.name !== now.checker.name || v.checker.version !== now.checker.version) && v.status !== now.status,
  );
  return older.sort((a, b) => b.checkedAt.localeCompare(a.checkedAt))[0];
}
