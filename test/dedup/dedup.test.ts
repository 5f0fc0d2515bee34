import { describe, expect, it } from "vitest";
import { dedupSamples, type DedupOptions } from "../../src/dedup/dedup.js";
import { promptVersionOrder } from "../../src/dedup/keep-policy.js";
import { candidateProbability, chooseBanding } from "../../src/dedup/lsh.js";
import { KEEP_CRITERIA } from "../../src/schema/dedup.js";
import type { SystemPromptStore } from "../../src/chatml/system-prompt.js";
import { recordedProgram } from "../helpers/fixtures.js";
import { corpus, fingerprints, located, rename } from "./samples.js";

const mergeSort = recordedProgram("algorithms-pass-merge-sort").code;
const account = recordedProgram("actors-pass-ledger").code;
const unrelated = ["generators-pass-collatz-steps", "state-machines-pass-elevator-car", "data-structures-pass-union-find", "pattern-matching-pass-vending-machine"].map(
  (name) => recordedProgram(name).code,
);

const options = (overrides: Partial<DedupOptions> = {}): DedupOptions => ({
  threshold: 0.7,
  keep: [...KEEP_CRITERIA],
  passing: () => true,
  newerPrompt: promptVersionOrder(),
  ...overrides,
});

function run(samples: ReturnType<typeof corpus>, overrides: Partial<DedupOptions> = {}, abstract = true) {
  return dedupSamples(samples, fingerprints(samples, abstract), options(overrides));
}

const ids = (result: ReturnType<typeof run>) => result.clusters.map((c) => c.members.map((m) => m.id));

describe("dedupSamples", () => {
  // Each copy is longer than the original, so the keep policy's last resort keeps the original.
  const reformatted = `// a comment the copy added\n${mergeSort.replaceAll("    ", "        ").replace("while i < a.len()", "while   i<a.len( )")}`;
  const nearCopy = mergeSort.replace("    for x in sorted {\n", "    println(sorted.len());\n    for x in sorted {\n");
  const renamed = rename(mergeSort, { merge: "combine", merge_sort: "sort_all", a: "left", b: "right", out: "acc", v: "items", mid: "half", data: "input", sorted: "ordered", x: "item" }).replace("31, 4, 15", "5, 3, 6");

  it("finds planted exact, near and renamed duplicates by id, with file:line, and nothing between unrelated programs", () => {
    const samples = corpus(
      located("original", mergeSort),
      ...unrelated.map((code, i) => located(`other-${i}`, code)),
      located("same-code-new-prompt", reformatted, { prompt: "Sort six numbers with merge sort." }),
      located("same-sample", mergeSort, { prompt: "Write the program original." }),
      located("near-copy", nearCopy),
      located("renamed-copy", renamed),
      located("account", account),
    );
    const result = run(samples);
    expect(ids(result)).toEqual([["original", "same-code-new-prompt", "same-sample", "near-copy", "renamed-copy"]]);
    const [cluster] = result.clusters;
    expect(cluster!.kind).toBe("near");
    expect(cluster!.members.map((m) => [m.id, m.line, m.match])).toEqual([
      ["original", 1, "kept"],
      ["same-code-new-prompt", 6, "same-code"],
      ["same-sample", 7, "same-sample"],
      ["near-copy", 8, "near"],
      ["renamed-copy", 9, "near"],
    ]);
    expect(cluster!.members.find((m) => m.id === "near-copy")!.similarity).toBeGreaterThanOrEqual(0.7);
    expect(cluster!.members.find((m) => m.id === "renamed-copy")!.similarity).toBe(1);
    expect(cluster!.members.every((m) => m.file === "corpus.jsonl")).toBe(true);
    expect([...result.duplicateOf]).toEqual(["same-code-new-prompt", "same-sample", "near-copy", "renamed-copy"].map((id) => [id, "original"]));
  });

  it("calls a cluster of identical code exact, and finds renamed copies only when names are abstracted", () => {
    const samples = corpus(located("original", mergeSort), located("copy", reformatted, { prompt: "another prompt" }), located("renamed", renamed));
    expect(run(samples).clusters.map((c) => c.kind)).toEqual(["near"]);
    const raw = run(samples, {}, false);
    expect(ids(raw)).toEqual([["original", "copy"]]);
    expect(raw.clusters[0]!.kind).toBe("exact");
  });

  it("keeps a passing sample, then a correction, then the newer prompt version, then the shorter one", () => {
    const longer = `${mergeSort}\n// a longer answer\n`;
    const pair = (a: Parameters<typeof located>[2], b: Parameters<typeof located>[2]) => corpus(located("first", mergeSort, a), located("second", longer, b));
    const kept = (samples: ReturnType<typeof corpus>, overrides: Partial<DedupOptions> = {}) => run(samples, overrides).clusters[0]!.kept.id;

    expect(kept(pair({}, {}), { passing: (id) => id === "second" })).toBe("second");
    expect(kept(pair({}, {}), { passing: (id) => id === "second", keep: ["shorter"] })).toBe("first");
    expect(kept(pair({}, { source: "correction" }))).toBe("second");
    expect(kept(pair({ systemPromptVersion: "v2" }, { systemPromptVersion: "v10" }))).toBe("second");
    const store = { versions: new Map([["v10", { id: "v10", rules: [] }], ["v2", { id: "v2", parent: "v10", rules: [] }]]) } as unknown as SystemPromptStore;
    expect(kept(pair({ systemPromptVersion: "v2" }, { systemPromptVersion: "v10" }), { newerPrompt: promptVersionOrder(store) })).toBe("first");
    expect(kept(pair({}, {}))).toBe("first");
  });

  it("is deterministic and independent of unrelated samples", () => {
    const samples = corpus(located("a", mergeSort), located("b", nearCopy), ...unrelated.map((code, i) => located(`u${i}`, code)));
    expect(ids(run(samples))).toEqual(ids(run(samples)));
    expect(ids(run(corpus(located("a", mergeSort), located("b", nearCopy))))).toEqual([["a", "b"]]);
  });
});

describe("LSH banding", () => {
  it("makes a pair at the threshold a candidate at least 9 times in 10, and one at 0.8 almost always", () => {
    for (const threshold of [0.5, 0.7, 0.8]) {
      const banding = chooseBanding(threshold);
      expect(banding.bands * banding.rows).toBeLessThanOrEqual(128);
      expect(candidateProbability(threshold, banding)).toBeGreaterThanOrEqual(0.9);
    }
    expect(candidateProbability(0.8, chooseBanding(0.7))).toBeGreaterThan(0.99);
    expect(candidateProbability(0.3, chooseBanding(0.7))).toBeLessThan(0.02);
  });
});
