import type { Verdict } from "../schema/verdict.js";
import { sha256Hex } from "../util/hash.js";
import type { CheckOptions, Checker } from "./checker.js";
import { HewNotFoundError } from "./hew-binary.js";
import type { VerdictCache } from "./verdict-cache.js";
import type { VerdictLock } from "./verdict-lock.js";

export interface CachedCheckerOptions {
  inner: Checker;
  cache?: VerdictCache;
  lock?: VerdictLock;
}

/**
 * Lock, then cache, then the real checker. The lock answers when no compiler is here (so a locked corpus
 * validates offline) or when the compiler is the one that recorded it; a compiler of another version
 * checks the code itself, so an upgrade is never hidden behind old verdicts.
 */
export function cachedChecker({ inner, cache, lock }: CachedCheckerOptions): Checker {
  const lockAnswers = async (locked: Verdict, opts?: CheckOptions): Promise<boolean> => {
    try {
      const id = await inner.identify(opts);
      return id.name === locked.checker.name && id.version === locked.checker.version;
    } catch (err) {
      if (err instanceof HewNotFoundError) return true;
      throw err;
    }
  };
  return {
    identify: (opts) => inner.identify(opts),
    async check(code: string, opts?: CheckOptions): Promise<Verdict> {
      const codeHash = sha256Hex(code);
      const locked = lock?.get(codeHash);
      if (locked && (await lockAnswers(locked, opts))) return locked;
      if (cache) {
        const cached = await cache.get(codeHash, await inner.identify(opts));
        if (cached) return cached;
      }
      const verdict = await inner.check(code, opts);
      await cache?.put(verdict);
      return verdict;
    },
    close: () => inner.close?.() ?? Promise.resolve(),
  };
}
