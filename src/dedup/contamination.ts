import type { LocatedSample } from "../chatml/jsonl.js";
import type { EvalPrompt } from "../schema/eval.js";
import { signatureOf, type Fingerprint } from "./fingerprint.js";
import { jaccard, windowHashes } from "./hashing.js";
import { chooseBanding, LshIndex } from "./lsh.js";
import { lexHew } from "./hew-lexer.js";
import { codeWords, proseWords, sampleCode, samplePrompt } from "./terms.js";

export type LeakEvidence =
  /** The sample's prompt (or code) holds a run of `ngram` tokens of the eval prompt (or reference). */
  | { kind: "prompt-ngram" | "code-ngram"; text: string; count: number }
  /** The shingle sets are this similar. */
  | { kind: "prompt-similar" | "code-similar"; jaccard: number };

export interface Leak {
  sampleId: string;
  file: string;
  line: number;
  evalId: string;
  evidence: LeakEvidence[];
}

export interface ContaminationOptions {
  ngram: number;
  threshold: number;
}

type Part = "prompt" | "code";
const PARTS: Part[] = ["prompt", "code"];

const wordsOf = (fp: Fingerprint, part: Part) => (part === "prompt" ? fp.promptWords : fp.codeWords);
const shinglesOf = (fp: Fingerprint, part: Part) => (part === "prompt" ? fp.promptShingles : fp.codeShingles);

function sameRun(a: Uint32Array, i: number, b: Uint32Array, j: number, n: number): boolean {
  for (let k = 0; k < n; k++) if (a[i + k] !== b[j + k]) return false;
  return true;
}

/** Where each eval item's n-grams start, by n-gram hash. */
function ngramIndex(evalFps: readonly Fingerprint[], part: Part, n: number): Map<number, { item: number; at: number }[]> {
  const index = new Map<number, { item: number; at: number }[]>();
  evalFps.forEach((fp, item) => {
    const terms = wordsOf(fp, part);
    if (terms.length < n) return;
    windowHashes(terms, n).forEach((h, at) => {
      const list = index.get(h);
      if (list) list.push({ item, at });
      else index.set(h, [{ item, at }]);
    });
  });
  return index;
}

/**
 * Which training samples leak which eval prompts: an exact run of `ngram` tokens shared with the eval
 * prompt (prompt against prompt) or its reference (code against code), or shingle sets whose Jaccard
 * similarity reaches `threshold` (MinHash LSH proposes, the exact sets confirm). `sampleFps[i]` belongs
 * to `samples[i]`, `evalFps[k]` to `evalItems[k]`; leaks come in corpus order, then eval order.
 */
export function findContamination(
  samples: readonly LocatedSample[],
  sampleFps: readonly Fingerprint[],
  evalItems: readonly EvalPrompt[],
  evalFps: readonly Fingerprint[],
  { ngram, threshold }: ContaminationOptions,
): Leak[] {
  const ngrams = { prompt: ngramIndex(evalFps, "prompt", ngram), code: ngramIndex(evalFps, "code", ngram) };
  const banding = chooseBanding(threshold);
  const lsh = { prompt: new LshIndex(banding), code: new LshIndex(banding) };
  for (const part of PARTS) evalFps.forEach((fp, k) => shinglesOf(fp, part).length > 0 && lsh[part].add(k, signatureOf(fp, part)));

  const leaks: Leak[] = [];
  sampleFps.forEach((fp, i) => {
    const found = new Map<number, LeakEvidence[]>();
    const add = (item: number, evidence: LeakEvidence) => found.set(item, [...(found.get(item) ?? []), evidence]);
    for (const part of PARTS) {
      const terms = wordsOf(fp, part);
      const hits = new Map<number, { count: number; at: number }>();
      if (terms.length >= ngram) {
        windowHashes(terms, ngram).forEach((h, at) => {
          for (const e of ngrams[part].get(h) ?? []) {
            if (!sameRun(terms, at, wordsOf(evalFps[e.item]!, part), e.at, ngram)) continue;
            const hit = hits.get(e.item);
            if (hit) hit.count++;
            else hits.set(e.item, { count: 1, at });
          }
        });
      }
      if (hits.size > 0) {
        const sample = samples[i]!.sample;
        const words = part === "prompt" ? proseWords(samplePrompt(sample)) : sampleCode(sample).flatMap((code) => codeWords(lexHew(code)));
        for (const [item, { count, at }] of hits) add(item, { kind: `${part}-ngram`, text: words.slice(at, at + ngram).join(" "), count });
      }
      if (shinglesOf(fp, part).length === 0) continue;
      for (const item of lsh[part].query(signatureOf(fp, part))) {
        const j = jaccard(shinglesOf(fp, part), shinglesOf(evalFps[item]!, part));
        if (j >= threshold) add(item, { kind: `${part}-similar`, jaccard: j });
      }
    }
    const { sample, file, line } = samples[i]!;
    for (const item of [...found.keys()].sort((a, b) => a - b)) {
      leaks.push({ sampleId: sample.id, file, line, evalId: evalItems[item]!.id, evidence: found.get(item)! });
    }
  });
  return leaks;
}
