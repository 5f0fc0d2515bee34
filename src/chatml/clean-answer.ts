import type { Stripped } from "../schema/eval.js";
import { findFences, type Fence } from "./code-blocks.js";

export interface CleanedAnswer {
  /** What goes to the checker: one program, ending in a newline, or "" when the answer held none. */
  code: string;
  stripped: Stripped;
  /** The model wrote prose around its code. Counted on its own: cleaning removed it, so it is no compile failure. */
  proseLeak: boolean;
}

const THINK_OPEN = "<think>";
const THINK_CLOSE = "</think>";

/** Remove reasoning: closed `<think>` blocks, a `</think>` whose opener was in the prompt, and a `<think>` never closed. */
function stripThinking(raw: string): { text: string; thinkChars: number; thinkUnterminated: boolean } {
  let text = raw;
  let thinkChars = 0;
  const firstClose = text.indexOf(THINK_CLOSE);
  const firstOpen = text.indexOf(THINK_OPEN);
  if (firstClose >= 0 && (firstOpen < 0 || firstClose < firstOpen)) {
    thinkChars += firstClose + THINK_CLOSE.length;
    text = text.slice(firstClose + THINK_CLOSE.length);
  }
  text = text.replace(/<think>[\s\S]*?<\/think>/g, (m) => {
    thinkChars += m.length;
    return "";
  });
  const open = text.indexOf(THINK_OPEN);
  if (open < 0) return { text, thinkChars, thinkUnterminated: false };
  thinkChars += text.length - open;
  return { text: text.slice(0, open), thinkChars, thinkUnterminated: true };
}

// Tags that never hold Hew; a block with one is chosen only when nothing else is there.
const OTHER_LANGUAGES = new Set(["bash", "sh", "shell", "console", "text", "txt", "plaintext", "output", "toml", "json", "yaml"]);
const HEW_MARKERS = [/\breceive\s+(gen\s+)?fn\b/g, /\bactor\s+\w/g, /\bmachine\s+\w/g, /\bsupervisor\s+\w/g, /\bgen\s+fn\b/g, /#\[\w+/g, /\bprintln\(/g, /\bfn\s+\w/g, /\b(let|var)\s+\w/g];

function hewLikeness(code: string): number {
  return HEW_MARKERS.reduce((n, re) => n + (code.match(re)?.length ?? 0), 0);
}

/** The block the answer is about: a complete program (with `fn main`) first, then Hew-tagged, then the most Hew-like. */
function chooseFence(fences: readonly Fence[]): Fence {
  const score = (f: Fence) =>
    (/\bfn\s+main\s*\(/.test(f.code) ? 1000 : 0) + (f.lang === "hew" ? 200 : f.lang === "" ? 100 : OTHER_LANGUAGES.has(f.lang) ? -1000 : 0) + hewLikeness(f.code);
  return fences.reduce((best, f) => {
    const d = score(f) - score(best);
    return d > 0 || (d === 0 && f.code.length > best.code.length) ? f : best;
  });
}

// A line that starts Hew code (or the Rust a model writes instead of it: the checker must see that).
const CODE_START = /^\s*(#\[|\/\/|(pub\s+)?(fn|gen|actor|machine|supervisor|type|enum|indirect|trait|impl|import|extern|const|let|var|use|struct|mod|wire)\b)/;
// A line that can end a top-level item, or a comment (code, not prose, wherever it stands).
const CODE_END = /[};]\s*(\/\/.*)?$|^\s*\/\//;

/** Unfenced code: drop prose lines before the first line that starts code and after the last line that ends it. */
function trimUnfencedProse(text: string): { code: string; before: string; after: string } {
  const lines = text.split("\n");
  const first = lines.findIndex((l) => CODE_START.test(l));
  if (first < 0) return { code: text, before: "", after: "" };
  let last = lines.length - 1;
  while (last > first && !CODE_END.test(lines[last]!)) last--;
  if (!CODE_END.test(lines[last]!)) last = lines.length - 1;
  return { code: lines.slice(first, last + 1).join("\n"), before: lines.slice(0, first).join("\n"), after: lines.slice(last + 1).join("\n") };
}

function normalizeCode(code: string): string {
  const body = code.replace(/^(\s*\n)+/, "").trimEnd();
  return body === "" ? "" : body + "\n";
}

/** Turn a model's answer into the program to check, recording everything that was removed to get there. */
export function cleanAnswer(raw: string): CleanedAnswer {
  const { text, thinkChars, thinkUnterminated } = stripThinking(raw);
  // An empty fence (a stray closing line after unfenced code reads as an opening one) holds nothing to choose.
  const fences = findFences(text).filter((f) => f.code.trim() !== "");
  let code: string;
  let before: string;
  let after: string;
  let fence: Stripped["fence"] = null;
  if (fences.length > 0) {
    const chosen = chooseFence(fences);
    const openingLine = text.lastIndexOf("\n", chosen.start - 2) + 1;
    before = text.slice(0, openingLine);
    // A fence closed on the code's last line (`}```) is closed, though markdown does not count it.
    const glued = chosen.unterminated ? /`{3,}[ \t]*$/m.exec(chosen.code) : null;
    if (glued) {
      code = chosen.code.slice(0, glued.index);
      after = chosen.code.slice(glued.index + glued[0].length);
    } else if (chosen.unterminated) {
      // Output cut off while closing the fence leaves a line of one or two backticks.
      code = chosen.code.replace(/\n`{1,2}\s*$/, "\n");
      after = "";
    } else {
      const closingLineEnd = text.indexOf("\n", chosen.end) < 0 ? text.length : text.indexOf("\n", chosen.end) + 1;
      code = chosen.code;
      after = text.slice(closingLineEnd);
    }
    fence = { lang: chosen.lang, unterminated: chosen.unterminated && !glued };
  } else {
    ({ code, before, after } = trimUnfencedProse(text));
  }
  const proseBefore = before.trim();
  const proseAfter = after.trim();
  return {
    code: normalizeCode(code),
    stripped: { thinkChars, thinkUnterminated, proseBefore, proseAfter, fence, blocks: fences.length },
    proseLeak: proseBefore !== "" || proseAfter !== "",
  };
}
