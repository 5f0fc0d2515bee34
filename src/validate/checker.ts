import type { CheckerId, Verdict } from "../schema/verdict.js";

export interface CheckOptions {
  signal?: AbortSignal;
}

/**
 * Anything that turns Hew code into a verdict: the hew process, a cache or lock in front of another
 * checker, or the test stand-in. Implementations never return `pass` for code no compiler passed.
 */
export interface Checker {
  /** Which program answers, asked once and remembered. Rejects with HewNotFoundError when there is none. */
  identify(options?: CheckOptions): Promise<CheckerId>;
  check(code: string, options?: CheckOptions): Promise<Verdict>;
  /** Release temp folders and the like. */
  close?(): Promise<void>;
}

export function formatCheckerId(id: CheckerId): string {
  return `${id.name} ${id.version}`;
}
