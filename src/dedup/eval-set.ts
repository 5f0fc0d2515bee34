import { z } from "zod";
import { readYamlFile } from "../util/yaml-file.js";

/**
 * The part of the eval prompt set that contamination needs: each prompt and its reference solution.
 * Other keys are allowed, so the eval set can carry more than this reads.
 */
export const EvalItemSchema = z.looseObject({
  id: z.string().min(1),
  category: z.string().min(1),
  prompt: z.string().min(1),
  reference: z.string().min(1),
});
export type EvalItem = z.infer<typeof EvalItemSchema>;

export const EvalItemsFileSchema = z.looseObject({
  prompts: z
    .array(EvalItemSchema)
    .min(1, "expected at least one eval prompt")
    .superRefine((prompts, ctx) => {
      const seen = new Set<string>();
      prompts.forEach((p, i) => {
        if (seen.has(p.id)) ctx.addIssue({ code: "custom", path: [i, "id"], message: `duplicate eval prompt id "${p.id}"` });
        seen.add(p.id);
      });
    }),
});

export async function loadEvalItems(file: string): Promise<EvalItem[]> {
  return (await readYamlFile(file, EvalItemsFileSchema)).prompts;
}
