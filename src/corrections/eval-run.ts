import { readdir, stat } from "node:fs/promises";
import { extname, join } from "node:path";
import { z } from "zod";
import { FailureCategoryIdSchema } from "../schema/corrections.js";
import { EvalCategorySchema } from "../schema/sample.js";
import { VerdictStatusSchema } from "../schema/verdict.js";
import { UserError, errorMessage, formatZodIssues } from "../util/errors.js";
import { readTextFile } from "../util/read-text.js";

/**
 * The part of an eval run's answer record that corrections read: one JSON object per line. Other fields
 * (the answer, its verdict, timings) are allowed and ignored.
 */
export const EvalAnswerSchema = z
  .looseObject({
    promptId: z.string().min(1),
    category: EvalCategorySchema,
    status: VerdictStatusSchema,
    /** The failure category the classifier gave a failing answer. */
    failureCategory: FailureCategoryIdSchema.optional(),
  })
  .superRefine((a, ctx) => {
    if (a.status === "fail" && a.failureCategory === undefined) {
      ctx.addIssue({ code: "custom", path: ["failureCategory"], message: "expected the failure category of a failing answer" });
    }
  });
export type EvalAnswer = z.infer<typeof EvalAnswerSchema>;

export function parseEvalRun(text: string, file: string): EvalAnswer[] {
  const answers: EvalAnswer[] = [];
  const errors: string[] = [];
  text.split("\n").forEach((raw, i) => {
    if (raw.trim() === "") return;
    let value: unknown;
    try {
      value = JSON.parse(raw);
    } catch (err) {
      errors.push(`${file}:${i + 1}: invalid JSON: ${errorMessage(err)}`);
      return;
    }
    const parsed = EvalAnswerSchema.safeParse(value);
    if (parsed.success) answers.push(parsed.data);
    else errors.push(formatZodIssues(parsed.error.issues, { file, line: i + 1 }));
  });
  if (errors.length > 0) throw new UserError(errors.slice(0, 20).join("\n"));
  return answers;
}

/** An eval run: a JSONL file of answers, or a folder whose `*.jsonl` files hold them. */
export async function readEvalRun(path: string): Promise<EvalAnswer[]> {
  let files = [path];
  let isDir: boolean;
  try {
    isDir = (await stat(path)).isDirectory();
  } catch (err) {
    throw new UserError(`${path}: cannot read the eval run: ${errorMessage(err)}`);
  }
  if (isDir) files = (await readdir(path)).filter((n) => extname(n) === ".jsonl").sort().map((n) => join(path, n));
  const answers: EvalAnswer[] = [];
  for (const file of files) answers.push(...parseEvalRun(await readTextFile(file, "eval run"), file));
  if (answers.length === 0) throw new UserError(`${path}: the eval run holds no answers (expected JSONL records with promptId, category, status)`);
  return answers;
}
