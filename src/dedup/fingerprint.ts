import { lexHew } from "./hew-lexer.js";
import { sha256Hex } from "../util/hash.js";
import { shingleSet, termHash, termHashes } from "./hashing.js";
import { minhash } from "./minhash.js";
import { proseWords, term } from "./terms.js";

export interface ShinglingOptions {
  /** Tokens per shingle. */
  shingle: number;
  /** Identifiers and literals become placeholders before shingling. */
  abstract: boolean;
}

/** A prompt and the code that answers it: a training sample, or an eval prompt with its reference. */
export interface PromptAndCode {
  prompt: string;
  code: readonly string[];
}

/** Everything dedup and contamination compare, computed once per sample. */
export interface Fingerprint {
  /** sha256 of the normalised code (comments removed, whitespace collapsed); absent without code. */
  codeHash?: string;
  /** sha256 of the normalised prompt and the normalised code's hash. */
  sampleHash: string;
  /** Hashes of the code's words (keywords, identifiers, literals), verbatim. */
  codeWords: Uint32Array;
  /** Hashes of the prompt's words, lower-cased. */
  promptWords: Uint32Array;
  /** Shingles of the code, abstracted when asked. */
  codeShingles: Uint32Array;
  /** Shingles of the prompt's words. */
  promptShingles: Uint32Array;
  /** MinHash signatures, computed when first asked for. */
  signatures: { code?: Uint32Array; prompt?: Uint32Array };
}

export function fingerprint({ prompt, code }: PromptAndCode, options: ShinglingOptions): Fingerprint {
  const normalised: string[] = [];
  const shingled: number[] = [];
  const codeWords: number[] = [];
  for (const block of code) {
    const texts: string[] = [];
    for (const token of lexHew(block)) {
      if (token.kind === "comment") continue;
      texts.push(token.text);
      shingled.push(termHash(term(token, options.abstract)));
      if (token.kind !== "punct") codeWords.push(options.abstract ? termHash(token.text) : shingled[shingled.length - 1]!);
    }
    normalised.push(texts.join(" "));
  }
  const normalisedCode = normalised.join("\n");
  const words = proseWords(prompt);
  const promptWords = termHashes(words);
  const codeHash = normalisedCode.trim() === "" ? undefined : sha256Hex(normalisedCode);
  return {
    codeHash,
    sampleHash: sha256Hex(`${words.join(" ")}\n${codeHash ?? ""}`),
    codeWords: Uint32Array.from(codeWords),
    promptWords,
    codeShingles: shingleSet(Uint32Array.from(shingled), options.shingle),
    promptShingles: shingleSet(promptWords, options.shingle),
    signatures: {},
  };
}

export function signatureOf(fp: Fingerprint, part: "code" | "prompt"): Uint32Array {
  return (fp.signatures[part] ??= minhash(part === "code" ? fp.codeShingles : fp.promptShingles));
}
