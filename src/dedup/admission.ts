import type { ContaminationConfig } from "../schema/dedup.js";
import type { EvalPrompt } from "../schema/eval.js";
import type { Sample } from "../schema/sample.js";
import { findContamination } from "./contamination.js";
import { fingerprint, signatureOf, type Fingerprint, type ShinglingOptions } from "./fingerprint.js";
import { jaccard } from "./hashing.js";
import { chooseBanding, LshIndex } from "./lsh.js";
import { sampleCode, samplePrompt } from "./terms.js";

export interface AdmissionOptions extends ShinglingOptions {
  /** Jaccard over code shingles from which a new sample is a near-duplicate (the export's threshold). */
  threshold: number;
  /** How a leak of an eval prompt or reference is found (the export's rules); needed with eval items. */
  contamination?: ContaminationConfig;
}

/** The sample a candidate repeats, and how: the same normalised sample, the same normalised code, or near. */
export interface DuplicateFinding {
  of: string;
  match: "same-sample" | "same-code" | "near";
  similarity: number;
}

export type AdmissionVerdict =
  | { admit: true }
  | ({ admit: false; reason: "duplicate" } & DuplicateFinding)
  | { admit: false; reason: "leak"; evalIds: string[] };

/**
 * The gate a new sample passes before it joins a corpus, by the export's own rules, so that a sample admitted
 * here is one the export will not drop: not a copy (exact or near) of a corpus sample or of a sample admitted
 * earlier through this gate, and no leak of an eval prompt or reference. Candidates are judged one at a time,
 * in the caller's order, so the first of two near-identical candidates is the one kept.
 */
export class AdmissionGate {
  private readonly ids: string[] = [];
  private readonly fps: Fingerprint[] = [];
  private readonly byHash = new Map<string, number>();
  private readonly lsh: LshIndex;
  private readonly evalFps: Fingerprint[];

  constructor(
    corpus: readonly Sample[],
    private readonly options: AdmissionOptions,
    private readonly evalItems: readonly EvalPrompt[] = [],
  ) {
    if (evalItems.length > 0 && !options.contamination) throw new Error("AdmissionGate: eval items need the contamination settings");
    this.lsh = new LshIndex(chooseBanding(options.threshold));
    this.evalFps = evalItems.map((e) => fingerprint({ prompt: e.prompt, code: [e.reference] }, options));
    for (const s of corpus) this.add(s.id, this.fingerprintOf(s));
  }

  private fingerprintOf(sample: Sample): Fingerprint {
    return fingerprint({ prompt: samplePrompt(sample), code: sampleCode(sample) }, this.options);
  }

  private add(id: string, fp: Fingerprint): void {
    const i = this.ids.length;
    this.ids.push(id);
    this.fps.push(fp);
    const keys = [`sample:${fp.sampleHash}`, ...(fp.codeHash === undefined ? [] : [`code:${fp.codeHash}`])];
    for (const key of keys) if (!this.byHash.has(key)) this.byHash.set(key, i);
    if (fp.codeShingles.length > 0) this.lsh.add(i, signatureOf(fp, "code"));
  }

  private duplicateOf(fp: Fingerprint): DuplicateFinding | undefined {
    const sameSample = this.byHash.get(`sample:${fp.sampleHash}`);
    if (sameSample !== undefined) return { of: this.ids[sameSample]!, match: "same-sample", similarity: 1 };
    const sameCode = fp.codeHash === undefined ? undefined : this.byHash.get(`code:${fp.codeHash}`);
    if (sameCode !== undefined) return { of: this.ids[sameCode]!, match: "same-code", similarity: 1 };
    // Code shorter than one shingle has no shingles to compare; the exact matches above still catch its copies.
    if (fp.codeShingles.length === 0) return undefined;
    let best: DuplicateFinding | undefined;
    for (const i of this.lsh.query(signatureOf(fp, "code"))) {
      const similarity = jaccard(fp.codeShingles, this.fps[i]!.codeShingles);
      if (similarity >= this.options.threshold && similarity > (best?.similarity ?? 0)) best = { of: this.ids[i]!, match: "near", similarity };
    }
    return best;
  }

  /** Judge a candidate, and remember it when it is admitted. */
  consider(sample: Sample): AdmissionVerdict {
    const fp = this.fingerprintOf(sample);
    const duplicate = this.duplicateOf(fp);
    if (duplicate) return { admit: false, reason: "duplicate", ...duplicate };
    if (this.evalItems.length > 0) {
      const leaks = findContamination([{ sample, file: "", line: 0 }], [fp], this.evalItems, this.evalFps, this.options.contamination!);
      if (leaks.length > 0) return { admit: false, reason: "leak", evalIds: leaks.map((l) => l.evalId) };
    }
    this.add(sample.id, fp);
    return { admit: true };
  }
}
