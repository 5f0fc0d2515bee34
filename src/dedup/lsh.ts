import { fmix32, mixIn } from "./hashing.js";
import { PERMUTATIONS } from "./minhash.js";

/** LSH banding: a signature is cut into `bands` bands of `rows` values; one equal band makes a candidate. */
export interface Banding {
  bands: number;
  rows: number;
}

/** Chance that two sets of Jaccard similarity `s` share at least one band. */
export function candidateProbability(s: number, { bands, rows }: Banding): number {
  return 1 - (1 - s ** rows) ** bands;
}

function integrate(f: (s: number) => number, from: number, to: number, steps = 200): number {
  const h = (to - from) / steps;
  let sum = (f(from) + f(to)) / 2;
  for (let i = 1; i < steps; i++) sum += f(from + i * h);
  return sum * h;
}

/** How often a pair exactly at the threshold must become a candidate. */
export const RECALL_AT_THRESHOLD = 0.9;

/**
 * The banding for a threshold: among those that make a pair at the threshold a candidate at least
 * RECALL_AT_THRESHOLD of the time (and a pair above it more often still), the one with the least area of
 * candidates below the threshold. Missed pairs cost recall; false candidates cost only time, since every
 * candidate is confirmed on the exact shingle sets.
 */
export function chooseBanding(threshold: number, permutations = PERMUTATIONS): Banding {
  let best: Banding = { bands: permutations, rows: 1 };
  let bestArea = Infinity;
  for (let rows = 1; rows <= permutations; rows++) {
    for (let bands = 1; bands * rows <= permutations; bands++) {
      const b = { bands, rows };
      if (candidateProbability(threshold, b) < RECALL_AT_THRESHOLD) continue;
      const area = integrate((s) => candidateProbability(s, b), 0, threshold);
      if (area < bestArea) {
        bestArea = area;
        best = b;
      }
    }
  }
  return best;
}

/** Buckets of signatures by band; items are numbered by the caller. */
export class LshIndex {
  private readonly buckets: Map<number, number[]>[];

  constructor(readonly banding: Banding) {
    if (banding.bands * banding.rows > PERMUTATIONS) throw new RangeError(`${banding.bands} x ${banding.rows} bands exceed ${PERMUTATIONS} permutations`);
    this.buckets = Array.from({ length: banding.bands }, () => new Map());
  }

  private bandKey(signature: Uint32Array, band: number): number {
    let h = band;
    for (let r = band * this.banding.rows; r < (band + 1) * this.banding.rows; r++) h = mixIn(h, signature[r]!);
    return fmix32(h);
  }

  add(item: number, signature: Uint32Array): void {
    this.buckets.forEach((buckets, band) => {
      const key = this.bandKey(signature, band);
      const bucket = buckets.get(key);
      if (bucket) bucket.push(item);
      else buckets.set(key, [item]);
    });
  }

  /** Items sharing at least one band with the signature. */
  query(signature: Uint32Array): Set<number> {
    const found = new Set<number>();
    this.buckets.forEach((buckets, band) => buckets.get(this.bandKey(signature, band))?.forEach((item) => found.add(item)));
    return found;
  }

  /** Each unordered pair of items that share at least one band, once, as [smaller, larger]. */
  candidatePairs(): [number, number][] {
    const seen = new Set<number>();
    const pairs: [number, number][] = [];
    for (const buckets of this.buckets) {
      for (const bucket of buckets.values()) {
        for (let i = 0; i < bucket.length; i++) {
          for (let j = i + 1; j < bucket.length; j++) {
            const a = Math.min(bucket[i]!, bucket[j]!);
            const b = Math.max(bucket[i]!, bucket[j]!);
            // a and b stay below 2^26 in any corpus this handles, so the key is exact in a double.
            const key = a * 0x4000000 + b;
            if (!seen.has(key)) {
              seen.add(key);
              pairs.push([a, b]);
            }
          }
        }
      }
    }
    return pairs;
  }
}
