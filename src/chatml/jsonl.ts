import { readTextFile } from "../util/read-text.js";
import { SampleSchema, type Sample, type SampleInput } from "../schema/sample.js";
import { parseJsonLines } from "../util/json-lines.js";
import { writeFileAtomic } from "../util/atomic-write.js";

/** A sample together with where it was read from, so every report can point at `file:line`. */
export interface LocatedSample {
  sample: Sample;
  file: string;
  /** 1-based line of the sample in its JSONL file. */
  line: number;
}

/** Parse JSONL text into samples; all problems are collected and thrown together as one UserError. */
export function parseSamplesJsonl(text: string, file: string): LocatedSample[] {
  return parseJsonLines(text, file, SampleSchema).map(({ value, line }) => ({ sample: value, file, line }));
}

export async function readSamplesJsonl(file: string): Promise<LocatedSample[]> {
  return parseSamplesJsonl(await readTextFile(file, "sample file"), file);
}

/** The canonical key order, so that a file written by hew-corpus reads back and re-writes byte for byte. */
export function canonicalSample(input: SampleInput): Sample {
  const s = SampleSchema.parse(input);
  const { category, source, correctsFailure, tags, systemPromptVersion, provenance } = s.meta;
  return {
    id: s.id,
    messages: s.messages.map(({ role, content }) => ({ role, content })),
    meta: {
      category,
      source,
      ...(correctsFailure === undefined ? {} : { correctsFailure }),
      tags,
      ...(systemPromptVersion === undefined ? {} : { systemPromptVersion }),
      ...(provenance === undefined ? {} : { provenance }),
    },
  };
}

export function formatSamplesJsonl(samples: readonly SampleInput[]): string {
  return samples.map((s) => JSON.stringify(canonicalSample(s)) + "\n").join("");
}

/** Write samples as JSONL, atomically: an interrupted run leaves the old file whole. */
export async function writeSamplesJsonl(file: string, samples: readonly SampleInput[]): Promise<void> {
  await writeFileAtomic(file, formatSamplesJsonl(samples));
}
