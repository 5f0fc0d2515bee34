import type { Verdict } from "../schema/verdict.js";
import { sha256Hex } from "../util/hash.js";
import type { CheckOptions, Checker } from "./checker.js";
import type { VerdictCache } from "./verdict-cache.js";
import type { VerdictLock } from "./verdict-lock.js";

export interface CachedCheckerOptions {
  inner: Checker;
  cache?: VerdictCache;
  lock?: VerdictLock;
}

/**
 * Lock, then cache, then the real checker. The inner checker is only asked who it is on a lock miss, so a
 * corpus whose every block is locked validates on a machine without hew.
 */
export function cachedChecker({ inner, cache, lock }: CachedCheckerOptions): Checker {
  return {
    identify: (opts) => inner.identify(opts),
    async check(code: string, opts?: CheckOptions): Promise<Verdict> {
      const codeHash = sha256Hex(code);
      const locked = lock?.get(codeHash);
      if (locked) return locked;
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
