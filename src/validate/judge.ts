import type { Verdict } from "../schema/verdict.js";
import { sha256Hex } from "../util/hash.js";
import { errorMessage, UserError } from "../util/errors.js";
import type { Checker } from "./checker.js";
import { AbortError } from "./run-process.js";
import type { VerdictCache } from "./verdict-cache.js";

export interface Judgement {
  /** Absent when no checker could be asked (see `unchecked`). */
  verdict?: Verdict;
  /** Why there is no verdict: no compiler here and no recorded verdict. */
  unchecked?: string;
  /** An earlier verdict for the same code from another checker version whose status differs. */
  changedFrom?: Verdict;
}

export interface JudgeOptions {
  signal?: AbortSignal;
  /** Consulted after a check ran now, to report what a compiler change did to the verdict. */
  history?: VerdictCache;
}

/**
 * A function from code to its judgement through the checker, shared by every command that checks code:
 * identical code is checked once, and a missing compiler reads as "unchecked", never as a verdict.
 */
export function createJudge(checker: Checker, options: JudgeOptions = {}): (code: string) => Promise<Judgement> {
  const pending = new Map<string, Promise<Judgement>>();
  return (code) => {
    const codeHash = sha256Hex(code);
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
}

async function changedVerdict(history: VerdictCache, now: Verdict): Promise<Verdict | undefined> {
  const older = (await history.history(now.codeHash)).filter(
    (v) => (v.checker.name !== now.checker.name || v.checker.version !== now.checker.version) && v.status !== now.status,
  );
  return older.sort((a, b) => b.checkedAt.localeCompare(a.checkedAt))[0];
}
