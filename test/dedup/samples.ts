import type { LocatedSample } from "../../src/chatml/jsonl.js";
import type { SampleSource } from "../../src/schema/sample.js";
import { fingerprint } from "../../src/dedup/fingerprint.js";
import { TermHasher } from "../../src/dedup/hashing.js";
import { sampleCode, samplePrompt } from "../../src/dedup/terms.js";

export interface SampleOptions {
  prompt?: string;
  source?: SampleSource;
  systemPromptVersion?: string;
  line?: number;
}

/** A sample answering with one Hew block, placed at corpus.jsonl:line. */
export function located(id: string, code: string, options: SampleOptions = {}): LocatedSample {
  return {
    file: "corpus.jsonl",
    line: options.line ?? 1,
    sample: {
      id,
      messages: [
        { role: "user", content: options.prompt ?? `Write the program ${id}.` },
        { role: "assistant", content: "```hew\n" + code + "```" },
      ],
      meta: { category: "algorithms", source: options.source ?? "handwritten", tags: [], ...(options.systemPromptVersion ? { systemPromptVersion: options.systemPromptVersion } : {}) },
    },
  };
}

/** Samples numbered by line in the order given. */
export function corpus(...samples: LocatedSample[]): LocatedSample[] {
  return samples.map((s, i) => ({ ...s, line: i + 1 }));
}

export function fingerprints(samples: readonly LocatedSample[], abstract = true) {
  const hasher = new TermHasher();
  return samples.map((s) => fingerprint({ prompt: samplePrompt(s.sample), code: sampleCode(s.sample) }, { shingle: 5, abstract }, hasher));
}

/** Replace whole-word identifiers, as a renamed copy would. */
export function rename(code: string, names: Record<string, string>): string {
  return code.replace(/[A-Za-z_][A-Za-z0-9_]*/g, (w) => names[w] ?? w);
}
