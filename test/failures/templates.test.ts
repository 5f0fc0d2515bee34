import { afterAll, describe, expect, it } from "vitest";
import { checkExpectations } from "../../src/failures/expectations.js";
import { templateExpectations } from "../../src/corrections/shipped-expectations.js";
import { Picker } from "../../src/failures/picker.js";
import { failureRegistry } from "../../src/failures/registry.js";
import { hewChecker } from "../../src/validate/hew-checker.js";
import { REAL_HEW, SKIP_REASON } from "../helpers/real-hew.js";

const RENDERINGS = 12;
// Fewer against the compiler: each rendering is two real checks.
const CHECKED_RENDERINGS = 8;
const withTemplates = failureRegistry.filter((c) => c.id !== "other");
const all = failureRegistry.flatMap((c) => c.templates.map((t) => ({ category: c.id, template: t })));

describe("correction templates", () => {
  it("exist for every category but `other`, with unique ids", () => {
    for (const c of withTemplates) expect(c.templates.length, c.id).toBeGreaterThan(0);
    const ids = all.map((t) => t.template.id);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it.each(all.map((t) => [t.template.id, t] as const))("%s renders the same instance from the same seed and many from many", (_id, { template }) => {
    expect(template.render(new Picker("seed-1"))).toEqual(template.render(new Picker("seed-1")));
    const distinct = new Set(Array.from({ length: RENDERINGS }, (_, i) => JSON.stringify(template.render(new Picker(`seed-${i}`)))));
    expect(distinct.size).toBeGreaterThanOrEqual(RENDERINGS - 2);
  });

  describe.skipIf(!REAL_HEW)(`against the real checker (${REAL_HEW ?? SKIP_REASON})`, () => {
    const checker = REAL_HEW ? hewChecker({ bin: REAL_HEW }) : undefined;
    afterAll(() => checker?.close?.());

    // The same expectations `drift` checks: the right form passes, the wrong one fails in its category.
    const expectations = templateExpectations(CHECKED_RENDERINGS, "real");
    it.each(all.map((t) => [t.template.id] as const))("%s: the answer passes with no diagnostic, the mistake fails in its category", async (id) => {
      const own = expectations.filter((e) => e.label.startsWith(`template ${id} seed `));
      expect(own).toHaveLength(2 * CHECKED_RENDERINGS);
      for (const o of await checkExpectations(own, checker!)) {
        expect(o.broken, `${o.expectation.label}\n${o.expectation.program}`).toBeUndefined();
        expect(o.unchecked, o.expectation.label).toBeUndefined();
        if (o.expectation.expect === "pass") expect(o.verdict!.diagnostics, o.expectation.program).toEqual([]);
      }
    });
  });
});
