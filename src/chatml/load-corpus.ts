import fg from "fast-glob";
import micromatch from "micromatch";
import * as fs from "node:fs";
import { realpath } from "node:fs/promises";
import { relative, resolve } from "node:path";
import { checkpoint } from "../util/abort.js";
import { UserError, errorMessage } from "../util/errors.js";
import { decodeUtf8, readTextFile } from "../util/read-text.js";
import { parseSamplesJsonl, type LocatedSample } from "./jsonl.js";

export interface LoadCorpusOptions {
  /** Resolve patterns against this folder; reported paths are relative to it. */
  cwd?: string;
  /** Where file bytes come from; defaults to the file system (the pre-commit hook reads git's index). */
  readBytes?: (file: string) => Promise<Uint8Array>;
  /** A line to print before a pattern that matches nothing, e.g. that no config file named the patterns. */
  noMatchNote?: string;
  /** Stops between files when it fires. */
  signal?: AbortSignal;
}

/** An existing path is a path, even when its name holds glob characters (`a[1](x).jsonl`); anything else may be a glob. */
export function isGlob(pattern: string, cwd: string): boolean {
  return fg.isDynamicPattern(pattern) && !fs.existsSync(resolve(cwd, pattern));
}

/**
 * A file system for fast-glob that reads each real folder once: a symlink to a folder already walked (a
 * cycle such as `d/up -> ..`, or two links to one folder) adds nothing, instead of `d/up/d/up/...` copies
 * of the same samples or a walk that never ends.
 */
function walkOnce(): { adapter: Partial<fg.FileSystemAdapter>; followedLink: () => boolean } {
  const seen = new Set<string>();
  let followed = false;
  const readdir = ((path: string, options: unknown, callback?: unknown) => {
    const done = (typeof options === "function" ? options : callback) as (err: NodeJS.ErrnoException | null, entries: unknown[]) => void;
    const read = () => (typeof options === "function" ? fs.readdir(path, done) : fs.readdir(path, options as { withFileTypes: true }, done));
    fs.realpath(path, (err, real) => {
      if (err) return read();
      if (seen.has(real)) return done(null, []);
      seen.add(real);
      read();
    });
  }) as typeof fs.readdir;
  // fast-glob stats an entry only to follow a symbolic link.
  const stat = ((...args: Parameters<typeof fs.stat>) => {
    followed = true;
    return fs.stat(...args);
  }) as typeof fs.stat;
  return { adapter: { readdir, stat }, followedLink: () => followed };
}

/** fast-glob, with a folder it cannot read (EACCES, ELOOP) as one line naming it, not Node's stack. */
async function glob(pattern: string, options: fg.Options, where: string): Promise<string[]> {
  try {
    return await fg(pattern, options);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === undefined) throw err;
    const path = (err as NodeJS.ErrnoException).path;
    throw new UserError(`${path ? relative(options.cwd ?? process.cwd(), path) || "." : where}: cannot read: ${errorMessage(err)}`);
  }
}

/** Expand paths and globs to the JSONL files they name, sorted, each real file once. */
export async function resolveCorpusFiles(patterns: readonly string[], options: LoadCorpusOptions = {}): Promise<string[]> {
  const cwd = options.cwd ?? process.cwd();
  const walk = walkOnce();
  const settings = { cwd, fs: walk.adapter };
  const files = new Set<string>();
  for (const pattern of patterns) {
    const matches = isGlob(pattern, cwd)
      ? await glob(pattern, { ...settings, onlyFiles: true, dot: false }, pattern)
      : await glob(fg.convertPathToPattern(pattern).replace(/\/?$/, ""), { ...settings, onlyFiles: false, markDirectories: true }, pattern);
    if (matches.length === 0) throw new UserError(`${options.noMatchNote ? `${options.noMatchNote}\n` : ""}${pattern}: no such file, folder or matching files`);
    for (const m of matches) {
      if (m.endsWith("/")) {
        const inDir = await glob(`${fg.convertPathToPattern(m)}**/*.jsonl`, { ...settings, onlyFiles: true }, m);
        inDir.forEach((f) => files.add(f));
      } else files.add(m);
    }
  }
  const sorted = [...files].map((f) => relative(cwd, resolve(cwd, f))).sort();
  if (!walk.followedLink()) return sorted;
  // Two links to one file would read it twice, and report every sample in it as a duplicate of itself.
  const real = new Set<string>();
  const once: string[] = [];
  for (const f of sorted) {
    const r = await realpath(resolve(cwd, f)).catch(() => resolve(cwd, f));
    if (real.has(r)) continue;
    real.add(r);
    once.push(f);
  }
  return once;
}

/**
 * Whether a path (relative to `cwd`) is one of the corpus files the patterns name, decided without the file
 * system, with fast-glob's own matcher: the pre-commit hook asks about files that may exist only in git's index.
 */
export function corpusMatcher(patterns: readonly string[], cwd: string): (file: string) => boolean {
  const tests = patterns.map((pattern) => {
    const path = relative(cwd, resolve(cwd, pattern));
    const inFolder = micromatch.matcher(path === "" ? "**/*.jsonl" : `${fg.convertPathToPattern(path)}/**/*.jsonl`);
    const glob = fg.isDynamicPattern(pattern) ? micromatch.matcher(pattern.replace(/^\.\//, "")) : undefined;
    return (file: string) => file === path || inFolder(file) || (glob?.(file) ?? false);
  });
  return (file) => tests.some((test) => test(file));
}

/** Read every sample of the given files; ids must be unique across the corpus. */
export async function loadSamples(files: readonly string[], options: LoadCorpusOptions = {}): Promise<LocatedSample[]> {
  const cwd = options.cwd ?? process.cwd();
  const read = options.readBytes;
  const readText = (file: string) => (read ? read(file).then((bytes) => decodeUtf8(bytes, file)) : readTextFile(resolve(cwd, file), "sample file"));
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
