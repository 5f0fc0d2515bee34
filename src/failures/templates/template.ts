import type { SampleCategory } from "../../schema/sample.js";
import type { Picker } from "../picker.js";

/** One rendering of a template: a request, the program that answers it, and the same program with the mistake. */
export interface TemplateInstance {
  request: string;
  /** A complete program that must pass the checker. */
  correct: string;
  /** The program as a model gets it wrong; it must fail, in the template's failure category. */
  wrong: string;
}

/**
 * A correction template: parameterised (names, types, sizes, wording) so that one template renders many
 * distinct instances, each deterministic from its seed.
 */
export interface CorrectionTemplate {
  /** Unique in the registry, kebab-case. */
  id: string;
  /** The eval area its samples belong to. */
  category: SampleCategory;
  description: string;
  render(pick: Picker): TemplateInstance;
}

/** Indent every non-empty line of a code fragment. */
export function indent(code: string, spaces = 4): string {
  const pad = " ".repeat(spaces);
  return code
    .split("\n")
    .map((l) => (l ? pad + l : l))
    .join("\n");
}
