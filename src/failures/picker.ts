import { createHash } from "node:crypto";
import { mulberry32 } from "../util/random.js";

/**
 * Deterministic choices for templates: the same seed always renders the same instance, so a generated
 * corpus file can be reproduced and reviewed. (mulberry32 over a sha256-derived state.)
 */
export class Picker {
  /** A float in [0, 1). */
  private readonly next: () => number;

  constructor(seed: string) {
    this.next = mulberry32(createHash("sha256").update(seed).digest().readUInt32LE(0));
  }

  /** An integer in [lo, hi]. */
  int(lo: number, hi: number): number {
    return lo + Math.floor(this.next() * (hi - lo + 1));
  }

  one<T>(items: readonly T[]): T {
    return items[this.int(0, items.length - 1)]!;
  }

  /** `n` distinct items in random order. */
  some<T>(items: readonly T[], n: number): T[] {
    const pool = [...items];
    const out: T[] = [];
    while (out.length < n && pool.length > 0) out.push(pool.splice(this.int(0, pool.length - 1), 1)[0]!);
    return out;
  }

  ints(n: number, lo: number, hi: number): number[] {
    return Array.from({ length: n }, () => this.int(lo, hi));
  }
}
