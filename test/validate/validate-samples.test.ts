import { describe, expect, it } from "vitest";
import { validateSamples } from "../../src/validate/validate-samples.js";
import { formatValidationReport, summarize, allPassed } from "../../src/validate/report.js";
import { VerdictCache } from "../../src/validate/verdict-cache.js";
import { cachedChecker } from "../../src/validate/cached-checker.js";
import { unavailableChecker, HewNotFoundError } from "../../src/validate/hew-binary.js";
import { parseSamplesJsonl } from "../../src/chatml/jsonl.js";
import { fakeChecker, hew, next } from "../helpers/fake-checker.js";
import { sampleLine, tempDir } from "../helpers/fixtures.js";

const twoBlocks = JSON.stringify({
  id: "two",
  messages: [
    { role: "user", content: "q" },
    { role: "assistant", content: "```hew\nfn ok() {}\n```\nand\n```hew\nfn bad() {}\n```" },
  ],
  meta: { category: "general", source: "handwritten" },
});
const corpus = parseSamplesJsonl([sampleLine("one", "fn ok() {}\n"), twoBlocks, sampleLine("three", "fn ok() {}\n")].join("\n"), "s.jsonl");

describe("validateSamples", () => {
  it("checks identical code once and maps each block back to its sample", async () => {
    const checker = fakeChecker(hew, (code) => (code.includes("bad") ? "fail" : "pass"));
    const progress: number[] = [];
    const results = await validateSamples(corpus, checker, { onProgress: (p) => progress.push(p.done) });
    expect(checker.calls.sort()).toEqual(["fn bad() {}\n", "fn ok() {}\n"]);
    expect(results.map((r) => [r.sample.sample.id, r.valid])).toEqual([
      ["one", true],
      ["two", false],
      ["three", true],
    ]);
    expect(progress.at(-1)).toBe(4);
    const funnel = summarize(results);
    expect(funnel).toMatchObject({ samples: 3, validSamples: 2, blocks: 4, pass: 3, fail: 1, checkerError: 0, unchecked: 0 });
    expect(allPassed(funnel)).toBe(false);
    expect(formatValidationReport(results)).toContain("s.jsonl:2 [two] block 2: ");
  });

  it("marks blocks unchecked, with the reason, when there is no compiler", async () => {
    const results = await validateSamples(corpus, unavailableChecker(new HewNotFoundError("hew", "no `hew` on PATH")), {});
    const funnel = summarize(results);
    expect(funnel).toMatchObject({ unchecked: 4, pass: 0 });
    expect(formatValidationReport(results)).toMatch(/note: hew not found \(no `hew` on PATH\)/);
  });

  it("reports verdicts that changed under a new compiler version", async () => {
    const cache = new VerdictCache(await tempDir());
    await validateSamples(corpus, cachedChecker({ inner: fakeChecker(hew, () => "pass"), cache }), { history: cache });
    const results = await validateSamples(corpus, cachedChecker({ inner: fakeChecker(next, (c) => (c.includes("bad") ? "fail" : "pass")), cache }), { history: cache });
    expect(summarize(results).changed).toBe(1);
    expect(formatValidationReport(results)).toMatch(/s\.jsonl:2 \[two\] block 2: pass under hew 0\.6\.0-rc2, from the verdict cache -> fail now/);
  });

  it("stops on cancel with an AbortError", async () => {
    const controller = new AbortController();
    const pending = validateSamples(corpus, fakeChecker(hew, () => "pass", 200), { signal: controller.signal });
    setTimeout(() => controller.abort(), 20);
    await expect(pending).rejects.toThrow(/cancelled/);
  });
});
