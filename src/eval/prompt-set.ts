import { EvalPromptSetSchema, type EvalPrompt, type EvalPromptSet } from "../schema/eval.js";
import { EVAL_CATEGORIES } from "../schema/sample.js";
import { sha256Hex } from "../util/hash.js";
import { UserError } from "../util/errors.js";
import { readTextFile } from "../util/read-text.js";
import { parseYamlText } from "../util/yaml-file.js";

export interface LoadedPromptSet {
  set: EvalPromptSet;
  file: string;
  /** sha256 of the file's bytes: two runs with the same hash asked the same questions. */
  sha256: string;
}

/** Read and check a prompt set; every problem names the file, line and field. */
export async function loadPromptSet(file: string): Promise<LoadedPromptSet> {
  const text = await readTextFile(file, "eval prompt set");
  return { set: parseYamlText(text, file, EvalPromptSetSchema), file, sha256: sha256Hex(text) };
}

export interface PromptFilter {
  categories?: readonly string[];
  ids?: readonly string[];
}

/** The prompts a run asks: all, or those of the named categories and ids (either matches). */
export function selectPrompts(set: EvalPromptSet, filter: PromptFilter = {}): EvalPrompt[] {
  const categories = filter.categories ?? [];
  const ids = filter.ids ?? [];
  const unknownCategory = categories.find((c) => !(EVAL_CATEGORIES as readonly string[]).includes(c));
  if (unknownCategory) throw new UserError(`unknown eval category "${unknownCategory}"; known: ${EVAL_CATEGORIES.join(", ")}`);
  const unknownId = ids.find((id) => !set.prompts.some((p) => p.id === id));
  if (unknownId) throw new UserError(`no prompt "${unknownId}" in the prompt set`);
  if (categories.length === 0 && ids.length === 0) return set.prompts;
  return set.prompts.filter((p) => categories.includes(p.category) || ids.includes(p.id));
}
