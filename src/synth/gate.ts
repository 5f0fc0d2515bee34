import fg from "fast-glob";
import { resolve } from "node:path";
import type { LoadedConfig } from "../config.js";
import { loadSamples } from "../chatml/load-corpus.js";
import type { LocatedSample } from "../chatml/jsonl.js";
import { AdmissionGate } from "../dedup/admission.js";
import { samplePrompt } from "../dedup/terms.js";
import { loadPromptSet } from "../eval/prompt-set.js";
import type { EvalPrompt } from "../schema/eval.js";

export interface GrowContext {
  /** The corpus as the config names it, plus the file new samples go to. */
  corpus: LocatedSample[];
  evalItems: EvalPrompt[];
  /** Every user request already written: the corpus's and the eval set's. */
  knownRequests: string[];
  /** A gate over the corpus and the eval set; samples whose ids are in `rejudge` are left out of the corpus side. */
  gate(rejudge?: ReadonlySet<string>): AdmissionGate;
}

/**
 * What a stage that grows the corpus compares its candidates with. The output file counts as corpus even
 * when the config's globs miss it, so a second run does not admit the first run's samples again.
 */
export async function loadGrowContext({ config, root }: LoadedConfig, outFiles: readonly string[]): Promise<GrowContext> {
  const files = new Set((await fg(config.corpus, { cwd: root, onlyFiles: true })).map((f) => resolve(root, f)));
  for (const out of outFiles) if ((await fg(fg.convertPathToPattern(out), { onlyFiles: true })).length > 0) files.add(resolve(out));
  const corpus = await loadSamples([...files].sort(), { cwd: root });
  const evalItems = (await loadPromptSet(resolve(root, config.evalPrompts))).set.prompts;
  return {
    corpus,
    evalItems,
    knownRequests: [...corpus.map((s) => samplePrompt(s.sample)), ...evalItems.map((e) => e.prompt)],
    gate: (rejudge) =>
      new AdmissionGate(
        (rejudge ? corpus.filter((s) => !rejudge.has(s.sample.id)) : corpus).map((s) => s.sample),
        config.dedup,
        evalItems,
      ),
  };
}
