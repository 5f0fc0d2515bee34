import { describe, expect, it } from "vitest";
import { extractCodeBlocks, findFences } from "../../src/chatml/code-blocks.js";

describe("code blocks", () => {
  it("takes hew and untagged blocks from assistant messages only, skipping other languages", () => {
    const blocks = extractCodeBlocks([
      { role: "user", content: "```hew\nfn wrong() {}\n```" },
      { role: "assistant", content: "Intro.\n```hew\nfn a() {}\n```\n```bash\nhew check x\n```\n```\nfn b() {}\n```" },
      { role: "assistant", content: "```Hew title=x\nfn c() {}\n```" },
    ]);
    expect(blocks.map((b) => [b.index, b.messageIndex, b.lang, b.code])).toEqual([
      [0, 1, "hew", "fn a() {}\n"],
      [1, 1, "", "fn b() {}\n"],
      [2, 2, "hew", "fn c() {}\n"],
    ]);
  });

  it("records offsets and the 1-based line of the code inside the message", () => {
    const content = "one\ntwo\n```hew\nfn main() {\n}\n```\n";
    const [fence] = findFences(content);
    expect(fence!.line).toBe(4);
    expect(content.slice(fence!.start, fence!.end)).toBe("fn main() {\n}\n");
  });

  it("keeps an unterminated fence, marked, up to the end", () => {
    const [fence] = findFences("```hew\nfn main() {\n");
    expect(fence).toMatchObject({ code: "fn main() {\n", unterminated: true });
  });

  it("closes a fence only with at least as many backticks, so a longer fence can hold one", () => {
    const [fence] = findFences("````hew\n```\nnot closed\n````\n");
    expect(fence!.code).toBe("```\nnot closed\n");
  });
});
