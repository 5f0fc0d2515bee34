import { realpath } from "node:fs/promises";
import { join, relative } from "node:path";
import type { LocatedSample } from "../chatml/jsonl.js";
import { corpusMatcher, loadSamples } from "../chatml/load-corpus.js";
import { UserError } from "../util/errors.js";
import { git, gitBlobs } from "../util/git.js";

/** Paths or globs, relative to `base`. */
export interface PathSet {
  patterns: readonly string[];
  base: string;
}

export interface StagedCorpusOptions {
  /** The whole corpus (the config's patterns and folder): staged ids must be unique across it. */
  corpus: PathSet;
  /** Judge only the staged files among these; default: the corpus. Reported paths are relative to its base. */
  only?: PathSet;
}

interface IndexEntry {
  path: string;
  object: string;
}

/** Regular files in git's index (`git ls-files -s`), relative to the repository top. */
function parseIndex(out: string): IndexEntry[] {
  return out
    .split("\0")
    .filter(Boolean)
    .flatMap((record) => {
      const [meta, path] = record.split("\t") as [string, string];
      const [mode, object] = meta.split(" ") as [string, string];
      // Symbolic links (120000) and submodules (160000) hold no sample text.
      return mode === "100644" || mode === "100755" ? [{ path, object }] : [];
    });
}

/** The first line of each id in a committed file; a line that does not parse is that file's own business. */
function committedIds(text: string, file: string, into: Map<string, string>): void {
  text.split("\n").forEach((raw, i) => {
    if (!raw.includes('"id"')) return;
    try {
      const id = (JSON.parse(raw) as { id?: unknown }).id;
      if (typeof id === "string" && !into.has(id)) into.set(id, `${file}:${i + 1}`);
    } catch {
      // Not this commit's doing: only the staged files are judged.
    }
  });
}

/**
 * The samples of the corpus files the next commit adds or changes, read from git's index (what the commit
 * will hold, whatever the working tree has), with their ids checked against every other corpus file in the
 * index. A file deleted by the commit is simply absent.
 */
export async function loadStagedCorpus({ corpus, only = corpus }: StagedCorpusOptions): Promise<LocatedSample[]> {
  const base = await realpath(only.base);
  const corpusBase = await realpath(corpus.base);
  const top = (await git(["rev-parse", "--show-toplevel"], base)).trim();
  const [index, changed] = await Promise.all([
    git(["ls-files", "-s", "-z"], top).then(parseIndex),
    git(["diff", "--cached", "--name-only", "-z", "--diff-filter=ACMRT"], top).then((out) => new Set(out.split("\0").filter(Boolean))),
  ]);
  const inCorpus = corpusMatcher(corpus.patterns, corpusBase);
  const judged = only === corpus ? inCorpus : corpusMatcher(only.patterns, base);
  const name = (entry: IndexEntry) => relative(base, join(top, entry.path));
  const staged: IndexEntry[] = [];
  const others: IndexEntry[] = [];
  for (const entry of index) {
    const isCorpus = inCorpus(relative(corpusBase, join(top, entry.path)));
    if (changed.has(entry.path) && (only === corpus ? isCorpus : judged(name(entry)))) staged.push(entry);
    else if (isCorpus) others.push(entry);
  }
  // A commit that changes no sample needs nothing read.
  if (staged.length === 0) return [];
  const blobs = await gitBlobs([...staged, ...others].map((e) => e.object), top);
  const bytes = new Map(staged.map((e, i) => [name(e), blobs[i]!]));
  const samples = await loadSamples([...bytes.keys()], { cwd: base, readBytes: async (file) => bytes.get(file)! });

  const committed = new Map<string, string>();
  const lenient = new TextDecoder("utf-8");
  others.forEach((entry, i) => committedIds(lenient.decode(blobs[staged.length + i]!), name(entry), committed));
  const clashes = samples.flatMap((s) => {
    const first = committed.get(s.sample.id);
    return first ? [`${s.file}:${s.line}: id: duplicate sample id "${s.sample.id}" (already in the corpus at ${first})`] : [];
  });
  if (clashes.length > 0) throw new UserError(clashes.join("\n"));
  return samples;
}
