import { describe, expect, it } from "vitest";
import { lexHew } from "../../src/dedup/hew-lexer.js";
import { codeTerms, codeWords, proseWords } from "../../src/dedup/terms.js";

const kinds = (src: string) => lexHew(src).map((t) => [t.kind, t.text]);

describe("lexHew", () => {
  it("reads strings, f-strings with quoted interpolations, raw, regex and byte strings as one token each", () => {
    expect(kinds(`f"a {m["k"]} \\" b" r"c\\" re"d+" b"e" "x // not a comment"`)).toEqual([
      ["string", `f"a {m["k"]} \\" b"`],
      ["string", `r"c\\"`],
      ["string", `re"d+"`],
      ["string", `b"e"`],
      ["string", `"x // not a comment"`],
    ]);
  });

  it("tells char literals from a lone quote", () => {
    expect(kinds(`'a' '\\n' '\\u{1F600}' don't`)).toEqual([
      ["char", "'a'"],
      ["char", "'\\n'"],
      ["char", "'\\u{1F600}'"],
      ["ident", "don"],
      ["punct", "'"],
      ["ident", "t"],
    ]);
  });

  it("skips line, doc and nested block comments as comment tokens", () => {
    expect(kinds("a // one\n/// doc\nb /* x /* nested */ still */ c /* open")).toEqual([
      ["ident", "a"],
      ["comment", "// one"],
      ["comment", "/// doc"],
      ["ident", "b"],
      ["comment", "/* x /* nested */ still */"],
      ["ident", "c"],
      ["comment", "/* open"],
    ]);
  });

  it("reads numbers with durations, separators and bases, keywords, and maximal-munch operators", () => {
    expect(kinds("let d = 250ms; x &+= 0xFF_FF..=1_000 => 2.5e3 >>= ms")).toEqual([
      ["keyword", "let"],
      ["ident", "d"],
      ["punct", "="],
      ["number", "250ms"],
      ["punct", ";"],
      ["ident", "x"],
      ["punct", "&+"],
      ["punct", "="],
      ["number", "0xFF_FF"],
      ["punct", "..="],
      ["number", "1_000"],
      ["punct", "=>"],
      ["number", "2.5e3"],
      ["punct", ">>="],
      ["ident", "ms"],
    ]);
  });

  it("never fails, and every character outside white space lands in exactly one token", () => {
    const src = `x 'é 🦙 \u0000 } "unterminated \n y`;
    const covered = new Array<number>(src.length).fill(0);
    for (const t of lexHew(src)) for (let i = t.start; i < t.start + t.text.length; i++) covered[i]!++;
    for (let i = 0; i < src.length; i++) expect(covered[i], `offset ${i}`).toBe(/\s/.test(src[i]!) && covered[i] === 0 ? 0 : 1);
    expect(lexHew(src).at(-1)).toMatchObject({ kind: "string", text: '"unterminated \n y' });
  });
});

describe("terms", () => {
  it("abstracts identifiers and literals but keeps keywords, primitive types and the prelude", () => {
    expect(codeTerms('fn total(xs: Vec<i64>) -> i64 { println("sum"); 42 } // note', true)).toEqual(
      ["fn", "$id", "(", "$id", ":", "Vec", "<", "i64", ">", ")", "->", "i64", "{", "println", "(", "$str", ")", ";", "$num", "}"],
    );
  });

  it("gives the words of code and prose without punctuation", () => {
    expect(codeWords(lexHew('let m: HashMap<string, i64> = HashMap.new(); // c'))).toEqual(["let", "m", "HashMap", "string", "i64", "HashMap", "new"]);
    expect(proseWords("Write a Hew actor, then `spawn` it!")).toEqual(["write", "a", "hew", "actor", "then", "spawn", "it"]);
  });
});
