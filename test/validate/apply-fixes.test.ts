import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parseSamplesJsonl } from "../../src/chatml/jsonl.js";
import { DiagnosticArraySchema, ZERO_SPAN, type Diagnostic } from "../../src/schema/diagnostic.js";
import type { Checker } from "../../src/validate/checker.js";
import { applyFixes, fixFailingBlocks, formatBlockDiff, formatFixes, writeFixedSamples } from "../../src/validate/apply-fixes.js";
import { validateSamples } from "../../src/validate/validate-samples.js";
import { hew, verdict } from "../helpers/fake-checker.js";
import { recordedProgram, runCli, sampleLine, tempDir } from "../helpers/fixtures.js";
import { REAL_HEW, SKIP_REASON } from "../helpers/real-hew.js";

const assignToLet = recordedProgram("algorithms-fail-rust-syntax--assign-to-let");
const recordedDiagnostics = DiagnosticArraySchema.parse(assignToLet.record.diagnostics);

/** A diagnostic whose one fix replaces the given text of `code` (found by its UTF-8 byte offsets). */
function fixing(code: string, target: string, newText: string, options: { severity?: Diagnostic["severity"]; title?: string; occurrence?: number } = {}): Diagnostic {
  let at = -1;
  for (let i = 0; i <= (options.occurrence ?? 0); i++) at = code.indexOf(target, at + 1);
  const start = Buffer.byteLength(code.slice(0, at));
  const span = { ...ZERO_SPAN, start_byte: start, end_byte: start + Buffer.byteLength(target) };
  const title = options.title ?? `Replace with \`${newText}\``;
  return { code: "UndefinedVariable", severity: options.severity ?? "error", source: "hew-types", file: "main.hew", span, message: "m", notes: [], fixes: [{ title, edits: [{ span, new_text: newText }] }] };
}

describe("applyFixes", () => {
  it("applies the fix a recorded diagnostic carries", () => {
    const out = applyFixes(assignToLet.code, recordedDiagnostics);
    expect(out.applied).toEqual([{ code: "MutabilityError", title: "Change `let` to `var`" }]);
    expect(out.code).toBe(assignToLet.code.replace("let count", "var count"));
  });

  it("counts offsets in UTF-8 bytes, not UTF-16 units", () => {
    const code = 'fn main() {\n    let s = "é✓🙂";\n    println(totl);\n}\n';
    const d = fixing(code, "totl", "total");
    expect(d.span.start_byte).not.toBe(code.indexOf("totl"));
    expect(applyFixes(code, [d]).code).toBe(code.replace("totl", "total"));
  });

  it("applies several fixes from the end backwards, and skips what overlaps or does not fit", () => {
    const code = "let a = 1;\nlet b = 2;\nlet c = 3;\n";
    const first = fixing(code, "let", "var");
    const third = fixing(code, "let", "var", { occurrence: 2 });
    const overlapping = fixing(code, "let a", "var z", { title: "overlap" });
    const outside = { ...fixing(code, "c", "d"), fixes: [{ title: "outside", edits: [{ span: { ...ZERO_SPAN, start_byte: 5, end_byte: 999 }, new_text: "x" }] }] };
    const warning = fixing(code, "b", "_b", { severity: "warning" });
    const out = applyFixes(code, [third, first, overlapping, outside, warning]);
    expect(out.code).toBe("var a = 1;\nlet b = 2;\nvar c = 3;\n");
    expect(out.applied.map((a) => a.title)).toEqual(["Replace with `var`", "Replace with `var`"]);
    expect(out.skipped.map((s) => [s.title, s.reason])).toEqual([
      ["overlap", "overlaps an earlier fix"],
      ["outside", "span 5..999 is not a character range of the 33-byte code"],
    ]);
  });

  it("refuses a span that cuts a character in two", () => {
    const code = 'let s = "é";\n';
    const e = Buffer.byteLength('let s = "');
    const d = { ...fixing(code, "s", "t"), fixes: [{ title: "cut", edits: [{ span: { ...ZERO_SPAN, start_byte: e + 1, end_byte: e + 2 }, new_text: "e" }] }] };
    const out = applyFixes(code, [d]);
    expect(out.code).toBe(code);
    expect(out.skipped[0]!.reason).toMatch(/not a character range/);
  });
});

describe("formatBlockDiff", () => {
  it("shows the changed lines between the common head and tail", () => {
    expect(formatBlockDiff("a\nb\nc\nd\n", "a\nB\nC\nd\n")).toBe("    @@ line 2\n    - b\n    - c\n    + B\n    + C");
  });
});

/** Fails the original program with its recorded diagnostics; passes anything else. */
const recordedThenPass: Checker = {
  identify: async () => hew,
  check: async (code) => (code === assignToLet.code ? { ...verdict(code, "fail"), diagnostics: recordedDiagnostics } : verdict(code, "pass")),
};

