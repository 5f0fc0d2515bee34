import { readTextFile } from "../util/read-text.js";
import { SampleSchema, type Sample, type SampleInput } from "../schema/sample.js";
import { UserError, formatZodIssues, errorMessage } from "../util/errors.js";
import { writeFileAtomic } from "../util/atomic-write.js";

/** A sample together with where it was read from, so every report can point at `file:line`. */
export interface LocatedSample {
  sample: Sample;
  file: string;
  /** 1-based line of the sample in its JSONL file. */
  line: number;
}

const MAX_ERRORS_SHOWN = 20;

/** Parse JSONL text into samples; all problems are collected and thrown together as one UserError. */
export function parseSamplesJsonl(text: string, file: string): LocatedSample[] {
  const out: LocatedSample[] = [];
  const errors: string[] = [];
  const lines = text.split("\n");
  lines.forEach((raw, i) => {
    const line = i + 1;
    if (raw.trim() === "") return;
    let value: unknown;
    try {
      value = JSON.parse(raw);
    } catch (err) {
      errors.push(`${file}:${line}: invalid JSON: ${errorMessage(err)}`);
      return;
    }
    const result = SampleSchema.safeParse(value);
    if (result.success) out.push({ sample: result.data, file, line });
    else errors.push(formatZodIssues(result.error.issues, { file, line }));
  });
  if (errors.length > 0) {
    const shown = errors.slice(0, MAX_ERRORS_SHOWN);
    if (errors.length > MAX_ERRORS_SHOWN) shown.push(`... and ${errors.length - MAX_ERRORS_SHOWN} more lines with errors`);
    throw new UserError(shown.join("\n"));
  }
  return out;
}

export async function readSamplesJsonl(file: string): Promise<LocatedSample[]> {
  return parseSamplesJsonl(await readTextFile(file, "sample file"), file);
}

/** The canonical key order, so that a file written by hew-corpus reads back and re-writes byte for byte. */
export function canonicalSample(input: SampleInput): Sample {
  const s = SampleSchema.parse(input);
  const { category, source, correctsFailure, tags, systemPromptVersion } = s.meta;
  return {
    id: s.id,
    messages: s.messages.map(({ role, content }) => ({ role, content })),
    meta: {
      category,
      source,
      ...(correctsFailure === undefined ? {} : { correctsFailure }),
      tags,
      ...(systemPromptVersion === undefined ? {} : { systemPromptVersion }),
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
