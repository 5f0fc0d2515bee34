import type { Message } from "../schema/sample.js";

export interface Fence {
  /** Language tag after the opening fence ("" when untagged). */
  lang: string;
  code: string;
  /** Offsets of the code inside the text, half-open. */
  start: number;
  end: number;
  /** 1-based line of the code's first line inside the text. */
  line: number;
  /** The fence was never closed; the code runs to the end of the text. */
  unterminated: boolean;
}

const OPEN = /^ {0,3}(`{3,})[ \t]*([^`\s]*)[^`]*$/;
const CLOSE = /^ {0,3}(`{3,})[ \t]*$/;

/** Every fenced block of a markdown text, in order (CommonMark backtick fences). */
export function findFences(text: string): Fence[] {
  const fences: Fence[] = [];
  let open: { ticks: number; lang: string; start: number; line: number } | undefined;
  let offset = 0;
  const lines = text.split("\n");
  lines.forEach((lineText, i) => {
    const lineStart = offset;
    offset += lineText.length + 1;
    const body = lineText.endsWith("\r") ? lineText.slice(0, -1) : lineText;
    if (!open) {
      const m = OPEN.exec(body);
      if (m) open = { ticks: m[1]!.length, lang: m[2]!.toLowerCase(), start: Math.min(offset, text.length), line: i + 2 };
      return;
    }
    const m = CLOSE.exec(body);
    if (m && m[1]!.length >= open.ticks) {
      fences.push({ lang: open.lang, code: text.slice(open.start, lineStart), start: open.start, end: lineStart, line: open.line, unterminated: false });
      open = undefined;
    }
  });
  if (open) {
    fences.push({ lang: open.lang, code: text.slice(open.start), start: open.start, end: text.length, line: open.line, unterminated: true });
  }
  return fences;
}

/** Tags that mean "this block is Hew"; any other tag belongs to another language and is skipped. */
export function isHewFence(lang: string): boolean {
  return lang === "" || lang === "hew";
}

export interface CodeBlock extends Fence {
  /** 0-based index of the block among the sample's Hew blocks. */
  index: number;
  /** Index of the assistant message that holds it. */
  messageIndex: number;
}

/** The Hew code blocks of a conversation's assistant messages: what the compiler must pass. */
export function extractCodeBlocks(messages: readonly Message[]): CodeBlock[] {
  const blocks: CodeBlock[] = [];
  messages.forEach((m, messageIndex) => {
    if (m.role !== "assistant") return;
    for (const fence of findFences(m.content)) {
      if (isHewFence(fence.lang)) blocks.push({ ...fence, index: blocks.length, messageIndex });
    }
  });
  return blocks;
}
