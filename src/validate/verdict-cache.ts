import { readFile, readdir } from "node:fs/promises";
import { join } from "node:path";
import { VerdictSchema, type CheckerId, type Verdict } from "../schema/verdict.js";
import { writeFileAtomic } from "../util/atomic-write.js";
import { sha256Hex } from "../util/hash.js";

/**
 * Verdicts on disk, one file per (code, checker): `<dir>/<hash[0:2]>/<hash>/<checker-key>.json`.
 * Entries are written atomically and never edited in place, so processes sharing the folder at most
 * both write the same verdict. Keeping every checker's verdict for a code lets a compiler upgrade show
 * what it changed.
 */
export class VerdictCache {
  constructor(readonly dir: string) {}

  private codeDir(codeHash: string): string {
    return join(this.dir, codeHash.slice(0, 2), codeHash);
  }

  static checkerKey(checker: CheckerId): string {
    const slug = checker.name.replace(/[^A-Za-z0-9_-]/g, "_").slice(0, 40);
    return `${slug}-${sha256Hex(`${checker.name}\0${checker.version}`).slice(0, 16)}`;
  }

  async get(codeHash: string, checker: CheckerId): Promise<Verdict | undefined> {
    return this.read(join(this.codeDir(codeHash), `${VerdictCache.checkerKey(checker)}.json`), checker);
  }

  private async read(file: string, checker?: CheckerId): Promise<Verdict | undefined> {
    let text: string;
    try {
      text = await readFile(file, "utf8");
    } catch {
      return undefined;
    }
    try {
      const verdict = VerdictSchema.parse(JSON.parse(text));
      if (checker && (verdict.checker.name !== checker.name || verdict.checker.version !== checker.version)) return undefined;
      return { ...verdict, origin: "cache" };
    } catch {
      // A foreign or damaged file is a miss; the next check overwrites it.
      return undefined;
    }
  }

  /** Store a verdict; checker-errors are never cached (the next run must try again). */
  async put(verdict: Verdict): Promise<void> {
    if (verdict.status === "checker-error") return;
    const { origin: _origin, ...stored } = verdict;
    const file = join(this.codeDir(verdict.codeHash), `${VerdictCache.checkerKey(verdict.checker)}.json`);
    await writeFileAtomic(file, JSON.stringify(stored) + "\n");
  }

  /** Every cached verdict for this code, from any checker. */
  async history(codeHash: string): Promise<Verdict[]> {
    const dir = this.codeDir(codeHash);
    let names: string[];
    try {
      names = (await readdir(dir)).filter((n) => n.endsWith(".json"));
    } catch {
      return [];
    }
    const verdicts = await Promise.all(names.map((n) => this.read(join(dir, n))));
    return verdicts.filter((v): v is Verdict => v !== undefined);
  }
}
