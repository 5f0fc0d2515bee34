import { relative } from "node:path";
import type { SystemPromptStore } from "../chatml/system-prompt.js";
import type { LoadedPromptSet } from "../eval/prompt-set.js";
import type { HewExpectation } from "../failures/expectations.js";
import { Picker } from "../failures/picker.js";
import { failureRegistry } from "../failures/registry.js";
import { versionExpectations } from "./rule-examples.js";

/**
 * Every correction template's right form (must pass) and wrong form (must fail in its category), for a
 * few seeds: a template is only as good as the compiler's agreement with both.
 */
export function templateExpectations(renderings: number, seedPrefix = "drift"): HewExpectation[] {
  return failureRegistry.flatMap((category) =>
    category.templates.flatMap((template) =>
      Array.from({ length: renderings }, (_, i): HewExpectation[] => {
        const instance = template.render(new Picker(`${seedPrefix}-${i}`));
        const at = `template ${template.id} seed ${seedPrefix}-${i}`;
        return [
          { label: `${at} right`, program: instance.correct, expect: "pass" },
          { label: `${at} wrong`, program: instance.wrong, expect: { fails: category.id } },
        ];
      }).flat(),
    ),
  );
}

/** Every eval prompt's reference solution must pass: it proves the prompt can be answered in today's Hew. */
export function referenceExpectations(prompts: LoadedPromptSet, root: string): HewExpectation[] {
  const file = relative(root, prompts.file);
  return prompts.set.prompts.map((p) => ({ label: `${file} [${p.id}] reference`, program: p.reference, expect: "pass" }));
}

/** Every rule example of every system-prompt version. */
export function ruleExampleExpectations(store: SystemPromptStore): HewExpectation[] {
  return [...store.versions.values()].flatMap(versionExpectations);
}
