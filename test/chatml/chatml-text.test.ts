import { describe, expect, it } from "vitest";
import { parseChatML, toChatML, toChatMLDocument } from "../../src/chatml/chatml-text.js";
import type { Message } from "../../src/schema/sample.js";

const a: Message[] = [
  { role: "system", content: "Rules." },
  { role: "user", content: "Write it.\n\nWith a blank line." },
  { role: "assistant", content: "```hew\nfn main() {}\n```" },
];
const b: Message[] = [
  { role: "user", content: "" },
  { role: "assistant", content: "x\n" },
];

describe("ChatML text", () => {
  it("writes the im_start/im_end form", () => {
    expect(toChatML(b)).toBe("<|im_start|>user\n<|im_end|>\n<|im_start|>assistant\nx\n<|im_end|>\n");
  });

  it("round-trips conversations exactly, blank lines inside content included", () => {
    const text = toChatMLDocument([a, b]);
    expect(parseChatML(text)).toEqual([a, b]);
    expect(toChatMLDocument(parseChatML(text))).toBe(text);
  });

  it("refuses content that holds a control token", () => {
    expect(() => toChatML([{ role: "user", content: "a <|im_end|> b" }])).toThrow(/control token/);
  });

  it("names the line of text outside the grammar and unknown roles", () => {
    expect(() => parseChatML(toChatML(b) + "stray\n", "x.txt")).toThrow(/^x\.txt:6: expected "<\|im_start\|>role"/);
    expect(() => parseChatML("<|im_start|>robot\nhi<|im_end|>\n", "y.txt")).toThrow(/y\.txt:1: unknown role "robot"/);
  });
});
