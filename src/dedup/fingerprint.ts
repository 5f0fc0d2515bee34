import { lexHew } from "./hew-lexer.js";
import { sha256Text, shingleSet, type TermHasher } from "./hashing.js";
import { minhash } from "./minhash.js";
import { codeWords, proseWords, tokenTerms } from "./terms.js";

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
  /** sha256 of the normalised prompt and code together. */
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

export function fingerprint({ prompt, code }: PromptAndCode, options: ShinglingOptions, hasher: TermHasher): Fingerprint {
  const blocks = code.map(lexHew);
  const normalisedCode = blocks.map((tokens) => tokenTerms(tokens).join(" ")).join("\n");
  const words = proseWords(prompt);
  const promptWords = hasher.hashAll(words);
  const shingled = hasher.hashAll(blocks.flatMap((tokens) => tokenTerms(tokens, options.abstract)));
  return {
    codeHash: normalisedCode.trim() === "" ? undefined : sha256Text(normalisedCode),
    sampleHash: sha256Text(`${words.join(" ")}\n${normalisedCode}`),
    codeWords: hasher.hashAll(blocks.flatMap(codeWords)),
    promptWords,
    codeShingles: shingleSet(shingled, options.shingle),
    promptShingles: shingleSet(promptWords, options.shingle),
    signatures: {},
  };
}

export function signatureOf(fp: Fingerprint, part: "code" | "prompt"): Uint32Array {
  return (fp.signatures[part] ??= minhash(part === "code" ? fp.codeShingles : fp.promptShingles));
}
