import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { stringify } from "yaml";
import type { EvalPrompt } from "../../src/schema/eval.js";
import { STAND_IN, tempDir } from "../helpers/fixtures.js";

export interface EvalProjectOptions {
  /** Extra config keys (e.g. an `eval` section). */
  config?: Record<string, unknown>;
}

/**
 * A folder laid out as a user's project: a config that checks with the stand-in, a prompt set and two
 * short system-prompt versions (v2 is the latest).
 */
export async function evalProject(prompts: readonly EvalPrompt[], options: EvalProjectOptions = {}): Promise<string> {
  const dir = await tempDir();
  const config = { hew: STAND_IN, evalPrompts: "eval/prompts.yaml", systemPrompts: "system-prompts", cacheDir: ".cache", lock: "none.lock.jsonl", ...options.config };
  await writeFile(join(dir, "hew-corpus.config.yaml"), stringify(config));
  await mkdir(join(dir, "eval"));
  await writeFile(join(dir, "eval", "prompts.yaml"), stringify({ version: 3, prompts }));
  await mkdir(join(dir, "system-prompts"));
  await writeFile(join(dir, "system-prompts", "v1.yaml"), stringify({ id: "v1", preamble: "You write Hew.", rules: [] }));
  await writeFile(
    join(dir, "system-prompts", "v2.yaml"),
    stringify({ id: "v2", parent: "v1", preamble: "You write Hew.", rules: [{ id: "code-only", text: "Answer with code only.", addedIn: "v2" }] }),
  );
  return dir;
}
