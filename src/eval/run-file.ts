import { existsSync } from "node:fs";
import { mkdir, open, readdir, type FileHandle } from "node:fs/promises";
import { dirname, join } from "node:path";
import { EvalRunRecordSchema, type EvalAnswer, type EvalRun, type EvalRunEnd, type EvalRunHeader } from "../schema/eval.js";
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

const runExists = (file: string) => new UserError(`${file}: a run with this id exists; choose another run id`);

/** Written whole or not at all; an existing run is never overwritten (runs are records). */
export async function writeEvalRun(file: string, run: EvalRun): Promise<void> {
  if (existsSync(file)) throw runExists(file);
  await writeFileAtomic(file, formatEvalRun(run));
}

/** A run file written as the run goes: the header, each answer as it comes, the end record when it ends. */
export interface EvalRunLog {
  append(answer: EvalAnswer): Promise<void>;
  finish(end: Omit<EvalRunEnd, "type">): Promise<void>;
  close(): Promise<void>;
}

/**
 * Start a run file that grows line by line. Not atomic, on purpose: a run killed after an hour keeps every
 * answer it had (each line is written whole; a reader sees the missing end record and calls the run
 * unfinished). The file is created exclusively, so a run with this id is never overwritten.
 */
export async function openEvalRunLog(file: string, header: EvalRunHeader): Promise<EvalRunLog> {
  await mkdir(dirname(file), { recursive: true });
  let handle: FileHandle;
  try {
    handle = await open(file, "ax");
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "EEXIST") throw runExists(file);
    throw err;
  }
  // Writes queue one behind another, so lines never interleave whatever order the answers finish in.
  const line = async (record: object) => void (await handle.write(JSON.stringify(record) + "\n"));
  let tail: Promise<void> = line(header);
  const write = (record: object) => (tail = tail.then(() => line(record)));
  let closed = false;
  return {
    append: (answer) => write(answer),
    finish: async (end) => {
      await write({ type: "end", ...end });
      await handle.sync();
    },
    close: async () => {
      if (closed) return;
      closed = true;
      await tail.catch(() => {});
      await handle.close();
    },
  };
}

export function parseEvalRun(text: string, file: string): EvalRun {
  const records = parseJsonLines(text, file, EvalRunRecordSchema);
  const headers = records.filter((r) => r.value.type === "header");
  const errors: string[] = [];
  if (headers.length === 0) errors.push(`${file}: no header record; expected an eval run written by hew-corpus`);
  for (const extra of headers.slice(1)) errors.push(`${file}:${extra.line}: a second header; expected one, on the first line`);
  if (headers[0] && headers[0] !== records[0]) errors.push(`${file}:${headers[0].line}: the header comes after answers; expected it on the first line`);
  const ends = records.filter((r) => r.value.type === "end");
  for (const extra of ends.slice(1)) errors.push(`${file}:${extra.line}: a second end record; expected one, on the last line`);
  if (ends[0] && ends[0] !== records.at(-1)) errors.push(`${file}:${ends[0].line}: the end record comes before answers; expected it on the last line`);
  throwErrors(errors);
  const header = headers[0]!.value as EvalRunHeader;
  const end = ends[0]?.value as EvalRunEnd | undefined;
  return {
    header: end ? { ...header, finishedAt: end.finishedAt, wallMs: end.wallMs } : header,
    // stable: runs written before answers had an index keep their file order
    answers: records.flatMap((r) => (r.value.type === "answer" ? [r.value] : [])).sort((a, b) => (a.index ?? 0) - (b.index ?? 0)),
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
