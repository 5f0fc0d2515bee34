import { fmix32, jaccard, mixIn } from "./hashing.js";
import { chooseBanding, LshIndex } from "./lsh.js";
import { minhash } from "./minhash.js";

export interface SimilarPair {
  /** Indices into the input, a < b. */
  a: number;
  b: number;
  /** Exact Jaccard similarity of the two shingle sets. */
  jaccard: number;
}

export interface SimilarPairsResult {
  pairs: SimilarPair[];
  /** Pairs LSH proposed and the exact sets then judged (identical sets are paired without it). */
  candidates: number;
}

export interface SimilarPairsOptions {
  threshold: number;
  /** The MinHash signature of set i, when the caller keeps them; computed here otherwise. */
  signature?: (i: number) => Uint32Array;
  onProgress?: (done: number, total: number) => void;
}

const PROGRESS_EVERY = 1000;

function sameSet(a: Uint32Array, b: Uint32Array): boolean {
  return a.length === b.length && a.every((v, i) => v === b[i]);
}

/**
 * Every pair of shingle sets with Jaccard similarity >= threshold: identical sets are grouped first (a
 * renamed copy is identical once abstracted, and a crowd of them would swamp the LSH buckets), then one
 * set per group is MinHashed into LSH bands, and each candidate pair is confirmed on the exact sets.
 * Empty sets are never similar to anything.
 */
export function findSimilarPairs(sets: readonly Uint32Array[], options: SimilarPairsOptions): SimilarPairsResult {
  const { threshold, onProgress } = options;
  const signature = options.signature ?? ((i: number) => minhash(sets[i]!));
  const pairs: SimilarPair[] = [];
  const groups = new Map<number, number[][]>();
  const representatives: number[] = [];
  sets.forEach((set, i) => {
    if (set.length === 0) return;
    let key = set.length;
    for (const v of set) key = mixIn(key, v);
    key = fmix32(key);
    const buckets = groups.get(key) ?? [];
    const group = buckets.find((g) => sameSet(sets[g[0]!]!, set));
    if (group) {
      pairs.push({ a: group[0]!, b: i, jaccard: 1 });
      group.push(i);
    } else {
      buckets.push([i]);
      groups.set(key, buckets);
      representatives.push(i);
    }
  });

  const index = new LshIndex(chooseBanding(threshold));
  representatives.forEach((item, n) => {
    index.add(item, signature(item));
    if ((n + 1) % PROGRESS_EVERY === 0 || n + 1 === representatives.length) onProgress?.(n + 1, representatives.length);
  });
  const candidates = index.candidatePairs();
  for (const [a, b] of candidates) {
    const j = jaccard(sets[a]!, sets[b]!);
    if (j >= threshold) pairs.push({ a, b, jaccard: j });
  }
  pairs.sort((x, y) => x.a - y.a || x.b - y.b);
  return { pairs, candidates: candidates.length };
}
