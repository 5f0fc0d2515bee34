import type { Funnel } from "../schema/export.js";
import type { SampleCategory, SampleSource } from "../schema/sample.js";
import { summarize } from "../validate/report.js";
import type { PreparedTrainingSet } from "./pipeline.js";

export interface HistogramBin {
  /** Token counts from `from` to `to`, inclusive; `to` is absent for the bin above maxSeqLen. */
  from: number;
  to?: number;
  samples: number;
}

export interface CorpusStats {
  samples: number;
  byCategory: Partial<Record<SampleCategory, number>>;
  bySource: Partial<Record<SampleSource, number>>;
  validation: { validSamples: number; blocks: number; pass: number; fail: number; checkerError: number; unchecked: number };
  tokens: { maxSeqLen: number; total: number; mean: number; max: number; histogram: HistogramBin[] };
  funnel: Funnel;
}

const BINS = 8;

function countBy<K extends string>(keys: readonly K[]): Partial<Record<K, number>> {
  const out: Partial<Record<K, number>> = {};
  for (const k of [...keys].sort()) out[k] = (out[k] ?? 0) + 1;
  return out;
}

/** Token lengths in BINS equal bins up to maxSeqLen, and one bin for the samples over it. */
export function tokenHistogram(lengths: readonly number[], maxSeqLen: number): HistogramBin[] {
  const width = Math.ceil(maxSeqLen / BINS);
  const bins: HistogramBin[] = Array.from({ length: BINS }, (_, i) => ({ from: i * width + (i === 0 ? 0 : 1), to: Math.min((i + 1) * width, maxSeqLen), samples: 0 }));
  const over: HistogramBin = { from: maxSeqLen + 1, samples: 0 };
  for (const n of lengths) {
    if (n > maxSeqLen) over.samples++;
    else bins[Math.min(BINS - 1, Math.max(0, Math.ceil(n / width) - 1))]!.samples++;
  }
  return [...bins, over];
}

export function corpusStats(prepared: PreparedTrainingSet): CorpusStats {
  const samples = prepared.decisions.map((d) => d.sample.sample);
  const lengths = prepared.decisions.map((d) => d.tokens);
  const v = summarize(prepared.validation);
  const total = lengths.reduce((a, b) => a + b, 0);
  return {
    samples: samples.length,
    byCategory: countBy(samples.map((s) => s.meta.category)),
    bySource: countBy(samples.map((s) => s.meta.source)),
    validation: { validSamples: v.validSamples, blocks: v.blocks, pass: v.pass, fail: v.fail, checkerError: v.checkerError, unchecked: v.unchecked },
    tokens: {
      maxSeqLen: prepared.maxSeqLen,
      total,
      mean: samples.length === 0 ? 0 : Math.round(total / samples.length),
      max: Math.max(0, ...lengths),
      histogram: tokenHistogram(lengths, prepared.maxSeqLen),
    },
    funnel: prepared.funnel,
  };
}

const BAR = 40;

export function formatStats(stats: CorpusStats): string {
  const lines = [`hew-corpus stats: ${stats.samples} samples`, "by category:"];
  for (const [k, n] of Object.entries(stats.byCategory)) lines.push(`  ${k.padEnd(18)}${String(n).padStart(7)}`);
  lines.push("by source:");
  for (const [k, n] of Object.entries(stats.bySource)) lines.push(`  ${k.padEnd(18)}${String(n).padStart(7)}`);
  const v = stats.validation;
  lines.push(
    `validation: ${v.validSamples} of ${stats.samples} samples valid; blocks: ${v.pass} pass, ${v.fail} fail, ${v.checkerError} checker-error, ${v.unchecked} unchecked`,
  );
  const t = stats.tokens;
  lines.push(`tokens (Qwen3 chat template, system prompt included): mean ${t.mean}, max ${t.max}, total ${t.total}; maxSeqLen ${t.maxSeqLen}`);
  const most = Math.max(1, ...t.histogram.map((b) => b.samples));
  for (const b of t.histogram) {
    const range = b.to === undefined ? `> ${t.maxSeqLen}` : `${b.from}-${b.to}`;
    lines.push(`  ${range.padStart(11)} ${String(b.samples).padStart(6)} ${"#".repeat(Math.round((b.samples / most) * BAR))}`);
  }
  return lines.join("\n");
}
