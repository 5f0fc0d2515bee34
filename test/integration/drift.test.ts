import { mkdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { REPO_ROOT, runCli, sampleLine, tempDir } from "../helpers/fixtures.js";
import { REAL_HEW, SKIP_REASON } from "../helpers/real-hew.js";

const LOCK = "corpus/verdicts.lock.jsonl";

// A lock recorded by "hew 0.5.6": the version string is rewritten, and the `Int` program, which 0.5 still
// accepted, is recorded as a pass.
async function lockedByOlderHew(): Promise<string> {
  const dir = await tempDir();
  await mkdir(join(dir, "corpus", "samples"), { recursive: true });
  await writeFile(
    join(dir, "corpus", "samples", "s.jsonl"),
    [
      sampleLine("forty-two", "fn f() -> i32 { 42 }\n\nfn main() {\n    println(f());\n}\n"),
      sampleLine("int", "fn main() {\n    let n: Int = 2;\n    println(n);\n}\n"),
    ].join("\n") + "\n",
  );
  const record = await runCli(["validate", "--no-cache", "--update-lock", "--hew", REAL_HEW!], { cwd: dir });
  expect(record.stderr).toMatch(/wrote 2 verdicts/);
  const lock = (await readFile(join(dir, LOCK), "utf8"))
    .split("\n")
    .filter(Boolean)
    .map((l) => JSON.parse(l) as { status: string; diagnostics: unknown[]; checker: { version: string } });
  const older = lock.map((v) => ({ ...v, status: "pass", diagnostics: [], checker: { ...v.checker, version: "0.5.6" } }));
  await writeFile(join(dir, LOCK), older.map((v) => JSON.stringify(v)).join("\n") + "\n");
  return dir;
}

describe.skipIf(!REAL_HEW)(`drift after a Hew upgrade (${REAL_HEW ?? SKIP_REASON})`, () => {
  it("re-checks a lock recorded by another version, prints the drift grouped by code, and exits 1", async () => {
    const dir = await lockedByOlderHew();
    const r = await runCli(["validate", "--no-cache", "--hew", REAL_HEW!], { cwd: dir });
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^drift: 2 locked blocks re-checked with hew 0\.6\.0\S* .*\(the lock was recorded by hew 0\.5\.6\); 1 changed$/m);
    expect(r.stdout).toMatch(/^  pass -> fail: 1\n    UndefinedType \(1\): corpus\/samples\/s\.jsonl:2 \[int\]$/m);
    expect(r.stdout).toMatch(/^\s+2 hew 0\.6\.0\S* .*checked now$/m);
  });

  it("accepts today's verdicts with --update-lock, after which the lock answers again", async () => {
    const dir = await lockedByOlderHew();
    const accept = await runCli(["validate", "--no-cache", "--update-lock", "--json", "--hew", REAL_HEW!], { cwd: dir });
    expect(JSON.parse(accept.stdout).drift.blocks).toMatchObject([{ sampleId: "int", kind: "pass-to-fail", after: { codes: ["UndefinedType"] } }]);
    const again = await runCli(["validate", "--no-cache", "--hew", REAL_HEW!], { cwd: dir });
    expect(again.stdout).toMatch(/^\s+2 hew 0\.6\.0\S* .*recorded in the verdict lock$/m);
    expect(again.stdout).not.toMatch(/^drift:/m);
  });

  it("drift checks samples, eval references, correction templates and rule examples, and names what broke", async () => {
    const dir = await lockedByOlderHew();
    // A rule that forbids what today's hew accepts: its bad example passes.
    await mkdir(join(dir, "prompts"));
    await writeFile(
      join(dir, "prompts", "r1.yaml"),
      [
        "id: r1",
        "preamble: Write Hew.",
        "rules:",
        "  - id: i32-return",
        "    text: Convert literals returned as i32.",
        "    addedIn: r1",
        "    examples:",
        "      bad:",
        "        - fails: Mismatch",
        "          program: |",
        "            fn f() -> i32 { 42 }",
        "            fn main() {",
        "                println(f());",
        "            }",
      ].join("\n") + "\n",
    );
    await writeFile(join(dir, "hew-corpus.config.yaml"), `systemPrompts: prompts\nevalPrompts: ${join(REPO_ROOT, "corpus", "eval", "prompts.yaml")}\ncacheDir: .cache\n`);
    const r = await runCli(["drift", "--renderings", "1", "--hew", REAL_HEW!], { cwd: dir });
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^  samples +2 blocks: 1 pass, 1 fail, 0 without a verdict, 2 re-checked against the lock, 1 changed$/m);
    expect(r.stdout).toMatch(/^  eval references +39 programs: 39 hold, 0 broken$/m);
    expect(r.stdout).toMatch(/^  correction templates +\d+ programs: \d+ hold, 0 broken$/m);
    expect(r.stdout).toMatch(/^  rule examples +1 programs: 0 hold, 1 broken$/m);
    expect(r.stdout).toMatch(/^    UndefinedType \(1\): corpus\/samples\/s\.jsonl:2 \[int\]$/m);
    expect(r.stdout).toMatch(/^rule examples: 1 broken\n  fail -> pass: 1\n    Mismatch \(1\): r1 i32-return bad 1$/m);
  });
});
