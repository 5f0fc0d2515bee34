import { createHash } from "node:crypto";

/*
 * Hash primitives, each chosen for what it must guarantee. Identity (exact duplicates, keys shown in
 * reports) is sha256 from node:crypto, as in the verdict cache: a collision there would silently merge two
 * samples. MinHash needs speed and uniformity, not collision resistance: it evaluates 128 permutations
 * per shingle, some 2e9 hashes over 100,000 samples, far beyond what a cryptographic hash does in seconds.
 * So each distinct term is hashed once with sha256 (its first 32 bits, cached), and shingles, n-grams and
 * the permutations are built in 32-bit integer arithmetic from murmur3's finalizer, a bijection with full
 * avalanche. A 32-bit collision can only blur a similarity estimate, and every estimate is confirmed on the
 * exact shingle sets (or the exact tokens, for n-grams) before anything is reported.
 */

export function sha256Text(text: string): string {
  return createHash("sha256").update(text).digest("hex");
}

/** murmur3's 32-bit finalizer. */
export function fmix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** Fold one more 32-bit value into a running hash (murmur3's block step). */
export function mixIn(h: number, value: number): number {
  let k = Math.imul(value, 0xcc9e2d51);
  k = (k << 15) | (k >>> 17);
  h ^= Math.imul(k, 0x1b873593);
  h = (h << 13) | (h >>> 19);
  return (Math.imul(h, 5) + 0xe6546b64) >>> 0;
}

/** 32-bit term hashes, computed once per distinct term for the life of the hasher (one run). */
export class TermHasher {
  private readonly cache = new Map<string, number>();

  hash(term: string): number {
    let h = this.cache.get(term);
    if (h === undefined) {
      h = createHash("sha256").update(term).digest().readUInt32LE(0);
      this.cache.set(term, h);
    }
    return h;
  }

  hashAll(terms: readonly string[]): Uint32Array {
    const out = new Uint32Array(terms.length);
    for (let i = 0; i < terms.length; i++) out[i] = this.hash(terms[i]!);
    return out;
  }
}

/** The hash of every window of `k` consecutive terms, in order; one window of all terms when fewer. */
export function windowHashes(terms: Uint32Array, k: number): Uint32Array {
  if (terms.length === 0) return new Uint32Array(0);
  const width = Math.min(k, terms.length);
  const out = new Uint32Array(terms.length - width + 1);
  for (let i = 0; i < out.length; i++) {
    let h = width;
    for (let j = 0; j < width; j++) h = mixIn(h, terms[i + j]!);
    out[i] = fmix32(h);
  }
  return out;
}

/** The set of `k`-term shingles, as sorted distinct hashes. */
export function shingleSet(terms: Uint32Array, k: number): Uint32Array {
  const sorted = windowHashes(terms, k).sort();
  let n = 0;
  for (let i = 0; i < sorted.length; i++) if (i === 0 || sorted[i] !== sorted[i - 1]) sorted[n++] = sorted[i]!;
  return sorted.slice(0, n);
}

/** Exact Jaccard similarity of two sorted distinct hash sets. */
export function jaccard(a: Uint32Array, b: Uint32Array): number {
  if (a.length === 0 && b.length === 0) return 1;
  let i = 0;
  let j = 0;
  let common = 0;
  while (i < a.length && j < b.length) {
    if (a[i] === b[j]) {
      common++;
      i++;
      j++;
    } else if (a[i]! < b[j]!) i++;
    else j++;
  }
  return common / (a.length + b.length - common);
}
