import { describe, expect, it } from "vitest";
import { checkExpectations, judgeExpectation, type HewExpectation } from "../../src/failures/expectations.js";
import type { Diagnostic } from "../../src/schema/diagnostic.js";
import type { Verdict } from "../../src/schema/verdict.js";
import { HewNotFoundError, unavailableChecker } from "../../src/validate/hew-binary.js";
import { verdict } from "../helpers/fake-checker.js";

const span = { start_line: 1, start_col: 1, end_line: 1, end_col: 4, start_byte: 0, end_byte: 3 };
const diagnostic = (code: string, message: string, severity: Diagnostic["severity"] = "error"): Diagnostic => ({ code, severity, source: "hew-types", file: "main.hew", span, message, notes: [], fixes: [] });
const failing = (program: string, ...diagnostics: Diagnostic[]): Verdict => ({ ...verdict(program, "fail"), diagnostics });
const intProgram = "fn main() {\n    let n: Int = 1;\n}\n";
const unknownInt = diagnostic("UndefinedType", "unknown type `Int`; use `i64`");

describe("expectations", () => {
  it("holds a pass, warnings and all, and breaks a pass that now fails", () => {
    const e: HewExpectation = { label: "good", program: "x", expect: "pass" };
    expect(judgeExpectation(e, { ...verdict("x", "pass"), diagnostics: [diagnostic("dead_store", "unused", "warning")] }).broken).toBeUndefined();
    expect(judgeExpectation(e, failing("x", unknownInt)).broken).toEqual({ kind: "pass-to-fail", codes: ["UndefinedType"], detail: "must pass, now fails with UndefinedType" });
  });

  it("breaks a must-fail that now passes, and one that fails with another code", () => {
    const e: HewExpectation = { label: "bad", program: intProgram, expect: { fails: "Mismatch" } };
    expect(judgeExpectation(e, verdict(intProgram, "pass")).broken).toMatchObject({ kind: "fail-to-pass", codes: ["Mismatch"] });
    expect(judgeExpectation(e, failing(intProgram, unknownInt)).broken).toMatchObject({ kind: "diagnostics-changed", detail: "must fail with Mismatch, now fails with UndefinedType" });
    expect(judgeExpectation({ ...e, expect: { fails: "UndefinedType" } }, failing(intProgram, unknownInt)).broken).toBeUndefined();
  });

  it("reads a failure category id through the classifier", () => {
    const e: HewExpectation = { label: "bad", program: intProgram, expect: { fails: "integer-type" } };
    expect(judgeExpectation(e, failing(intProgram, unknownInt)).broken).toBeUndefined();
    expect(judgeExpectation({ ...e, expect: { fails: "rust-syntax" } }, failing(intProgram, unknownInt)).broken).toMatchObject({ detail: "must fail with rust-syntax, now fails with category integer-type" });
  });

  it("neither confirms nor breaks without a real verdict", async () => {
    const e: HewExpectation = { label: "good", program: "x", expect: "pass" };
    expect(judgeExpectation(e, verdict("x", "checker-error"))).toMatchObject({ unchecked: "checker-error: unknown" });
    const [outcome] = await checkExpectations([e], unavailableChecker(new HewNotFoundError("hew", "no `hew` on PATH")));
    expect(outcome!.broken).toBeUndefined();
    expect(outcome!.unchecked).toMatch(/hew not found/);
  });
});
