import { existsSync } from "node:fs";
import { formatSamplesJsonl, parseSamplesJsonl } from "../chatml/jsonl.js";
import type { Sample } from "../schema/sample.js";
import { writeFileAtomic } from "../util/atomic-write.js";
import { readTextFile } from "../util/read-text.js";

/**
 * Append samples to a corpus file in one atomic write. Lines already there stay byte for byte, and a
 * sample whose id the file holds is skipped, so running the same generation twice adds nothing.
 */
export async function appendSamples(file: string, samples: readonly Sample[]): Promise<{ added: Sample[]; total: number }> {
  const text = existsSync(file) ? await readTextFile(file, "sample file") : "";
  const existing = parseSamplesJsonl(text, file);
  const have = new Set(existing.map((s) => s.sample.id));
  const added: Sample[] = [];
  for (const s of samples) {
    if (have.has(s.id)) continue;
    have.add(s.id);
    added.push(s);
  }
  if (added.length > 0) await writeFileAtomic(file, `${text}${text === "" || text.endsWith("\n") ? "" : "\n"}${formatSamplesJsonl(added)}`);
  return { added, total: existing.length + added.length };
}
