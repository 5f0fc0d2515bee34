import { fmix32 } from "./hashing.js";

export const PERMUTATIONS = 128;

/** Fixed seeds, one per permutation (splitmix32 from a constant): signatures compare across runs. */
const SEEDS = (() => {
  const seeds = new Uint32Array(PERMUTATIONS);
  let state = 0x2545f491;
  for (let i = 0; i < PERMUTATIONS; i++) {
    state = (state + 0x9e3779b9) >>> 0;
    seeds[i] = fmix32(state);
  }
  return seeds;
})();

/**
 * The MinHash signature of a shingle set: for each permutation x -> fmix32(x ^ seed), the least image.
 * Two signatures agree at a position with probability equal to the sets' Jaccard similarity.
 */
export function minhash(shingles: Uint32Array): Uint32Array {
  const signature = new Uint32Array(PERMUTATIONS).fill(0xffffffff);
  for (let p = 0; p < PERMUTATIONS; p++) {
    const seed = SEEDS[p]!;
    let min = 0xffffffff;
    for (let i = 0; i < shingles.length; i++) {
      const h = fmix32(shingles[i]! ^ seed);
      if (h < min) min = h;
    }
    signature[p] = min;
  }
  return signature;
}
