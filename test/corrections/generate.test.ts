import { describe, expect, it } from "vitest";
import { extractCodeBlocks } from "../../src/chatml/code-blocks.js";
import { formatErrors, generateCorrections } from "../../src/corrections/generate.js";
import { ZERO_SPAN, type Diagnostic } from "../../src/schema/diagnostic.js";
import { SampleSchema } from "../../src/schema/sample.js";
import type { Checker } from "../../src/validate/checker.js";
import { HewNotFoundError, unavailableChecker } from "../../src/validate/hew-binary.js";
import { fakeChecker, hew, verdict } from "../helpers/fake-checker.js";

/** Knows one rule of Hew: `::` is a parse error. Enough to drive legacy-path templates through both forms. */
function pathRuleChecker(): Checker & { calls: string[] } {
  const calls: string[] = [];
  return {
    calls,
    identify: async () => hew,
    check: async (code) => {
      calls.push(code);
      const at = code.indexOf("::");
      if (at < 0) return verdict(code, "pass");
      const line = code.slice(0, at).split("\n").length;
      const d: Diagnostic = { code: "E_PATH_LEGACY_SEPARATOR", severity: "error", source: "hew-parser", file: "main.hew", span: { ...ZERO_SPAN, start_line: line, start_col: 1, end_line: line, end_col: 3 }, message: "`::` path separators have been removed", notes: [], fixes: [] };
      return { ...verdict(code, "fail"), diagnostics: [d] };
    },
  };
}

describe("generateCorrections", () => {
  it("admits samples of both forms whose answers passed, tagged with the failure they correct", async () => {
    const checker = pathRuleChecker();
    const [outcome] = await generateCorrections(["legacy-path"], { checker, perCategory: 8, seed: "t" });
    expect(outcome!.admitted).toHaveLength(8);
    expect(outcome!.rejected).toEqual({});
    for (const s of outcome!.admitted) {
      expect(SampleSchema.parse(s)).toEqual(s);
      expect(s.meta).toMatchObject({ source: "correction", correctsFailure: "legacy-path" });
      expect(s.id).toMatch(/^correction-legacy-path-dotted-(constructors|imports)-[0-9a-f]{10}$/);
      const [block] = extractCodeBlocks(s.messages);
      expect(checker.calls).toContain(block!.code);
      expect(block!.code).not.toContain("::");
    }
    const contrastive = outcome!.admitted.filter((s) => s.meta.tags.includes("contrastive"));
    expect(contrastive.length).toBeGreaterThan(0);
    for (const s of contrastive) {
      expect(s.messages[0]!.content).toContain("::");
      expect(s.messages[0]!.content).toMatch(/main\.hew:\d+:1: error\[E_PATH_LEGACY_SEPARATOR\]/);
      // The wrong program sits in the user turn only: it is never checked as an answer.
      expect(extractCodeBlocks(s.messages)).toHaveLength(1);
    }
  });

  it("is deterministic from its seed", async () => {
    const run = (seed: string) => generateCorrections(["legacy-path"], { checker: pathRuleChecker(), perCategory: 4, seed });
    const ids = async (seed: string) => (await run(seed))[0]!.admitted.map((s) => s.id);
    expect(await ids("a")).toEqual(await ids("a"));
    expect(await ids("a")).not.toEqual(await ids("b"));
  });

  it("skips samples the corpus already holds and makes new ones", async () => {
    const first = (await generateCorrections(["legacy-path"], { checker: pathRuleChecker(), perCategory: 3, seed: "s" }))[0]!.admitted;
    const next = (await generateCorrections(["legacy-path"], { checker: pathRuleChecker(), perCategory: 3, seed: "s", existingIds: new Set(first.map((s) => s.id)) }))[0]!;
    expect(next.admitted).toHaveLength(3);
    expect(next.admitted.filter((s) => first.some((f) => f.id === s.id))).toEqual([]);
    expect(next.rejected.duplicate).toBeGreaterThanOrEqual(3);
  });

  it("admits nothing without a checker verdict, and says why", async () => {
    const checker = unavailableChecker(new HewNotFoundError("hew", "no `hew` on PATH"));
    const [outcome] = await generateCorrections(["integer-type"], { checker, perCategory: 3 });
    expect(outcome!.admitted).toEqual([]);
    expect(outcome!.rejected.unchecked).toBeGreaterThan(0);
    expect(outcome!.examples[0]).toMatch(/^unchecked: .*hew not found/);
  });

  it("refuses a contrastive sample whose mistake compiles or fails for another reason", async () => {
    const passAll = fakeChecker(hew, () => "pass");
    const [passed] = await generateCorrections(["rust-enum"], { checker: passAll, perCategory: 2, forms: ["contrastive"] });
    expect(passed!.admitted).toEqual([]);
    expect(passed!.rejected["wrong-passed"]).toBeGreaterThan(0);

    const failAll = fakeChecker(hew, () => "fail");
    const [misclassified] = await generateCorrections(["rust-enum"], { checker: failAll, perCategory: 2, forms: ["contrastive"] });
    expect(misclassified!.rejected["wrong-misclassified"]).toBeGreaterThan(0);
    expect(misclassified!.examples[0]).toMatch(/fails as other/);

    const [direct] = await generateCorrections(["rust-enum"], { checker: failAll, perCategory: 2, forms: ["direct"] });
    expect(direct!.admitted).toEqual([]);
    expect(direct!.rejected["correct-failed"]).toBeGreaterThan(0);
  });

  it("gives `other` nothing to generate", async () => {
    const [outcome] = await generateCorrections(["other"], { checker: fakeChecker(hew, () => "pass"), perCategory: 5 });
    expect(outcome).toMatchObject({ admitted: [], rendered: 0 });
  });

  it("puts a prose-leak mistake, fences and all, in a fence it cannot close", async () => {
    const checker: Checker = {
      identify: async () => hew,
      check: async (code) => {
        if (!code.includes("```") && !/^[A-Z]/m.test(code)) return verdict(code, "pass");
        const line = code.split("\n").findIndex((l) => l.startsWith("```") || /^[A-Z]/.test(l)) + 1;
        const d: Diagnostic = { code: "Other", severity: "error", source: "hew-parser", file: "main.hew", span: { ...ZERO_SPAN, start_line: line, start_col: 1, end_line: line, end_col: 2 }, message: "expected item", notes: [], fixes: [] };
        return { ...verdict(code, "fail"), diagnostics: [d] };
      },
    };
    const [outcome] = await generateCorrections(["prose-leak"], { checker, perCategory: 6, forms: ["contrastive"], seed: "p" });
    expect(outcome!.admitted.length).toBe(6);
    const withFence = outcome!.admitted.find((s) => s.messages[0]!.content.includes("````text"));
    expect(withFence).toBeDefined();
  });

  it("formats errors like hew's text mode, first three only", () => {
    const d = (n: number): Diagnostic => ({ code: "Mismatch", severity: "error", source: "hew-types", file: "main.hew", span: { ...ZERO_SPAN, start_line: n, start_col: 5 }, message: `m${n}`, notes: [], fixes: [] });
    expect(formatErrors([d(1), d(2), d(3), d(4)])).toBe("main.hew:1:5: error[Mismatch]: m1\nmain.hew:2:5: error[Mismatch]: m2\nmain.hew:3:5: error[Mismatch]: m3\n... and 1 more errors");
  });

  it("refuses a negative count", async () => {
    await expect(generateCorrections(["other"], { checker: fakeChecker(hew, () => "pass"), perCategory: -1 })).rejects.toThrow(/whole number/);
  });
});
