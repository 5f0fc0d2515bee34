import { z } from "zod";

const ruleId = z.string().regex(/^[a-z0-9][a-z0-9-]*$/, "expected a kebab-case id such as int-types");
const versionId = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, "expected a version id of letters, digits, '.', '_' and '-'");

const program = z.string().regex(/\S/, "expected a Hew program");

/** Hew that must fail, and how: with a diagnostic code (`UndefinedType`) or in a failure category (`integer-type`). */
export const BadExampleSchema = z.strictObject({
  program,
  fails: z.string().regex(/^[A-Za-z][A-Za-z0-9_-]*$/, "expected a diagnostic code such as UndefinedType or a failure category id such as integer-type"),
});
export type BadExample = z.infer<typeof BadExampleSchema>;

/** What a rule teaches, as Hew the compiler judges: `good` programs must pass, `bad` ones must fail as stated. */
export const RuleExamplesSchema = z.strictObject({
  good: z.array(program).default([]),
  bad: z.array(BadExampleSchema).default([]),
});
export type RuleExamples = z.infer<typeof RuleExamplesSchema>;

export const SystemPromptRuleSchema = z.strictObject({
  id: ruleId,
  text: z.string().min(1),
  /** The failure category (id from the failure registry) this rule fights. */
  category: z.string().min(1).optional(),
  /** The version that introduced the rule; kept when its text changes later. */
  addedIn: versionId,
  reason: z.string().optional(),
  /** Checked by `prompt check` and `drift`: a rule whose examples the compiler disagrees with is stale. */
  examples: RuleExamplesSchema.optional(),
});
export type SystemPromptRule = z.infer<typeof SystemPromptRuleSchema>;

export const SystemPromptVersionSchema = z
  .strictObject({
    id: versionId,
    parent: versionId.optional(),
    description: z.string().optional(),
    preamble: z.string(),
    rules: z.array(SystemPromptRuleSchema),
  })
  .superRefine((v, ctx) => {
    const seen = new Set<string>();
    v.rules.forEach((rule, i) => {
      if (seen.has(rule.id)) ctx.addIssue({ code: "custom", path: ["rules", i, "id"], message: `duplicate rule id "${rule.id}"` });
      seen.add(rule.id);
    });
  });
export type SystemPromptVersion = z.infer<typeof SystemPromptVersionSchema>;
