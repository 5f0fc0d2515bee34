import fg from "fast-glob";
import { relative, resolve } from "node:path";
import { checkpoint } from "../util/abort.js";
import { UserError } from "../util/errors.js";
import { readTextFile } from "../util/read-text.js";
import { parseSamplesJsonl, type LocatedSample } from "./jsonl.js";

export interface LoadCorpusOptions {
  /** Resolve patterns against this folder; reported paths are relative to it. */
  cwd?: string;
  /** Where file text comes from; defaults to the file system (the pre-commit hook reads git's index). */
  readText?: (file: string) => Promise<string>;
  /** Stops between files when it fires. */
  signal?: AbortSignal;
}



/** Expand paths and globs to the JSONL files they name, sorted, each once. */
export async function resolveCorpusFiles(patterns: readonly string[], options: LoadCorpusOptions = {}): Promise<string[]> {
  const cwd = options.cwd ?? process.cwd();
  const files = new Set<string>();
  for (const pattern of patterns) {
    const matches = fg.isDynamicPattern(pattern)
      ? await fg(pattern, { cwd, onlyFiles: true, dot: false })
      : await fg(fg.convertPathToPattern(pattern).replace(/\/?$/, ""), { cwd, onlyFiles: false, markDirectories: true });
    if (matches.length === 0) throw new UserError(`${pattern}: no such file, folder or matching files`);
    for (const m of matches) {
      if (m.endsWith("/")) {
        const inDir = await fg(`${fg.convertPathToPattern(m)}**/*.jsonl`, { cwd, onlyFiles: true });
        inDir.forEach((f) => files.add(f));
      } else files.add(m);
    }
  }
  return [...files].map((f) => relative(cwd, resolve(cwd, f))).sort();
}

/** Read every sample of the given files; ids must be unique across the corpus. */
export async function loadSamples(files: readonly string[], options: LoadCorpusOptions = {}): Promise<LocatedSample[]> {
  const cwd = options.cwd ?? process.cwd();
  const readText = options.readText ?? ((file: string) => readTextFile(resolve(cwd, file), "sample file"));
  const all: LocatedSample[] = [];
  const errors: string[] = [];
  for (const file of files) {
    await checkpoint(options.signal, "load");
    try {
      all.push(...parseSamplesJsonl(await readText(file), file));
    } catch (err) {
      if (!(err instanceof UserError)) throw err;
      errors.push(err.message.replaceAll(resolve(cwd, file), file));
    }
  }
  const seen = new Map<string, LocatedSample>();
  for (const s of all) {
    const first = seen.get(s.sample.id);
    if (first) errors.push(`${s.file}:${s.line}: id: duplicate sample id "${s.sample.id}" (first at ${first.file}:${first.line})`);
    else seen.set(s.sample.id, s);
  }
  if (errors.length > 0) throw new UserError(errors.join("\n"));
  return all;
}

export async function loadCorpus(patterns: readonly string[], options: LoadCorpusOptions = {}): Promise<LocatedSample[]> {
  return loadSamples(await resolveCorpusFiles(patterns, options), options);
}
