import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { writeFileAtomic } from "../util/atomic-write.js";
import { sha256Hex } from "../util/hash.js";

const SHARDS = 16;

/**
 * Token counts on disk beside the verdict cache: `<dir>/tokens/<tokenizer-key>/<hash[0]>.json`, each a
 * map from a conversation's hash to its count. Like the verdict cache, every file is written atomically and
 * a damaged one reads as misses; unlike it, entries are packed into 16 shards, because one file per entry
 * would cost a 100k-sample corpus more to read than its tokens cost to count. Two processes writing at once
 * lose at most each other's new entries, which are counted again next time.
 */
export class TokenCountCache {
  constructor(readonly dir: string) {}

  private shardFile(tokenizerKey: string, shard: number): string {
    return join(this.dir, "tokens", tokenizerKey, `${shard.toString(16)}.json`);
  }

  private async readShard(tokenizerKey: string, shard: number): Promise<Record<string, number>> {
    try {
      const parsed: unknown = JSON.parse(await readFile(this.shardFile(tokenizerKey, shard), "utf8"));
      return parsed !== null && typeof parsed === "object" && !Array.isArray(parsed) ? (parsed as Record<string, number>) : {};
    } catch {
      return {};
    }
  }

  /** A key naming the tokenizer and the chat template, so a change of either starts from nothing. */
  static tokenizerKey(tokenizer: { name: string; chatTemplateSha256: string }): string {
    return sha256Hex(`${tokenizer.name}\0${tokenizer.chatTemplateSha256}`).slice(0, 16);
  }

  /** Every stored count for this tokenizer. */
  async load(tokenizerKey: string): Promise<Map<string, number>> {
    const shards = await Promise.all(Array.from({ length: SHARDS }, (_, i) => this.readShard(tokenizerKey, i)));
    const counts = new Map<string, number>();
    for (const shard of shards) for (const [hash, n] of Object.entries(shard)) if (Number.isInteger(n)) counts.set(hash, n);
    return counts;
  }

  /** Add counts; only the shards that gain entries are rewritten. */
  async add(tokenizerKey: string, counts: ReadonlyMap<string, number>): Promise<void> {
    const byShard = new Map<number, [string, number][]>();
    for (const entry of counts) {
      const shard = Number.parseInt(entry[0][0]!, 16);
      const entries = byShard.get(shard);
      if (entries) entries.push(entry);
      else byShard.set(shard, [entry]);
    }
    await Promise.all(
      [...byShard].map(async ([shard, entries]) => {
        const merged = { ...(await this.readShard(tokenizerKey, shard)), ...Object.fromEntries(entries) };
        await writeFileAtomic(this.shardFile(tokenizerKey, shard), JSON.stringify(merged));
      }),
    );
  }
}
