import { describe, expect, it } from "vitest";
import { generateCorrections } from "../../src/corrections/generate.js";
import { AdmissionGate } from "../../src/dedup/admission.js";
import type { Sample } from "../../src/schema/sample.js";
import { fakeChecker, hew } from "../helpers/fake-checker.js";

const OPTIONS = { threshold: 0.7, shingle: 5, abstract: true };
const sample = (id: string, prompt: string, code: string): Sample => ({
  id,
  messages: [
    { role: "user", content: prompt },
    { role: "assistant", content: "```hew\n" + code + "\n```" },
  ],
  meta: { category: "actors", source: "handwritten", tags: [] },
});
const COUNTER = `actor Counter {\n    var count: i64 = 0;\n    receive fn add(n: i64) {\n        count = count + n;\n    }\n}\n\nfn main() {\n    let c = spawn Counter;\n    c.add(1);\n    println("done");\n}`;

describe("admission against the corpus, by the export's dedup rules", () => {
  it("refuses the same code, the same sample and a renamed copy, and admits what is new", () => {
    const index = new AdmissionGate([sample("c1", "Write a counter actor.", COUNTER)], OPTIONS);
    expect(index.consider(sample("n1", "Another prompt.", COUNTER))).toEqual({ admit: false, reason: "duplicate", of: "c1", match: "same-code", similarity: 1 });
    expect(index.consider(sample("n2", "A tally.", COUNTER.replaceAll("Counter", "Tally").replaceAll("count", "total")))).toMatchObject({ of: "c1", match: "near" });
    expect(index.consider(sample("n3", "Print.", 'fn main() {\n    let xs = [1, 2, 3];\n    for x in xs {\n        println(x);\n    }\n}'))).toEqual({ admit: true });
    // and against each other: what was admitted is in the index now
    expect(index.consider(sample("n4", "Print again.", 'fn main() {\n    let xs = [1, 2, 3];\n    for x in xs {\n        println(x);\n    }\n}'))).toMatchObject({ of: "n3", match: "same-code" });
  });

  it("keeps corrections generate from admitting what the corpus already holds, and says what it refused", async () => {
    const checker = fakeChecker(hew, (code) => (code.includes("::") ? "fail" : "pass"));
    const [first] = await generateCorrections(["legacy-path"], { checker, perCategory: 3, seed: "a", forms: ["direct"] });
    const corpus = first!.admitted;
    const [again] = await generateCorrections(["legacy-path"], { checker, perCategory: 3, seed: "a", forms: ["direct"], admission: new AdmissionGate(corpus, OPTIONS) });
    expect(again!.admitted.every((s) => !corpus.some((c) => c.id === s.id))).toBe(true);
    expect(again!.rejected.duplicate).toBeGreaterThanOrEqual(3);
    expect(again!.examples.find((e) => e.startsWith("duplicate:"))).toMatch(/repeats correction-legacy-path-.* \((same-sample|same-code|near, code \d+% alike)\); the export would drop one/);
  });
});
