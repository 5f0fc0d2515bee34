import { describe, expect, it } from "vitest";
import { findContamination } from "../../src/dedup/contamination.js";
import type { EvalPrompt } from "../../src/schema/eval.js";
import { fingerprint } from "../../src/dedup/fingerprint.js";
import { sampleCode, samplePrompt } from "../../src/dedup/terms.js";
import { recordedProgram } from "../helpers/fixtures.js";
import { corpus, located, rename } from "./samples.js";

const mergeSort = recordedProgram("algorithms-pass-merge-sort").code;
const account = recordedProgram("actors-pass-bank-account-eval-reference").code;
const fibonacci = recordedProgram("generators-pass-collatz-steps").code;
const treeCode = recordedProgram("data-structures-pass-union-find").code;

const evalItems: EvalPrompt[] = [
  { id: "eval-sort", category: "algorithms", prompt: "Write a complete Hew program that sorts a vector of integers with a recursive merge sort and prints the result one number per line.", reference: mergeSort },
  { id: "eval-account", category: "actors", prompt: "Write a complete Hew program with an actor that keeps a bank balance, with deposit, withdraw and current handlers.", reference: account },
];

function leaks(samples: ReturnType<typeof corpus>, ngram = 13) {
  const shingling = { shingle: 5, abstract: true };
  const sampleFps = samples.map((s) => fingerprint({ prompt: samplePrompt(s.sample), code: sampleCode(s.sample) }, shingling));
  const evalFps = evalItems.map((e) => fingerprint({ prompt: e.prompt, code: [e.reference] }, shingling));
  return findContamination(samples, sampleFps, evalItems, evalFps, { ngram, threshold: 0.5 });
}

describe("findContamination", () => {
  const lifted = account.split("\n").slice(0, 16).join("\n");
  const samples = corpus(
    located("clean", fibonacci),
    located("copied-prompt", treeCode, { prompt: `Please: ${evalItems[0]!.prompt}` }),
    located("renamed-reference", rename(mergeSort, { merge: "join_runs", merge_sort: "msort", a: "p", b: "q", out: "res", i: "k", j: "l", v: "xs", n: "len", mid: "m", data: "nums", sorted: "res2", x: "y" })),
    located("lifted-handlers", `${lifted}\n}\n\nfn main() {\n    println("unrelated");\n}\n`),
    located("also-clean", treeCode),
  );
  const found = leaks(samples);

  it("reports which training samples leak which eval prompt, by id", () => {
    expect(found.map((l) => [l.sampleId, l.evalId])).toEqual([
      ["copied-prompt", "eval-sort"],
      ["renamed-reference", "eval-sort"],
      ["lifted-handlers", "eval-account"],
    ]);
    expect(found.map((l) => `${l.file}:${l.line}`)).toEqual(["corpus.jsonl:2", "corpus.jsonl:3", "corpus.jsonl:4"]);
  });

  it("says how: a shared 13-word run of the prompt or reference, or MinHash-confirmed similarity", () => {
    const evidence = (id: string) => found.find((l) => l.sampleId === id)!.evidence;
    expect(evidence("copied-prompt")).toEqual(
      expect.arrayContaining([
        { kind: "prompt-ngram", text: "write a complete hew program that sorts a vector of integers with a", count: 12 },
        expect.objectContaining({ kind: "prompt-similar" }),
      ]),
    );
    // Renaming breaks the word runs; the abstracted shingles still match.
    expect(evidence("renamed-reference")).toEqual([{ kind: "code-similar", jaccard: 1 }]);
    expect(evidence("lifted-handlers")).toContainEqual(expect.objectContaining({ kind: "code-ngram", text: "actor Account var balance i64 0 receive fn deposit amount i64 balance amount" }));
  });

  it("does not flag a shared idiom shorter than the n-gram", () => {
    const idiom = 'fn main() {\n    let m: HashMap<string, i64> = HashMap.new();\n    m.insert("x", 1);\n    println(m.len());\n}\n';
    expect(leaks(corpus(located("idiom", idiom)))).toEqual([]);
  });
});
