import { afterAll, describe, expect, it } from "vitest";
import { join } from "node:path";
import { loadSystemPrompts } from "../../src/chatml/system-prompt.js";
import { checkPromptRules, formatPromptCheck, promptCheckPassed } from "../../src/corrections/rule-examples.js";
import { SystemPromptVersionSchema } from "../../src/schema/system-prompt.js";
import { hewChecker } from "../../src/validate/hew-checker.js";
import { REPO_ROOT } from "../helpers/fixtures.js";
import { REAL_HEW, SKIP_REASON } from "../helpers/real-hew.js";

const BUNDLED = join(REPO_ROOT, "corpus", "system-prompts");

describe.skipIf(!REAL_HEW)(`system-prompt rules against the real hew (${REAL_HEW ?? SKIP_REASON})`, () => {
  const checker = hewChecker({ bin: REAL_HEW ?? "hew" });
  afterAll(() => checker.close?.());

  it.each(["v2", "v3"])("confirms every rule of the bundled %s with its good and bad examples", async (id) => {
    const version = (await loadSystemPrompts(BUNDLED)).versions.get(id)!;
    const check = await checkPromptRules(version, checker);
    for (const r of check.rules) {
      expect(r.rule.examples?.good.length, `${r.rule.id} has a good example`).toBeGreaterThan(0);
      expect(r.rule.examples?.bad.length, `${r.rule.id} has a bad example`).toBeGreaterThan(0);
    }
    expect(promptCheckPassed(check), formatPromptCheck(check)).toBe(true);
    expect(check.checker?.name).toBe("hew");
  });

  it("reports a rule whose bad example now passes as stale", async () => {
    // The reference workflow's rule: an i32 return needed a conversion. Today's hew accepts it.
    const version = SystemPromptVersionSchema.parse({
      id: "old",
      preamble: "p",
      rules: [
        {
          id: "i32-return",
          text: "A function returning i32 must convert its literal.",
          addedIn: "old",
          examples: {
            good: ["fn f() -> i32 {\n    42 as i32\n}\n\nfn main() {\n    println(f());\n}\n"],
            bad: [{ program: "fn f() -> i32 { 42 }\n\nfn main() {\n    println(f());\n}\n", fails: "Mismatch" }],
          },
        },
        {
          id: "int-types",
          text: "Write i64, not Int.",
          addedIn: "old",
          examples: { good: ["fn main() {\n    let n: i64 = 1;\n    println(n);\n}\n"], bad: [{ program: "fn main() {\n    let n: Int = 1;\n    println(n);\n}\n", fails: "rust-syntax" }] },
        },
      ],
    });
    const check = await checkPromptRules(version, checker);
    expect(promptCheckPassed(check)).toBe(false);
    expect(check.rules.map((r) => `${r.rule.id}:${r.stale}`)).toEqual(["i32-return:true", "int-types:true"]);
    const text = formatPromptCheck(check);
    expect(text).toMatch(/^stale: old i32-return bad 1: the rule forbids something the language now allows: must fail with Mismatch, now passes$/m);
    expect(text).toMatch(/^stale: old int-types bad 1: the rule forbids something that now fails for another reason: must fail with rust-syntax, now fails with category integer-type$/m);
  });
});
