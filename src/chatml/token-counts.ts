import type { Message } from "../schema/sample.js";
import { checkpoint } from "../util/abort.js";
import { sha256Hex } from "../util/hash.js";
import { TokenCountCache } from "./token-count-cache.js";
import type { ChatTokenizer } from "./tokens.js";

export interface CountTokensOptions {
  cache?: TokenCountCache;
  signal?: AbortSignal;
  onProgress?: (done: number, total: number) => void;
}

/** Conversations per batch: small enough that a cancel or a progress line never waits long. */
const SLICE = 250;

/**
 * Tokens of every conversation through the tokenizer's chat template, answered from the cache where it
 * can be and counted in batches where not. A conversation's key hashes its roles and contents; the system
 * prompt, the same long text in every sample, is hashed once.
 */
export async function countTokens(tokenizer: ChatTokenizer, conversations: readonly (readonly Message[])[], options: CountTokensOptions = {}): Promise<number[]> {
  const tokenizerKey = TokenCountCache.tokenizerKey(tokenizer);
  const stored = options.cache ? await options.cache.load(tokenizerKey) : new Map<string, number>();
  const contentHashes = new Map<string, string>();
  const hashOf = (text: string) => {
    let hash = contentHashes.get(text);
    if (hash === undefined) contentHashes.set(text, (hash = sha256Hex(text)));
    return hash;
  };
  const keys = conversations.map((messages) => {
    const [first, ...rest] = messages;
    const head = first?.role === "system" ? hashOf(first.content) : "";
    const tail = (first?.role === "system" ? rest : messages).map(({ role, content }) => [role, content]);
    return sha256Hex(`${head}\0${JSON.stringify(tail)}`).slice(0, 32);
  });

  const counts: number[] = new Array<number>(conversations.length);
  const fresh = new Map<string, number>();
  const missing: number[] = [];
  keys.forEach((key, i) => {
    const n = stored.get(key);
    if (n === undefined) missing.push(i);
    else counts[i] = n;
  });
  let done = conversations.length - missing.length;
  options.onProgress?.(done, conversations.length);
  for (let from = 0; from < missing.length; from += SLICE) {
    await checkpoint(options.signal, "tokens");
    const slice = missing.slice(from, from + SLICE);
    const sliceCounts = await tokenizer.countMany(slice.map((i) => conversations[i]!));
    slice.forEach((i, j) => {
      counts[i] = sliceCounts[j]!;
      fresh.set(keys[i]!, sliceCounts[j]!);
    });
    done += slice.length;
    options.onProgress?.(done, conversations.length);
  }
  if (options.cache && fresh.size > 0) await options.cache.add(tokenizerKey, fresh);
  return counts;
}
