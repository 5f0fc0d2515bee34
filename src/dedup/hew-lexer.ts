/**
 * A lexer for Hew source that never fails: whatever the text, every character lands in a token. It follows
 * the lexical rules of hew-lexer (nested block comments, f/r/re/b string prefixes, char literals, duration
 * suffixes, maximal-munch operators), which is all dedup needs: it compares token streams, it does not parse.
 */

export type HewTokenKind = "keyword" | "ident" | "number" | "string" | "char" | "punct" | "comment";

export interface HewToken {
  kind: HewTokenKind;
  text: string;
  /** Offset of the token's first character in the source. */
  start: number;
}

export const HEW_KEYWORDS: ReadonlySet<string> = new Set(
  (
    "let var const mut fn if else match loop for while break continue return import pub package super indirect enum " +
    "trait impl actor supervisor child restart budget strategy permanent transient temporary one_for_one one_for_all " +
    "rest_for_one simple_one_for_one pool brutal_kill scope fork spawn async await await_restart receive init record " +
    "type this dyn move try true false reserved optional deprecated default unsafe extern foreign in select race join " +
    "from after gen yield where cooperate catch defer as machine state event on when entry exit emit is"
  ).split(" "),
);

/** Longest first, so that the first match is the maximal munch. */
const OPERATORS = [
  "<<=", ">>=", "..=",
  "==", "!=", "=>", "->", "<<", ">>", "<=", ">=", "&&", "||", "&=", "|=", "^=", "..", "::", "#[",
  "&+", "&-", "&*", "+=", "-=", "*=", "/=", "%=",
];

const OPERATORS_BY_FIRST = new Map<string, string[]>();
for (const op of OPERATORS) OPERATORS_BY_FIRST.set(op[0]!, [...(OPERATORS_BY_FIRST.get(op[0]!) ?? []), op]);

/** Identifiers that open a string literal when a quote follows at once: f"..", r"..", re"..", b"..". */
const STRING_PREFIXES = new Set(["f", "r", "re", "b"]);

const isIdentStart = (c: number) => (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 95;
const isDigit = (c: number) => c >= 48 && c <= 57;
const isIdentPart = (c: number) => isIdentStart(c) || isDigit(c);
const isSpace = (c: number) => c === 32 || c === 9 || c === 10 || c === 13 || c === 12 || c === 11;

const CHAR_LITERAL = /'(?:[^'\\\n]|\\u\{[0-9a-fA-F]{1,6}\}|\\x[0-9a-fA-F]{2}|\\.)'/y;
const NUMBER = /0[xX][0-9a-fA-F_]+|0[oO][0-7_]+|0[bB][01_]+|[0-9][0-9_]*(?:\.[0-9][0-9_]*(?:[eE][+-]?[0-9]+)?|(?:ns|us|ms|[smh])(?![A-Za-z0-9_]))?/y;

/** End of a quoted literal starting at `open` (the quote); an unterminated one runs to the end. */
function quotedEnd(src: string, open: number, escapes: boolean): number {
  for (let i = open + 1; i < src.length; i++) {
    const c = src.charCodeAt(i);
    if (escapes && c === 92) i++;
    else if (c === 34) return i + 1;
  }
  return src.length;
}

/** End of an f-string starting at `open`: quotes inside `{...}` belong to the interpolated expression. */
function interpolatedEnd(src: string, open: number): number {
  let depth = 0;
  for (let i = open + 1; i < src.length; i++) {
    const c = src.charCodeAt(i);
    if (c === 92) i++;
    else if (c === 123) depth++;
    else if (c === 125 && depth > 0) depth--;
    else if (c === 34 && depth === 0) return i + 1;
    else if (c === 34 || c === 39) {
      // A literal nested in the interpolation: skip it whole.
      const close = src.indexOf(String.fromCharCode(c), i + 1);
      if (close < 0) return src.length;
      i = close;
    }
  }
  return src.length;
}

function blockCommentEnd(src: string, open: number): number {
  let depth = 0;
  for (let i = open; i < src.length - 1; i++) {
    if (src[i] === "/" && src[i + 1] === "*") {
      depth++;
      i++;
    } else if (src[i] === "*" && src[i + 1] === "/") {
      depth--;
      i++;
      if (depth === 0) return i + 1;
    }
  }
  return src.length;
}

export function lexHew(src: string): HewToken[] {
  const tokens: HewToken[] = [];
  const push = (kind: HewTokenKind, start: number, end: number) => tokens.push({ kind, text: src.slice(start, end), start });
  let i = 0;
  while (i < src.length) {
    const c = src.charCodeAt(i);
    if (isSpace(c)) {
      i++;
      continue;
    }
    const start = i;
    if (c === 47 && src[i + 1] === "/") {
      const nl = src.indexOf("\n", i);
      i = nl < 0 ? src.length : nl;
      push("comment", start, i);
    } else if (c === 47 && src[i + 1] === "*") {
      i = blockCommentEnd(src, i);
      push("comment", start, i);
    } else if (isIdentStart(c)) {
      while (i < src.length && isIdentPart(src.charCodeAt(i))) i++;
      const word = src.slice(start, i);
      if (src[i] === '"' && STRING_PREFIXES.has(word)) {
        i = word === "f" ? interpolatedEnd(src, i) : quotedEnd(src, i, word !== "r");
        push("string", start, i);
      } else push(HEW_KEYWORDS.has(word) ? "keyword" : "ident", start, i);
    } else if (isDigit(c)) {
      NUMBER.lastIndex = i;
      NUMBER.exec(src);
      i = NUMBER.lastIndex;
      push("number", start, i);
    } else if (c === 34) {
      i = quotedEnd(src, i, true);
      push("string", start, i);
    } else if (c === 39) {
      CHAR_LITERAL.lastIndex = i;
      i = CHAR_LITERAL.test(src) ? CHAR_LITERAL.lastIndex : i + 1;
      push(i - start > 1 ? "char" : "punct", start, i);
    } else {
      const op = OPERATORS_BY_FIRST.get(src[i]!)?.find((o) => src.startsWith(o, i));
      // One code point, so that a character outside the BMP is not split into halves.
      i += op ? op.length : (src.codePointAt(i) ?? 0) > 0xffff ? 2 : 1;
      push("punct", start, i);
    }
  }
  return tokens;
}
