import type { LocatedSample } from "../chatml/jsonl.js";
import { systemPromptApplier, type SystemPromptStore } from "../chatml/system-prompt.js";
import type { TokenCountCache } from "../chatml/token-count-cache.js";
import { countTokens } from "../chatml/token-counts.js";
import { loadQwen3Tokenizer, type ChatTokenizer } from "../chatml/tokens.js";
import { findContamination, type Leak } from "../dedup/contamination.js";
import { dedupSamples, type DedupResult } from "../dedup/dedup.js";
import type { EvalPrompt } from "../schema/eval.js";
import { fingerprint } from "../dedup/fingerprint.js";
import { fingerprintAll } from "../dedup/fingerprint-pool.js";
import { promptVersionOrder } from "../dedup/keep-policy.js";
import { sampleCode, samplePrompt } from "../dedup/terms.js";
import type { DedupConfig } from "../schema/dedup.js";
import type { DropReason, Funnel } from "../schema/export.js";
import type { Sample } from "../schema/sample.js";
import type { SystemPromptVersion } from "../schema/system-prompt.js";
import type { Checker } from "../validate/checker.js";
import { describeBlockVerdict } from "../validate/report.js";
import { validateSamples, type SampleResult } from "../validate/validate-samples.js";
import { checkpoint } from "../util/abort.js";

export type PipelineStage = "validate" | "fingerprint" | "dedup" | "tokens";

export interface PrepareOptions {
  checker: Checker;
  signal?: AbortSignal;
  dedup: DedupConfig;
  evalItems: readonly EvalPrompt[];
  /** The version rendered into every sample. */
  systemPrompt: SystemPromptVersion;
  /** Orders versions for the keep policy's "newer-prompt"; natural order of ids without it. */
  systemPrompts?: SystemPromptStore;
  maxSeqLen: number;
  /** Defaults to Qwen3's. */
  tokenizer?: ChatTokenizer;
  /** Token counts of earlier runs (none without it). */
  tokenCache?: TokenCountCache;
  onProgress?: (stage: PipelineStage, done: number, total: number) => void;
}

export interface SampleDecision {
  sample: LocatedSample;
  /** The sample as it would be trained on: the chosen system prompt first. */
  rendered: Sample;
  /** Tokens of `rendered` through the model's chat template. */
  tokens: number;
  /** Absent when the sample ships. */
  dropped?: { reason: DropReason; detail: string };
}

export interface PreparedTrainingSet {
  /** Every loaded sample, in corpus order. */
  decisions: SampleDecision[];
  validation: SampleResult[];
  dedup: DedupResult;
  leaks: Leak[];
  funnel: Funnel;
  systemPrompt: SystemPromptVersion;
  tokenizer: ChatTokenizer;
  maxSeqLen: number;
}

function invalidity(result: SampleResult): SampleDecision["dropped"] {
  if (result.blocks.length === 0) return { reason: "no-code", detail: "no Hew code block" };
  const first = (pred: (b: SampleResult["blocks"][number]) => boolean) => result.blocks.find(pred);
  const failed = first((b) => b.verdict?.status === "fail");
  if (failed) return { reason: "fail", detail: describeBlockVerdict(failed) };
  const crashed = first((b) => b.verdict?.status === "checker-error");
  if (crashed) return { reason: "checker-error", detail: describeBlockVerdict(crashed) };
  const unchecked = first((b) => b.verdict === undefined);
  if (unchecked) return { reason: "unchecked", detail: describeBlockVerdict(unchecked) };
  return undefined;
}

/**
 * Everything export decides, without writing anything: validate (lock, cache, checker), deduplicate,
 * find eval leaks, render the system prompt and count tokens. A sample ships only when every block has a
 * passing verdict, no cluster drops it, it leaks no eval prompt and it fits in `maxSeqLen` tokens.
 */
export async function prepareTrainingSet(samples: readonly LocatedSample[], options: PrepareOptions): Promise<PreparedTrainingSet> {
  const progress = (stage: PipelineStage) => (done: number, total: number) => options.onProgress?.(stage, done, total);
  const validation = await validateSamples(samples, options.checker, {
    signal: options.signal,
    onProgress: ({ done, total }) => progress("validate")(done, total),
  });
  const passing = new Set(validation.filter((r) => r.valid).map((r) => r.sample.sample.id));

  const shingling = { shingle: options.dedup.shingle, abstract: options.dedup.abstract };
  const fingerprints = await fingerprintAll(
    samples.map((s) => ({ prompt: samplePrompt(s.sample), code: sampleCode(s.sample) })),
    { ...shingling, signal: options.signal, onProgress: progress("fingerprint") },
  );
  await checkpoint(options.signal, "dedup");
  const dedup = dedupSamples(samples, fingerprints, {
    threshold: options.dedup.threshold,
    keep: options.dedup.keep,
    passing: (id) => passing.has(id),
    newerPrompt: promptVersionOrder(options.systemPrompts),
    onProgress: progress("dedup"),
  });
  await checkpoint(options.signal, "contamination");
  const evalFingerprints = options.evalItems.map((e) => fingerprint({ prompt: e.prompt, code: [e.reference] }, shingling));
  const leaks = findContamination(samples, fingerprints, options.evalItems, evalFingerprints, options.dedup.contamination);
  const leaked = new Map<string, string[]>();
  for (const leak of leaks) leaked.set(leak.sampleId, [...(leaked.get(leak.sampleId) ?? []), leak.evalId]);

  await checkpoint(options.signal);

  const tokenizer = options.tokenizer ?? (await loadQwen3Tokenizer());
  const apply = systemPromptApplier(options.systemPrompt);
  const renderedAll = samples.map((s) => apply(s.sample));
  const counts = await countTokens(
    tokenizer,
    renderedAll.map((r) => r.messages),
    { cache: options.tokenCache, signal: options.signal, onProgress: progress("tokens") },
  );
  const decisions = samples.map((located, i): SampleDecision => {
    const rendered = renderedAll[i]!;
    const tokens = counts[i]!;
    const id = located.sample.id;
    const keptInstead = dedup.duplicateOf.get(id);
    const leaksTo = leaked.get(id);
    const dropped =
      invalidity(validation[i]!) ??
      (keptInstead !== undefined ? { reason: "duplicate" as const, detail: `duplicate of ${keptInstead}` } : undefined) ??
      (leaksTo ? { reason: "contaminated" as const, detail: `leaks eval prompt ${leaksTo.join(", ")}` } : undefined) ??
      (tokens > options.maxSeqLen ? { reason: "over-budget" as const, detail: `${tokens} tokens > maxSeqLen ${options.maxSeqLen}` } : undefined);
    return { sample: located, rendered, tokens, dropped };
  });

  const passed = (upTo: readonly DropReason[]) => decisions.filter((d) => !d.dropped || !upTo.includes(d.dropped.reason)).length;
  const invalid: DropReason[] = ["no-code", "fail", "checker-error", "unchecked"];
  const funnel: Funnel = {
    loaded: samples.length,
    valid: passed(invalid),
    unique: passed([...invalid, "duplicate"]),
    clean: passed([...invalid, "duplicate", "contaminated"]),
    withinBudget: passed([...invalid, "duplicate", "contaminated", "over-budget"]),
    exported: decisions.filter((d) => !d.dropped).length,
  };
  return { decisions, validation, dedup, leaks, funnel, systemPrompt: options.systemPrompt, tokenizer, maxSeqLen: options.maxSeqLen };
}
