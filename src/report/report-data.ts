import type { RunRow } from "./run-rows.js";

/** Samples of one category from one source. */
export interface CompositionCell {
  category: string;
  source: string;
  samples: number;
}

/** One step of the funnel: how many samples are still in after it. */
export interface FunnelStep {
  step: string;
  samples: number;
}

/** Samples whose token count lies in [from, to). */
export interface HistogramBin {
  from: number;
  to: number;
  samples: number;
}

export interface TokenLengths {
  /** The tokenizer that counted them. */
  tokenizer: string;
  bins: HistogramBin[];
  /** The longest sample, in tokens. */
  max: number;
}

/** Everything the HTML report shows, as plain data: the page is a pure function of it. */
export interface ReportData {
  title: string;
  generatedAt: string;
  /** Every run in registry order; the charts show the ones with eval results. */
  runs: RunRow[];
  composition: CompositionCell[];
  funnel: FunnelStep[];
  /** Left out when no tokenizer was at hand. */
  tokenLengths?: TokenLengths;
  /** Which checkers gave the verdicts behind the funnel, e.g. `hew 0.6.0-rc2`. */
  checkers: string[];
}

/** A step of 1, 2 or 5 times a power of ten: bin edges a reader can take in at a glance. */
function niceStep(rough: number): number {
  const power = 10 ** Math.floor(Math.log10(Math.max(rough, 1)));
  return [1, 2, 5, 10].map((m) => m * power).find((s) => s >= rough) ?? 10 * power;
}

/** About `target` equal bins from 0 past the longest sample; empty bins are kept so the shape reads true. */
export function histogram(lengths: readonly number[], target = 20): HistogramBin[] {
  if (lengths.length === 0) return [];
  const max = lengths.reduce((a, b) => Math.max(a, b), 0);
  const step = niceStep(max / target);
  const bins: HistogramBin[] = Array.from({ length: Math.floor(max / step) + 1 }, (_, i) => ({ from: i * step, to: (i + 1) * step, samples: 0 }));
  for (const n of lengths) bins[Math.floor(n / step)]!.samples++;
  return bins;
}
