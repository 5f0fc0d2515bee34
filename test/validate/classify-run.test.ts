import { describe, expect, it } from "vitest";
import { classifyRun, stderrDiagnostics } from "../../src/validate/classify-run.js";
import { describeDiagnostic } from "../../src/validate/report.js";
import type { ProcessResult } from "../../src/validate/run-process.js";
import { recordedProgram } from "../helpers/fixtures.js";

const run = (over: Partial<ProcessResult>): ProcessResult => ({
  exitCode: 0,
  signal: null,
  stdout: "[]\n",
  stderr: "",
  timedOut: false,
  overflowed: false,
  durationMs: 5,
  ...over,
});

describe("verdict rules", () => {
  it("passes exit 0 with no error diagnostic, warnings kept", () => {
    const { record } = recordedProgram("algorithms-pass-unused-variable-warning");
    const out = classifyRun(run({ stdout: record.stdout }), "main.hew", 1000);
    expect(out.status).toBe("pass");
    expect(out.diagnostics.map((d) => [d.code, d.severity])).toEqual([
      ["UnusedVariable", "warning"],
      ["dead_store", "warning"],
    ]);
  });

  it("fails exit 1 with the recorded diagnostics", () => {
    const { record } = recordedProgram("algorithms-fail-rust-syntax--assign-to-let");
    const out = classifyRun(run({ exitCode: 1, stdout: record.stdout }), "main.hew", 1000);
    expect(out.status).toBe("fail");
    expect(out.diagnostics.map((d) => d.code)).toEqual(record.diagnostics.map((d) => d.code));
  });

  it("turns stderr text errors into diagnostics next to the JSON ones", () => {
    const out = classifyRun(run({ exitCode: 1, stdout: "[]", stderr: "E_CODEGEN_FRONT_LLVM: verify failed\nnoise\nError: hew.toml: bad edition\n" }), "main.hew", 1000);
    expect(out.status).toBe("fail");
    expect(out.diagnostics.map((d) => [d.code, d.source, d.severity])).toEqual([
      ["E_CODEGEN_FRONT_LLVM", "hew", "error"],
      ["E_MESSAGE", "hew", "error"],
    ]);
    expect(out.diagnostics.map((d) => describeDiagnostic(d))).toEqual(["E_CODEGEN_FRONT_LLVM verify failed", "E_MESSAGE Error: hew.toml: bad edition"]);
    expect(stderrDiagnostics("warning: x\n", "f")).toEqual([]);
  });

  it.each([
    ["exit 2", run({ exitCode: 2, stderr: "error: unexpected argument" }), /exit code 2: error: unexpected argument/],
    ["a signal", run({ exitCode: null, signal: "SIGSEGV" }), /killed by signal SIGSEGV/],
    ["a timeout", run({ timedOut: true, exitCode: null, signal: "SIGKILL" }), /timed out after 1000 ms/],
    ["too much output", run({ overflowed: true }), /output exceeded/],
    ["a missing binary", run({ exitCode: null, spawnError: Object.assign(new Error("spawn hew ENOENT"), { code: "ENOENT" }) }), /could not start/],
    ["garbage", run({ stdout: "thread main panicked {" }), /not the hew check JSON contract \(stdout is not JSON/],
    ["nothing", run({ stdout: "" }), /empty stdout/],
    ["the wrong shape", run({ exitCode: 1, stdout: '[{"code": 7}]' }), /not the hew check JSON contract \(at 0\.code/],
    ["exit 1 with nothing", run({ exitCode: 1, stdout: "[]" }), /exit code 1 without any error diagnostic/],
    ["exit 1 with warnings only", run({ exitCode: 1, stdout: recordedProgram("algorithms-pass-unused-variable-warning").record.stdout }), /without any error/],
    ["exit 0 with an error", run({ exitCode: 0, stdout: recordedProgram("algorithms-fail-rust-syntax--assign-to-let").record.stdout }), /exit code 0 with \d+ error/],
  ])("gives checker-error, never pass, for %s", (_name, result, reason) => {
    const out = classifyRun(result, "main.hew", 1000);
    expect(out.status).toBe("checker-error");
    expect(out.reason).toMatch(reason);
  });
});
