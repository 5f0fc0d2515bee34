import { readdir, stat } from "node:fs/promises";
import { extname, join } from "node:path";
import { z } from "zod";
import { FailureCategoryIdSchema } from "../schema/corrections.js";
import { EvalCategorySchema } from "../schema/sample.js";
import { UserError, errorMessage, formatZodIssues } from "../util/errors.js";
import { readTextFile } from "../util/read-text.js";

/** How an eval answer ended; only `pass` passes. */
export const RunOutcomeSchema = z.enum(["pass", "fail", "checker-error", "unchecked", "no-code", "model-error"]);

/**
 * The part of an eval run's answer record that corrections read. A run file is JSONL: a `header` record,
 * then one record per answer; other fields (the answer, its verdict, timings) are allowed and ignored.
 */
export const RunAnswerSchema = z
  .looseObject({
    promptId: z.string().min(1),
    category: EvalCategorySchema,
    outcome: RunOutcomeSchema,
    /** The failure category the classifier gave a failing answer. */
    failureCategory: FailureCategoryIdSchema.optional(),
  })
  .superRefine((a, ctx) => {
    if (a.outcome === "fail" && a.failureCategory === undefined) {
      ctx.addIssue({ code: "custom", path: ["failureCategory"], message: "expected the failure category of a failing answer" });
    }
  });
export type RunAnswer = z.infer<typeof RunAnswerSchema>;

const isHeader = (value: unknown) => typeof value === "object" && value !== null && (value as { type?: unknown }).type === "header";

export function parseRunAnswers(text: string, file: string): RunAnswer[] {
  const answers: RunAnswer[] = [];
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
    if (isHeader(value)) return;
    const parsed = RunAnswerSchema.safeParse(value);
    if (parsed.success) answers.push(parsed.data);
    else errors.push(formatZodIssues(parsed.error.issues, { file, line: i + 1 }));
  });
  if (errors.length > 0) throw new UserError(errors.slice(0, 20).join("\n"));
  return answers;
}

/** The answers of an eval run: a run file, or a folder whose `*.jsonl` files are read together. */
export async function readRunAnswers(path: string): Promise<RunAnswer[]> {
  let isDir: boolean;
  try {
    isDir = (await stat(path)).isDirectory();
  } catch (err) {
    throw new UserError(`${path}: cannot read the eval run: ${errorMessage(err)}`);
  }
  const files = isDir ? (await readdir(path)).filter((n) => extname(n) === ".jsonl").sort().map((n) => join(path, n)) : [path];
  const answers: RunAnswer[] = [];
  for (const file of files) answers.push(...parseRunAnswers(await readTextFile(file, "eval run"), file));
  if (answers.length === 0) throw new UserError(`${path}: the eval run holds no answers (expected JSONL records with promptId, category, outcome)`);
  return answers;
}
