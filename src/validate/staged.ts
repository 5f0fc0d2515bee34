import { resolve } from "node:path";
import type { LocatedSample } from "../chatml/jsonl.js";
import { loadSamples } from "../chatml/load-corpus.js";
import { git } from "../util/git.js";

/** Paths (relative to `cwd`) of files staged for the next commit, added or modified. */
export async function stagedFiles(cwd: string): Promise<string[]> {
  const top = (await git(["rev-parse", "--show-toplevel"], cwd)).trim();
  const out = await git(["diff", "--cached", "--name-only", "-z", "--diff-filter=ACMR", "--relative"], cwd);
  return out
    .split("\0")
    .filter(Boolean)
    .filter((p) => resolve(cwd, p).startsWith(top));
}

/**
 * The samples of the given files as staged in git's index, not as in the working tree: a pre-commit hook
 * must judge what will be committed.
 */
export function loadStagedSamples(files: readonly string[], cwd: string): Promise<LocatedSample[]> {
  return loadSamples(files, { cwd, readText: (file) => git(["show", `:./${file}`], cwd) });
}
