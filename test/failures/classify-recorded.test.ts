import { describe, expect, it } from "vitest";
import { classifyFailure } from "../../src/failures/classify.js";
import { failureRegistry } from "../../src/failures/registry.js";
import { DiagnosticArraySchema } from "../../src/schema/diagnostic.js";
import type { FailureCategoryId } from "../../src/schema/corrections.js";
import { programText, recordedVerdicts } from "../helpers/fixtures.js";

/**
 * A failing fixture program is named `<area>-fail-<category>--<slug>.hew`: the category it was written to
 * show (a correction template's mistake, or a program written for the category), checked by the real
 * compiler when it was recorded. The classifier must put it there.
 */
const failing = recordedVerdicts().filter((r) => r.exitCode !== 0);
const expectedOf = (file: string) => /^programs\/[a-z-]+?-fail-([a-z-]+?)--[a-z0-9-]+\.hew$/.exec(file)?.[1] as FailureCategoryId | undefined;

function classifyRecorded(record: (typeof failing)[number]) {
  return classifyFailure(programText(record), { diagnostics: DiagnosticArraySchema.parse(record.diagnostics), stderr: record.stderr });
}

describe("classifyFailure over the recorded failing programs", () => {
  it("has every program's verdict agree with its name: -pass- passed, -fail- failed", () => {
    const disagree = recordedVerdicts().filter((r) => (r.exitCode === 0) !== r.file.includes("-pass-") || (r.exitCode !== 0) !== r.file.includes("-fail-"));
    expect(disagree.map((r) => `${r.file}: exit ${r.exitCode}`)).toEqual([]);
  });

  it("names a known category for every failing program and covers every category", () => {
    expect(failing.filter((r) => !expectedOf(r.file)).map((r) => r.file)).toEqual([]);
    const covered = new Set(failing.map((r) => expectedOf(r.file)));
    expect(failureRegistry.map((c) => c.id).filter((id) => !covered.has(id))).toEqual([]);
    expect([...covered].filter((id) => !failureRegistry.some((c) => c.id === id))).toEqual([]);
  });

  it.each(failing.map((r) => [r.file, r] as const))("%s", (_file, record) => {
    const result = classifyRecorded(record);
    expect(result.category).toBe(expectedOf(record.file));
    // `other` is what no matcher recognised, so it has no evidence to show.
    if (result.category === "other") expect(result.evidence).toEqual([]);
    else expect(result.evidence.length).toBeGreaterThan(0);
    for (const e of result.evidence) expect(record.diagnostics.some((d) => d.code === e.code && d.message === e.message)).toBe(true);
  });

  it("finds no failure in the passing programs, warnings included", () => {
    for (const record of recordedVerdicts().filter((r) => r.exitCode === 0)) {
      const result = classifyRecorded(record);
      expect(result.evidence, record.file).toEqual([]);
      expect(result.category).toBe("other");
    }
  });
});
