import type { LocatedSample } from "../chatml/jsonl.js";
import type { DedupConfig } from "../schema/dedup.js";
import type { EvalPrompt } from "../schema/eval.js";
import type { Sample } from "../schema/sample.js";
import { findContamination } from "./contamination.js";
import { fingerprint, signatureOf, type Fingerprint } from "./fingerprint.js";
import { jaccard } from "./hashing.js";
import { chooseBanding, LshIndex } from "./lsh.js";
import { sampleCode, samplePrompt } from "./terms.js";

export type AdmissionVerdict =
  | { admit: true }
  | { admit: false; reason: "duplicate"; of: string; similarity: number }
  | { admit: false; reason: "leak"; evalIds: string[] };

/**
 * The gate a new sample passes before it joins a corpus: not a copy (exact or near, by the same measures
 * as `dedup`) of a corpus sample or of a sample admitted earlier through this gate, and no leak of an eval
 * prompt or reference (as `export` finds them). Candidates are judged one at a time, in the caller's order,
 * so the first of two near-identical candidates is the one kept.
 */
export class AdmissionGate {
  private readonly ids: string[] = [];
  private readonly fps: Fingerprint[] = [];
  private readonly byHash = new Map<string, number>();
  private readonly lsh: LshIndex;
  private readonly evalFps: Fingerprint[];

  constructor(
    corpus: readonly LocatedSample[],
    private readonly evalItems: readonly EvalPrompt[],
    private readonly config: DedupConfig,
  ) {
    this.lsh = new LshIndex(chooseBanding(config.threshold));
    this.evalFps = evalItems.map((e) => fingerprint({ prompt: e.prompt, code: [e.reference] }, this.shingling));
    for (const s of corpus) this.add(s.sample.id, this.fingerprintOf(s.sample));
  }

  private get shingling() {
    return { shingle: this.config.shingle, abstract: this.config.abstract };
  }

  private fingerprintOf(sample: Sample): Fingerprint {
    return fingerprint({ prompt: samplePrompt(sample), code: sampleCode(sample) }, this.shingling);
  }

  private add(id: string, fp: Fingerprint): void {
    const i = this.ids.length;
    this.ids.push(id);
    this.fps.push(fp);
    const keys = [`sample:${fp.sampleHash}`, ...(fp.codeHash === undefined ? [] : [`code:${fp.codeHash}`])];
    for (const key of keys) if (!this.byHash.has(key)) this.byHash.set(key, i);
    if (fp.codeShingles.length > 0) this.lsh.add(i, signatureOf(fp, "code"));
  }

  /** Judge a candidate, and remember it when it is admitted. */
  consider(sample: Sample): AdmissionVerdict {
    const fp = this.fingerprintOf(sample);
    const exact = (fp.codeHash === undefined ? undefined : this.byHash.get(`code:${fp.codeHash}`)) ?? this.byHash.get(`sample:${fp.sampleHash}`);
    if (exact !== undefined) return { admit: false, reason: "duplicate", of: this.ids[exact]!, similarity: 1 };
    if (fp.codeShingles.length > 0) {
      let best: { i: number; j: number } | undefined;
      for (const i of this.lsh.query(signatureOf(fp, "code"))) {
        const j = jaccard(fp.codeShingles, this.fps[i]!.codeShingles);
        if (j >= this.config.threshold && (!best || j > best.j)) best = { i, j };
      }
      if (best) return { admit: false, reason: "duplicate", of: this.ids[best.i]!, similarity: best.j };
    }
    const leaks = findContamination([{ sample, file: "", line: 0 }], [fp], this.evalItems, this.evalFps, this.config.contamination);
    if (leaks.length > 0) return { admit: false, reason: "leak", evalIds: leaks.map((l) => l.evalId) };
    this.add(sample.id, fp);
    return { admit: true };
  }
}
