import { describe, expect, it } from "vitest";
import { classifyFailure } from "../../src/failures/classify.js";
import { failureRegistry, getFailureCategory } from "../../src/failures/registry.js";
import { looksLikeProse } from "../../src/failures/source-view.js";
import { FAILURE_CATEGORY_IDS } from "../../src/schema/corrections.js";
import { ZERO_SPAN, type Diagnostic } from "../../src/schema/diagnostic.js";
import { stderrDiagnostics } from "../../src/validate/classify-run.js";
import { UserError } from "../../src/util/errors.js";
import { loadCorpus } from "../../src/chatml/load-corpus.js";
import { extractCodeBlocks } from "../../src/chatml/code-blocks.js";
import { REPO_ROOT, programText, recordedVerdicts } from "../helpers/fixtures.js";
import { verdict } from "../helpers/fake-checker.js";

function diagnostic(code: string, message: string, line = 0, severity: Diagnostic["severity"] = "error"): Diagnostic {
  const span = { ...ZERO_SPAN, start_line: line, end_line: line, start_col: line ? 1 : 0, end_col: line ? 2 : 0 };
  return { code, severity, source: "hew-parser", file: "main.hew", span, message, notes: [], fixes: [] };
}

describe("classifyFailure", () => {
  it("reads a Verdict, counting a stderr error it already holds once", () => {
    const stderr = "E_CODEGEN_FRONT_LLVM: lowering failed\n";
    const v = { ...verdict("fn main() {}\n", "fail"), stderr, diagnostics: stderrDiagnostics(stderr, "main.hew") };
    const result = classifyFailure("fn main() {}\n", v);
    expect(result.category).toBe("compiler-limitation");
    expect(result.evidence).toHaveLength(1);
    expect(result.evidence[0]).toMatchObject({ code: "E_CODEGEN_FRONT_LLVM", matcher: "a codegen-front failure" });
  });

  it("reads errors that only reached stderr", () => {
    const result = classifyFailure("fn main() {}\n", { diagnostics: [], stderr: "E_CODEGEN_FRONT_UNSUPPORTED: no\n" });
    expect(result.category).toBe("compiler-limitation");
  });

  it("never lets a compiler limitation hide an error it does not recognise", () => {
    const result = classifyFailure("fn main() {}\n", {
      diagnostics: [diagnostic("NotYetImplemented", "x is not implemented yet"), diagnostic("NonExhaustiveMatch", "missing arms")],
    });
    expect(result.category).toBe("other");
    expect(result.evidence).toEqual([]);
    expect(result.alsoMatched).toEqual(["compiler-limitation"]);
    expect(result.unrecognised.map((d) => d.code)).toEqual(["NonExhaustiveMatch"]);
  });

  it("ignores warnings and calls a result without errors `other`", () => {
    const result = classifyFailure("fn main() {}\n", { diagnostics: [diagnostic("UseAfterMove", "use of moved value `x`", 1, "warning")] });
    expect(result).toEqual({ category: "other", evidence: [], alsoMatched: [], unrecognised: [] });
  });

  it("recognises prose left in a cleaned answer from the code the diagnostic points at", () => {
    const code = 'fn main() {\n    println("hi");\n}\nThat is all you need to print a greeting.\n';
    const result = classifyFailure(code, { diagnostics: [diagnostic("Other", "expected item (fn, actor, machine, type, import, ...), found identifier `That`", 4)] });
    expect(result.category).toBe("prose-leak");
    expect(result.evidence[0]!.source).toBe("That is all you need to print a greeting.");
  });

  it("does not take a Rust `use` line for prose", () => {
    const code = "use std::fmt;\nfn main() {}\n";
    const result = classifyFailure(code, { diagnostics: [diagnostic("Other", "expected item (fn, actor, machine, type, import, ...), found identifier `use`", 1)] });
    expect(result.category).toBe("legacy-path");
  });

  it("needs the program to tell a machine body from any other mismatch", () => {
    const d = diagnostic("Mismatch", "type mismatch: expected `Lamp`, found `string`", 1);
    expect(classifyFailure("machine Lamp {\n}\n", { diagnostics: [d] }).category).toBe("machine-syntax");
    expect(classifyFailure("type Lamp { on: bool; }\n", { diagnostics: [d] }).category).toBe("other");
  });
});

describe("looksLikeProse", () => {
  it("holds for the sentences models put around code", () => {
    for (const line of ["Here is a Hew program that prints the sum of two numbers:", "Sure! Below is the traffic light machine.", "The `main` function calls `sum()` twice."]) {
      expect(looksLikeProse(line), line).toBe(true);
    }
  });

  it("holds for no line of any passing program", () => {
    for (const record of recordedVerdicts().filter((r) => r.exitCode === 0)) {
      for (const line of programText(record).split("\n")) expect(looksLikeProse(line), `${record.file}: ${line}`).toBe(false);
    }
  });

  it("holds for no line of the bundled corpus's code", async () => {
    const lines = (await loadCorpus(["corpus/samples"], { cwd: REPO_ROOT })).flatMap((s) => extractCodeBlocks(s.sample.messages).flatMap((b) => b.code.split("\n")));
    expect(lines.length).toBeGreaterThan(1000);
    expect(lines.filter(looksLikeProse)).toEqual([]);
  });
});

describe("failureRegistry", () => {
  it("holds one module per category id, in priority order, with `other` last and empty", () => {
    expect(failureRegistry.map((c) => c.id)).toEqual([...FAILURE_CATEGORY_IDS]);
    expect(failureRegistry.at(-1)).toMatchObject({ id: "other", matchers: [] });
    for (const c of failureRegistry.slice(0, -1)) expect(c.matchers.length, c.id).toBeGreaterThan(0);
  });

  it("refuses an unknown category id, naming the known ones", () => {
    expect(getFailureCategory("rust-enum").title).toBe("Rust-style enums");
    expect(() => getFailureCategory("typos")).toThrow(UserError);
    expect(() => getFailureCategory("typos")).toThrow(/known: prose-leak, /);
  });
});

describe("classifyFailure on messages seen from the real checker beyond the recorded set", () => {
  const at = (code: string, message: string, line: number, source = "hew-types"): Diagnostic => ({ ...diagnostic(code, message, line), source });

  it("does not take a Rust `*` dereference for FFI when the program declares no extern block", () => {
    // `*counts.entry(w).or_insert(0) += 1;` draws all three.
    const diagnostics = [
      at("InvalidOperation", "invalid assignment target; expected identifier, field access, or index", 4),
      at("UndefinedMethod", "no method `entry` on HashMap", 4),
      at("UnsafeOperationRequiresBlock", "raw pointer dereference requires an `unsafe { ... }` block", 4),
    ];
    expect(classifyFailure("fn main() {\n}\n", { diagnostics }).category).toBe("invented-api");
    expect(classifyFailure('extern "C" {\n    fn f(p: *mut i64);\n}\n', { diagnostics: [diagnostics[2]!] }).category).toBe("unsafe-ffi");
  });

  it("recognises a keyword used as a name and a replaced supervisor field", () => {
    expect(classifyFailure("fn main() {}\n", { diagnostics: [at("Other", "`record` is a reserved word and cannot be used as a name", 3, "hew-parser")] }).category).toBe("rust-syntax");
    const replaced = at("Other", "supervisor field `max_restarts:` was replaced by the fused `intensity: N within <duration>` field", 2, "hew-parser");
    expect(classifyFailure("fn main() {}\n", { diagnostics: [replaced] }).category).toBe("supervisor-syntax");
  });
});
