import type { Interval } from "../schema/eval.js";

/** The normal quantile for a two-sided 95% interval. */
export const Z95 = 1.959963984540054;

/**
 * The unbiased pass@k estimator (Chen et al. 2021): the chance that at least one of k answers drawn
 * without replacement from n, of which c pass, passes. 1 - C(n-c, k) / C(n, k), as a product to stay exact.
 */
export function passAtK(n: number, c: number, k: number): number {
  if (!(Number.isInteger(n) && Number.isInteger(c) && Number.isInteger(k)) || n < 1 || c < 0 || c > n || k < 1 || k > n) {
    throw new RangeError(`pass@k needs integers 0 <= c <= n and 1 <= k <= n, got n=${n} c=${c} k=${k}`);
  }
  if (n - c < k) return 1;
  let allFail = 1;
  for (let i = n - c + 1; i <= n; i++) allFail *= 1 - k / i;
  return 1 - allFail;
}

/**
 * The Wilson score interval for a rate observed over `trials` independent trials. `rate` may be a mean
 * of per-prompt shares; counting prompts (not answers) as trials keeps the interval honest when several
 * answers to one prompt pass or fail together.
 */
export function wilsonInterval(rate: number, trials: number, z = Z95): Interval {
  if (trials === 0) return { low: 0, high: 1 };
  const z2 = z * z;
  const denominator = 1 + z2 / trials;
  const center = (rate + z2 / (2 * trials)) / denominator;
  const half = (z / denominator) * Math.sqrt((rate * (1 - rate)) / trials + z2 / (4 * trials * trials));
  return { low: Math.max(0, center - half), high: Math.min(1, center + half) };
}

/**
 * Newcombe's hybrid score interval (method 10) for the difference `after - before` of two rates, built
 * from their Wilson intervals. When it holds 0, the two runs cannot be told apart.
 */
export function differenceInterval(before: { rate: number; interval: Interval }, after: { rate: number; interval: Interval }): Interval {
  const d = after.rate - before.rate;
  return {
    low: d - Math.sqrt((after.rate - after.interval.low) ** 2 + (before.interval.high - before.rate) ** 2),
    high: d + Math.sqrt((after.interval.high - after.rate) ** 2 + (before.rate - before.interval.low) ** 2),
  };
}
