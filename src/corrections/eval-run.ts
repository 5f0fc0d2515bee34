import { readdir, stat } from "node:fs/promises";
import { extname, join } from "node:path";
import { readEvalRun } from "../eval/run-file.js";
import type { EvalAnswer } from "../schema/eval.js";
import { UserError, errorMessage } from "../util/errors.js";

/** What corrections read of an eval answer: which prompt, its area, how it ended and why it failed. */
export type RunAnswer = Pick<EvalAnswer, "promptId" | "category" | "outcome" | "failureCategory">;

/** The answers of eval runs saved by `hew-corpus eval`: one run file, or a folder whose `*.jsonl` runs are read together. */
export async function readRunAnswers(path: string): Promise<EvalAnswer[]> {
  let isDir: boolean;
  try {
    isDir = (await stat(path)).isDirectory();
  } catch (err) {
    throw new UserError(`${path}: cannot read the eval run: ${errorMessage(err)}`);
  }
  const files = isDir ? (await readdir(path)).filter((n) => extname(n) === ".jsonl").sort().map((n) => join(path, n)) : [path];
  const answers: EvalAnswer[] = [];
  for (const file of files) answers.push(...(await readEvalRun(file)).answers);
  if (answers.length === 0) throw new UserError(`${path}: the eval run holds no answers`);
  return answers;
}
