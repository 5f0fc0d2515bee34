import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { hewChecker } from "../../src/validate/hew-checker.js";
import { programText, recordedVerdicts, runCli, sampleLine, tempDir } from "../helpers/fixtures.js";
import { REAL_HEW, SKIP_REASON } from "../helpers/real-hew.js";

describe.skipIf(!REAL_HEW)(`the real hew checker (${REAL_HEW ? REAL_HEW : SKIP_REASON})`, () => {
  const checker = hewChecker({ bin: REAL_HEW ?? "hew" });
  afterAll(() => checker.close?.());

  it("identifies itself as hew", async () => {
    expect(await checker.identify()).toEqual({ name: "hew", version: expect.stringMatching(/^\d+\.\d+\.\d+/) });
  });

  it("agrees with every recorded verdict: status and diagnostic codes", async () => {
    const mismatches: string[] = [];
    for (const record of recordedVerdicts()) {
      const verdict = await checker.check(programText(record));
      const expected = record.exitCode === 0 ? "pass" : "fail";
      const codes = verdict.diagnostics.map((d) => d.code).join(",");
      const recorded = record.diagnostics.map((d) => d.code).join(",");
      if (verdict.status !== expected || codes !== recorded) mismatches.push(`${record.file}: ${verdict.status} [${codes}] vs ${expected} [${recorded}]`);
    }
    expect(mismatches).toEqual([]);
  });

  it("validates a corpus from the command line", async () => {
    const dir = await tempDir();
    await mkdir(join(dir, "samples"));
    await writeFile(
      join(dir, "samples", "s.jsonl"),
      [sampleLine("ok", "fn main() {\n    let n: i64 = 2;\n    println(n * 21);\n}\n"), sampleLine("int", "fn main() {\n    let n: Int = 2;\n    println(n);\n}\n")].join("\n") + "\n",
    );
    const r = await runCli(["validate", "samples", "--hew", REAL_HEW!], { cwd: dir });
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/samples\/s\.jsonl:2 \[int\] block 1: UndefinedType unknown type `Int`/);
    expect(r.stdout).toMatch(/^\s+2 hew \d.*checked now$/m);
  });

  it("passes the starter corpus that init writes", async () => {
    const dir = await tempDir();
    expect((await runCli(["init"], { cwd: dir })).code).toBe(0);
    const r = await runCli(["validate", "--hew", REAL_HEW!], { cwd: dir });
    expect(r.stdout).toMatch(/^  pass\s+1$/m);
    expect(r.code).toBe(0);
  });
});
