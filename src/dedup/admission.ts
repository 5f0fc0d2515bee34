import type { Sample } from "../schema/sample.js";
import { jaccard } from "./hashing.js";
import { fingerprint, type Fingerprint, type ShinglingOptions } from "./fingerprint.js";
import { sampleCode, samplePrompt } from "./terms.js";

export interface AdmissionOptions extends ShinglingOptions {
  /** Jaccard over code shingles from which a new sample is a near-duplicate (the export's threshold). */
  threshold: number;
}

/** Why a new sample would be dropped by the export's dedup: the sample it repeats, and how. */
export interface DuplicateFinding {
  of: string;
  match: "same-sample" | "same-code" | "near";
  similarity: number;
}

/**
 * A gate for new samples against a corpus and against each other, by the export's own rules (same
 * normalised code, same normalised prompt and code, or code shingles at the threshold): a sample admitted
 * here is one the export will not then drop as a duplicate.
 */
export class AdmissionIndex {
  private readonly entries: { id: string; fp: Fingerprint }[] = [];
  private readonly byCode = new Map<string, string>();
  private readonly bySample = new Map<string, string>();

  constructor(
    corpus: readonly Sample[],
    private readonly options: AdmissionOptions,
  ) {
    for (const sample of corpus) this.add(sample.id, this.fingerprintOf(sample));
  }

  /** The corpus sample (or earlier admission) this one duplicates; undefined admits it into the index. */
  admit(sample: Sample): DuplicateFinding | undefined {
    const fp = this.fingerprintOf(sample);
    const found = this.find(fp);
    if (!found) this.add(sample.id, fp);
    return found;
  }

  private fingerprintOf(sample: Sample): Fingerprint {
    return fingerprint({ prompt: samplePrompt(sample), code: sampleCode(sample) }, this.options);
  }

  private find(fp: Fingerprint): DuplicateFinding | undefined {
    const sameSample = this.bySample.get(fp.sampleHash);
    if (sameSample) return { of: sameSample, match: "same-sample", similarity: 1 };
    const sameCode = fp.codeHash === undefined ? undefined : this.byCode.get(fp.codeHash);
    if (sameCode) return { of: sameCode, match: "same-code", similarity: 1 };
    // Code shorter than one shingle has no shingles to compare; exact matches above still catch its copies.
    if (fp.codeShingles.length === 0) return undefined;
    // Corrections are added tens at a time: a scan over the corpus is cheaper than building LSH bands.
    let best: DuplicateFinding | undefined;
    for (const e of this.entries) {
      const similarity = jaccard(fp.codeShingles, e.fp.codeShingles);
      if (similarity >= this.options.threshold && similarity > (best?.similarity ?? 0)) best = { of: e.id, match: "near", similarity };
    }
    return best;
  }

  private add(id: string, fp: Fingerprint): void {
    this.entries.push({ id, fp });
    this.bySample.set(fp.sampleHash, id);
    if (fp.codeHash !== undefined) this.byCode.set(fp.codeHash, id);
  }
}
