import type { HistogramBin } from "../export/stats.js";
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

export interface TokenLengths {
  /** The tokenizer that counted them, through the model's chat template. */
  tokenizer: string;
  /** The token budget: the last bin holds the samples over it. */
  maxSeqLen: number;
  /** The longest sample, in tokens. */
  max: number;
  bins: HistogramBin[];
}

/** Everything the HTML report shows, as plain data: the page is a pure function of it. */
export interface ReportData {
  title: string;
  generatedAt: string;
  /** Every run in registry order; the charts show the ones with eval results. */
  runs: RunRow[];
  composition: CompositionCell[];
  funnel: FunnelStep[];
  tokenLengths: TokenLengths;
  /** The system-prompt version the samples were rendered with for counting and export. */
  systemPrompt: string;
  /** Which checkers gave the verdicts behind the funnel, e.g. `hew 0.6.0-rc2`. */
  checkers: string[];
}
