import { readTextFile } from "../util/read-text.js";
import { VerdictSchema, type Verdict } from "../schema/verdict.js";
import { UserError } from "../util/errors.js";
import { parseJsonLines } from "../util/json-lines.js";
import { writeFileAtomic } from "../util/atomic-write.js";

/**
 * The verdicts a corpus was validated with, shipped beside it as JSONL (one verdict per line, sorted by
 * code hash), so the corpus validates offline. A lock verdict always says it was recorded, and by which
 * checker; a block whose code changed misses the lock.
 */
export class VerdictLock {
  private constructor(
    readonly file: string,
    private readonly byHash: Map<string, Verdict>,
  ) {}

  get size(): number {
    return this.byHash.size;
  }

  static empty(file: string): VerdictLock {
    return new VerdictLock(file, new Map());
  }

  static async load(file: string): Promise<VerdictLock> {
    const verdicts = parseJsonLines(await readTextFile(file, "verdict lock"), file, VerdictSchema);
    return new VerdictLock(file, new Map(verdicts.map(({ value }) => [value.codeHash, { ...value, origin: "lock" as const }])));
  }

  get(codeHash: string): Verdict | undefined {
    return this.byHash.get(codeHash);
  }

  /** Write the given verdicts as the new lock; checker-errors are not verdicts and are refused. */
  static async write(file: string, verdicts: Iterable<Verdict>): Promise<number> {
    const byHash = new Map<string, Verdict>();
    for (const v of verdicts) {
      if (v.status === "checker-error") throw new UserError(`refusing to lock a checker-error for code ${v.codeHash.slice(0, 12)}`);
      byHash.set(v.codeHash, v);
    }
    const lines = [...byHash.values()]
      .sort((a, b) => a.codeHash.localeCompare(b.codeHash))
      .map(({ origin: _origin, ...v }) => JSON.stringify(v) + "\n");
    await writeFileAtomic(file, lines.join(""));
    return lines.length;
  }
}
