import { readTextFile } from "../util/read-text.js";
import { VerdictSchema, type Verdict } from "../schema/verdict.js";
import { UserError, errorMessage, formatZodIssues } from "../util/errors.js";
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
    const text = await readTextFile(file, "verdict lock");
    const byHash = new Map<string, Verdict>();
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
      const parsed = VerdictSchema.safeParse(value);
      if (!parsed.success) errors.push(formatZodIssues(parsed.error.issues, { file, line: i + 1 }));
      else byHash.set(parsed.data.codeHash, { ...parsed.data, origin: "lock" });
    });
    if (errors.length > 0) throw new UserError(errors.slice(0, 20).join("\n"));
    return new VerdictLock(file, byHash);
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
