import { existsSync } from "node:fs";
import { readdir } from "node:fs/promises";
import { join } from "node:path";
import { EvalRunRecordSchema, type EvalRun, type EvalRunHeader } from "../schema/eval.js";
import { writeFileAtomic } from "../util/atomic-write.js";
import { UserError } from "../util/errors.js";
import { parseJsonLines, throwErrors } from "../util/json-lines.js";
import { readTextFile } from "../util/read-text.js";

/** `<runsDir>/<runId>.jsonl` */
export function evalRunFile(runsDir: string, runId: string): string {
  return join(runsDir, `${runId}.jsonl`);
}

/** A header line, then one line per answer. */
export function formatEvalRun(run: EvalRun): string {
  return [run.header, ...run.answers].map((r) => JSON.stringify(r) + "\n").join("");
}

/** Written whole or not at all; an existing run is never overwritten (runs are records). */
export async function writeEvalRun(file: string, run: EvalRun): Promise<void> {
  if (existsSync(file)) throw new UserError(`${file}: a run with this id exists; choose another run id`);
  await writeFileAtomic(file, formatEvalRun(run));
}

export function parseEvalRun(text: string, file: string): EvalRun {
  const records = parseJsonLines(text, file, EvalRunRecordSchema);
  const headers = records.filter((r) => r.value.type === "header");
  const errors: string[] = [];
  if (headers.length === 0) errors.push(`${file}: no header record; expected an eval run written by hew-corpus`);
  for (const extra of headers.slice(1)) errors.push(`${file}:${extra.line}: a second header; expected one, on the first line`);
  if (headers[0] && headers[0] !== records[0]) errors.push(`${file}:${headers[0].line}: the header comes after answers; expected it on the first line`);
  throwErrors(errors);
  return {
    header: headers[0]!.value as EvalRunHeader,
    answers: records.flatMap((r) => (r.value.type === "answer" ? [r.value] : [])),
  };
}

export async function readEvalRun(file: string): Promise<EvalRun> {
  return parseEvalRun(await readTextFile(file, "eval run"), file);
}

/** A run named by its file, or by its id in the runs folder. */
export async function findEvalRun(ref: string, runsDir: string): Promise<string> {
  if (existsSync(ref)) return ref;
  const file = evalRunFile(runsDir, ref);
  if (existsSync(file)) return file;
  const known = existsSync(runsDir) ? (await readdir(runsDir)).filter((f) => f.endsWith(".jsonl")).map((f) => f.slice(0, -".jsonl".length)) : [];
  throw new UserError(`no eval run "${ref}": not a file, and not in ${runsDir}${known.length > 0 ? ` (runs there: ${known.sort().join(", ")})` : ""}`);
}
