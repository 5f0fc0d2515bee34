import type { Diagnostic } from "../schema/diagnostic.js";

// Words that open a line of code, so a line starting with one is not read as prose.
const CODE_WORDS = new Set(
  "fn let var use mod pub impl struct enum type actor machine import match if else for while loop return on state event events receive supervisor child trait extern const gen spawn class interface def".split(
    " ",
  ),
);
const PLAIN_WORD = /^[A-Za-z][A-Za-z'-]*[,.:;!?]?$/;

/** A line of English rather than code: several plain words, not opened by a keyword, not ended like a statement. */
export function looksLikeProse(line: string): boolean {
  const text = line.replace(/`[^`]*`/g, "x").trim();
  if (!/^[A-Za-z]/.test(text) || /[;{},]$/.test(text) || /::|=>|[{}=]/.test(text)) return false;
  const tokens = text.split(/\s+/);
  if (tokens.length < 3 || CODE_WORDS.has(tokens[0]!.replace(/[^A-Za-z]/g, ""))) return false;
  return tokens.filter((t) => PLAIN_WORD.test(t)).length / tokens.length >= 0.7;
}

/**
 * A markdown line where code was expected: a heading (`### Step 2`), a list item (`- spawn it`, `1. Define`),
 * a bold note (`**Note:** ...`) or a label alone on its line (`Output:`). None of these starts valid Hew
 * (`#[test]` is an attribute, not a heading).
 */
export function looksLikeMarkdown(line: string): boolean {
  return /^\s*(#{1,6}\s+\S|[-*+]\s+[A-Za-z]|\d+[.)]\s+[A-Za-z]|\*\*[^*]+\*\*|[A-Z][A-Za-z ]{0,40}:\s*$)/.test(line);
}

export function isFenceLine(line: string): boolean {
  return /^\s*```/.test(line);
}

/** The checked program, read the way the classifier needs it: by line, and by what it declares. */
export class SourceView {
  readonly lines: readonly string[];

  constructor(readonly code: string) {
    this.lines = code.split(/\r?\n/);
  }

  /** The text of a 1-based line ("" outside the program, e.g. for a zero span). */
  line(n: number): string {
    return n >= 1 ? (this.lines[n - 1] ?? "") : "";
  }

  /** The line a diagnostic points at. */
  lineOf(d: Diagnostic): string {
    return this.line(d.span.start_line);
  }

  /** Whether the program declares `keyword Name` (an enum, machine, state, actor, ...). */
  declares(keyword: string, name: string): boolean {
    return new RegExp(`(^|[\\s;{])${keyword}\\s+${escapeRegExp(name)}\\b`, "m").test(this.code);
  }

  /** Modules bound by `import std.a.b;` (bound as `b`) and `import std.a.{self, ...}`. */
  importedModules(): Set<string> {
    const names = new Set<string>();
    for (const m of this.code.matchAll(/^\s*import\s+std((?:\.\w+)+)/gm)) names.add(m[1]!.split(".").pop()!);
    return names;
  }
}

export function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
