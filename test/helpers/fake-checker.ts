import type { Checker } from "../../src/validate/checker.js";
import type { CheckerId, Verdict } from "../../src/schema/verdict.js";
import { sha256Hex } from "../../src/util/hash.js";

export const hew: CheckerId = { name: "hew", version: "0.6.0-rc2" };
export const next: CheckerId = { name: "hew", version: "0.6.0" };

export function verdict(code: string, status: Verdict["status"], checker = hew): Verdict {
  return { status, diagnostics: [], stderr: "", checker, codeHash: sha256Hex(code), durationMs: 3, checkedAt: "2026-11-23T00:00:00.000Z", origin: "checked" };
}

export interface FakeChecker extends Checker {
  /** Code of every check, in order. */
  calls: string[];
  identified: number;
}

/**
 * A checker for unit tests of the machinery around checkers (cache, lock, pool). It is never used where
 * a verdict's truth matters: those tests use the stand-in with recorded verdicts, or the real hew.
 */
export function fakeChecker(id: CheckerId, answer: (code: string) => Verdict["status"], delayMs = 0): FakeChecker {
  const fake: FakeChecker = {
    calls: [],
    identified: 0,
    identify: async () => {
      fake.identified++;
      return id;
    },
    check: async (code: string, opts) => {
      fake.calls.push(code);
      if (delayMs > 0) await new Promise((r) => setTimeout(r, delayMs));
      opts?.signal?.throwIfAborted();
      return verdict(code, answer(code), id);
    },
  };
  return fake;
}