async function corpusFile(lines: string[]): Promise<{ dir: string; file: string }> {
  const dir = await tempDir();
  await writeFile(join(dir, "a.jsonl"), lines.join("\n") + "\n");
  return { dir, file: "a.jsonl" };
}

describe("fixing samples", () => {
  const prefixed = (id: string) => {
    const line = JSON.parse(sampleLine(id, assignToLet.code, "algorithms"));
    line.messages[1].content = `Voilà 🙂 — the program:\n${line.messages[1].content}\nDone ✓`;
    return JSON.stringify(line);
  };

  it("puts the fixed block back into its message and rewrites only that line", async () => {
    const other = sampleLine("other", 'fn main() {\n    println("ok");\n}\n');
    const { dir, file } = await corpusFile([other, prefixed("fixme")]);
    const before = await readFile(join(dir, file), "utf8");
    const samples = parseSamplesJsonl(before, file);
    const run = await fixFailingBlocks(await validateSamples(samples, recordedThenPass), recordedThenPass);
    expect(run.fixes).toHaveLength(1);
    expect(run.fixes[0]).toMatchObject({ passed: true, applied: [{ title: "Change `let` to `var`" }] });
    expect(run.results.every((r) => r.valid)).toBe(true);
    expect(await writeFixedSamples(run.fixes, samples, dir)).toBe(1);
    const after = (await readFile(join(dir, file), "utf8")).split("\n");
    expect(after[0]).toBe(before.split("\n")[0]);
    const fixed = JSON.parse(after[1]!);
    expect(fixed.messages[1].content).toBe(`Voilà 🙂 — the program:\n\`\`\`hew\n${assignToLet.code.replace("let count", "var count")}\`\`\`\nDone ✓`);
    expect(formatFixes(run.fixes)).toMatch(/^a\.jsonl:2 \[fixme\] block 1: fixed: Change `let` to `var` \(MutabilityError\)\n {4}@@ line 2\n {4}- {5}let count = 0;\n {4}\+ {5}var count = 0;$/m);
  });

  it("leaves a block alone when the fixed code still fails", async () => {
    const stillFails: Checker = { identify: async () => hew, check: async (code) => ({ ...verdict(code, "fail"), diagnostics: code === assignToLet.code ? recordedDiagnostics : [] }) };
    const { dir, file } = await corpusFile([prefixed("stuck")]);
    const samples = parseSamplesJsonl(await readFile(join(dir, file), "utf8"), file);
    const run = await fixFailingBlocks(await validateSamples(samples, stillFails), stillFails);
    expect(run.fixes[0]!.passed).toBe(false);
    expect(run.results[0]!.valid).toBe(false);
    expect(await writeFixedSamples(run.fixes, samples, dir)).toBe(0);
    expect(formatFixes(run.fixes)).toMatch(/not fixed, left as it was \(still fail\)/);
  });

  it("refuses to overwrite a line that changed since it was validated", async () => {
    const { dir, file } = await corpusFile([prefixed("moving")]);
    const samples = parseSamplesJsonl(await readFile(join(dir, file), "utf8"), file);
    const run = await fixFailingBlocks(await validateSamples(samples, recordedThenPass), recordedThenPass);
    await writeFile(join(dir, file), sampleLine("someone-else", "fn main() {}\n") + "\n");
    await expect(writeFixedSamples(run.fixes, samples, dir)).rejects.toThrow(/a\.jsonl:1: changed since it was validated/);
  });
});

describe("hew-corpus validate --fix", () => {
  it("cannot be used with --staged", async () => {
    const { dir } = await corpusFile([sampleLine("x", "fn main() {}\n")]);
    const r = await runCli(["validate", "--fix", "--staged"], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--fix cannot be used with --staged/);
  });

  it.skipIf(!REAL_HEW)(`repairs a recorded failing program that carries a fix, with the real hew (${REAL_HEW ?? SKIP_REASON})`, async () => {
    const { dir, file } = await corpusFile([sampleLine("assign-to-let", assignToLet.code, "algorithms")]);
    const r = await runCli(["validate", "--fix", "--no-cache", file], { cwd: dir, env: { HEW_BIN: REAL_HEW! } });
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/fix: 1 of 1 block\(s\) with compiler fixes now pass/);
    expect(r.stdout).toMatch(/^ {4}\+ {5}var count = 0;$/m);
    expect(r.stdout).toMatch(/^  pass\s+1$/m);
    const [sample] = parseSamplesJsonl(await readFile(join(dir, file), "utf8"), file);
    expect(sample!.sample.messages[1]!.content).toContain("var count = 0;");
    const again = await runCli(["validate", "--no-cache", file], { cwd: dir, env: { HEW_BIN: REAL_HEW! } });
    expect(again.code).toBe(0);
  });
});
