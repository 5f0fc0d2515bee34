import { extractCodeBlocks, type CodeBlock } from "../chatml/code-blocks.js";
import type { LocatedSample } from "../chatml/jsonl.js";
import { sha256Hex } from "../util/hash.js";
import type { Checker } from "./checker.js";
import { createJudge, type Judgement } from "./judge.js";
import { abortion } from "../util/abort.js";
import type { VerdictCache } from "./verdict-cache.js";

export interface BlockResult extends Judgement {
  file: string;
  line: number;
  sampleId: string;
  block: CodeBlock;
  codeHash: string;
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
  const judge = createJudge(checker, options);
  const total = samples.reduce((n, s) => n + extractCodeBlocks(s.sample.messages).length, 0);
  let done = 0;
  options.onProgress?.({ done, total });

  const abort = abortion(options.signal);
  const work = Promise.all(
    samples.map(async (sample): Promise<SampleResult> => {
      const blocks = await Promise.all(
        extractCodeBlocks(sample.sample.messages).map(async (block): Promise<BlockResult> => {
          const codeHash = sha256Hex(block.code);
          const outcome = await judge(block.code);
          options.onProgress?.({ done: ++done, total });
          return { file: sample.file, line: sample.line, sampleId: sample.sample.id, block, codeHash, ...outcome };
        }),
      );
      return { sample, blocks, valid: blocks.length > 0 && blocks.every((b) => b.verdict?.status === "pass") };
    }),
  );
  return Promise.race([work, abort]);
}
