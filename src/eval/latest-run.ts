import { existsSync } from "node:fs";
import { readdir } from "node:fs/promises";
import { join } from "node:path";
import type { EvalSummary } from "../schema/eval.js";
import { readEvalRun } from "./run-file.js";
import { summarizeEvalRun } from "./summary.js";

/** The summary of the run in `runsDir` that finished last; undefined when none finished. */
export async function latestEvalSummary(runsDir: string): Promise<EvalSummary | undefined> {
  if (!existsSync(runsDir)) return undefined;
  const files = (await readdir(runsDir)).filter((f) => f.endsWith(".jsonl")).sort();
  let latest: { finishedAt: string; file: string } | undefined;
  for (const f of files) {
    const file = join(runsDir, f);
    const { header } = await readEvalRun(file);
    // a run killed half-way measured only some prompts: it does not speak for the model
    if (header.finishedAt === undefined) continue;
    if (!latest || header.finishedAt > latest.finishedAt) latest = { finishedAt: header.finishedAt, file };
  }
  return latest ? summarizeEvalRun(await readEvalRun(latest.file)) : undefined;
}
