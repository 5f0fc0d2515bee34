import { extractCodeBlocks } from "../chatml/code-blocks.js";
import type { Sample } from "../schema/sample.js";
import { lexHew, type HewToken } from "./hew-lexer.js";

/**
 * Names a renamed copy keeps: primitive types, the prelude and `main`. Leaving them in place keeps the
 * abstracted stream of two unrelated programs apart without letting a renamed copy escape.
 */
const KEPT_NAMES: ReadonlySet<string> = new Set(
  (
    "i8 i16 i32 i64 u8 u16 u32 u64 isize usize f32 f64 bool char string bytes duration " +
    "Vec HashMap HashSet Option Result Some None Ok Err Self self main println print"
  ).split(" "),
);

export const PLACEHOLDERS = { ident: "$id", string: "$str", char: "$chr", number: "$num" } as const;

function term(token: HewToken, abstract: boolean): string {
  if (!abstract) return token.text;
  switch (token.kind) {
    case "ident":
      return KEPT_NAMES.has(token.text) ? token.text : PLACEHOLDERS.ident;
    case "string":
    case "char":
    case "number":
      return PLACEHOLDERS[token.kind];
    default:
      return token.text;
  }
}

/** Tokens without comments as terms; with `abstract`, identifiers and literals become placeholders. */
export function tokenTerms(tokens: readonly HewToken[], abstract = false): string[] {
  const out: string[] = [];
  for (const token of tokens) if (token.kind !== "comment") out.push(term(token, abstract));
  return out;
}

export function codeTerms(code: string, abstract = false): string[] {
  return tokenTerms(lexHew(code), abstract);
}

/**
 * The words of code: keywords, identifiers and literals, verbatim, without punctuation. A run of 13 of
 * them spans a line or two of real code, as 13 words span a sentence; 13 tokens with the punctuation
 * would be one idiom (`: HashMap<string, i64> = HashMap.new()` is thirteen).
 */
export function codeWords(tokens: readonly HewToken[]): string[] {
  const out: string[] = [];
  for (const token of tokens) if (token.kind !== "comment" && token.kind !== "punct") out.push(token.text);
  return out;
}

const WORD = /[\p{L}\p{N}_]+/gu;

/** The words of English prose (a prompt), lower-cased, without punctuation: prompts are not Hew. */
export function proseWords(text: string): string[] {
  return text.toLowerCase().match(WORD) ?? [];
}

/** Every Hew block of a sample's assistant messages, in order: what dedup compares. */
export function sampleCode(sample: Sample): string[] {
  return extractCodeBlocks(sample.messages).map((b) => b.code);
}

/** The user's side of a sample: its user messages. */
export function samplePrompt(sample: Sample): string {
  return sample.messages
    .filter((m) => m.role === "user")
    .map((m) => m.content)
    .join("\n");
}
