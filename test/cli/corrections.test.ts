import { cp, mkdir, readFile, writeFile } from "node:fs/promises";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parseSamplesJsonl } from "../../src/chatml/jsonl.js";
import { REPO_ROOT, runCli, tempDir } from "../helpers/fixtures.js";
import { savedRun } from "../helpers/eval-run.js";
import { REAL_HEW, SKIP_REASON } from "../helpers/real-hew.js";

const NO_HEW_PATH = "/usr/bin:/bin";

/** A project folder with the bundled system prompts and an eval run. */
async function project(): Promise<string> {
  const dir = await tempDir();
  await writeFile(join(dir, "hew-corpus.config.yaml"), "corpus:\n  - corpus/samples/**/*.jsonl\nsystemPrompts: corpus/system-prompts\n");
  await cp(join(REPO_ROOT, "corpus", "system-prompts"), join(dir, "corpus", "system-prompts"), { recursive: true });
  await mkdir(join(dir, "runs"));
  await writeFile(
    join(dir, "runs", "r1.jsonl"),
    savedRun("r1", [
      { promptId: "a1", category: "algorithms", outcome: "fail", failureCategory: "invented-api" },
      { promptId: "a2", category: "algorithms", outcome: "fail", failureCategory: "invented-api" },
      { promptId: "p1", category: "pattern-matching", outcome: "fail", failureCategory: "compiler-limitation" },
      { promptId: "g1", category: "generators", outcome: "pass" },
    ]),
  );
  return dir;
}

describe("hew-corpus corrections", () => {
  it("lists the registry in priority order", async () => {
    const r = await runCli(["corrections", "list"], { cwd: await tempDir() });
    expect(r.code).toBe(0);
    expect(r.stdout.match(/^[a-z-]+: /gm)).toHaveLength(15);
    expect(r.stdout).toMatch(/^prose-leak: Prose or markdown around the code$/m);
    expect(r.stdout).toMatch(/^  templates: vec-sum-loop, hashmap-count, int-to-string$/m);
  });

  it("plans from an eval run", async () => {
    const dir = await project();
    const r = await runCli(["corrections", "plan", "runs/r1.jsonl", "-n", "4"], { cwd: dir });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^4 answers: 1 pass, 3 fail \(pass rate 25\.0%\)$/m);
    expect(r.stdout).toMatch(/^  invented-api\s+2  propose 4 samples/m);
    expect(r.stdout).toMatch(/^system prompt v3: 2 rule change\(s\) proposed:\n  \+ std-modules \[invented-api\].*\n  \+ compiler-gaps \[compiler-limitation\]/m);
    const json = JSON.parse((await runCli(["corrections", "plan", "runs/r1.jsonl", "--json"], { cwd: dir })).stdout);
    expect(json.categories.map((c: { category: string }) => c.category)).toEqual(["invented-api", "compiler-limitation"]);
  });

  it("reports a bad run record by file and line, without a stack trace", async () => {
    const dir = await project();
    await writeFile(join(dir, "runs", "bad.jsonl"), savedRun("bad", [{ promptId: "x", category: "actors", outcome: "fail", failureCategory: "typo" as "other" }]));
    const r = await runCli(["corrections", "plan", "runs/bad.jsonl"], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^hew-corpus: runs\/bad\.jsonl:2: failureCategory: Invalid option: expected one of .*"prose-leak"/);
  });

  it("asks what to generate for, and refuses an unknown category", async () => {
    const dir = await project();
    expect((await runCli(["corrections", "generate"], { cwd: dir })).stderr).toMatch(/--run RUN .* or --category ID/);
    expect((await runCli(["corrections", "generate", "--category", "typo"], { cwd: dir })).stderr).toMatch(/unknown failure category "typo"; known: /);
  });

  it("writes nothing when no checker verdict can be had", async () => {
    const dir = await project();
    const r = await runCli(["corrections", "generate", "--category", "integer-type", "-n", "2"], { cwd: dir, env: { PATH: NO_HEW_PATH } });
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^integer-type\s+0\/2\s+\d+\s+unchecked \d+$/m);
    expect(r.stdout).toMatch(/unchecked: .*hew not found/);
    expect(existsSync(join(dir, "corpus", "samples", "corrections.jsonl"))).toBe(false);
  });

  it.skipIf(!REAL_HEW)(`generates for a run's failures, appends on the next run, and the result validates (${REAL_HEW ?? SKIP_REASON})`, async () => {
    const dir = await project();
    const env = { HEW_BIN: REAL_HEW! };
    const out = join(dir, "corpus", "samples", "corrections.jsonl");
    const first = await runCli(["corrections", "generate", "--run", "runs/r1.jsonl", "-n", "3"], { cwd: dir, env });
    expect(first.stderr).toBe("");
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(/^invented-api\s+3\/3/m);
    expect(first.stdout).toMatch(/^compiler-limitation\s+3\/3/m);
    expect(first.stdout).toMatch(/wrote 6 new samples to corpus\/samples\/corrections\.jsonl \(6 in the file\)/);
    const second = await runCli(["corrections", "generate", "--category", "rust-enum", "-n", "2"], { cwd: dir, env });
    expect(second.stdout).toMatch(/wrote 2 new samples .*\(8 in the file\)/);
    const samples = parseSamplesJsonl(await readFile(out, "utf8"), out);
    expect(samples.map((s) => s.sample.meta.correctsFailure)).toEqual([...Array(3).fill("invented-api"), ...Array(3).fill("compiler-limitation"), "rust-enum", "rust-enum"]);
    const validate = await runCli(["validate", "--no-cache"], { cwd: dir, env });
    expect(validate.stdout).toMatch(/^  pass\s+8$/m);
    expect(validate.code).toBe(0);
  });
});

describe("hew-corpus prompt", () => {
  it("shows a version's rules, or the system message itself", async () => {
    const dir = await project();
    const r = await runCli(["prompt", "show", "v2"], { cwd: dir });
    expect(r.stdout).toMatch(/^v2 \(parent v1\): 30 rules$/m);
    expect(r.stdout).toMatch(/^1\. answer-format \[prose-leak, added in v1, 2 examples\]$/m);
    const rendered = await runCli(["prompt", "show", "v2", "--rendered"], { cwd: dir });
    expect(rendered.stdout).toMatch(/^You are an expert Hew programmer/);
    expect(rendered.stdout).toMatch(/^Rules:\n1\. Output exactly one/m);
  });

  it("diffs two versions rule by rule", async () => {
    const r = await runCli(["prompt", "diff", "v1", "v2"], { cwd: await project() });
    expect(r.stdout).toMatch(/^v1 -> v2: 19 added, 0 removed, 11 changed, preamble changed$/m);
    expect(r.stdout).toMatch(/^\+ numeric-casts \[integer-type, added in v2, 2 examples\]$/m);
    expect(r.stdout).toMatch(/^ {4}bad 1 \(must fail with Mismatch\):\n {8}fn area\(w: i32, h: i32\) -> i64 \{$/m);
    expect(r.stdout).toMatch(/^~ int-types: text, reason, examples changed\n {4}text: - Use `Int` for integers/m);
  });

  it("writes the next version with the registry's missing rules, once, keeping the parent's examples", async () => {
    const dir = await project();
    const r = await runCli(["prompt", "new", "--from", "v3", "--run", "runs/r1.jsonl"], { cwd: dir });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^wrote corpus\/system-prompts\/v4\.yaml\nv3 -> v4: 2 added, 0 removed, 0 changed\n\+ std-modules \[invented-api, added in v4, no examples\]$/m);
    expect(r.stdout).toMatch(/^\+ compiler-gaps \[compiler-limitation, added in v4, no examples\]$/m);
    expect((await runCli(["prompt", "diff", "v3", "v4"], { cwd: dir })).stdout).toMatch(/^\+ compiler-gaps/m);
    expect((await runCli(["prompt", "show"], { cwd: dir })).stdout).toMatch(/^v4 \(parent v3\): 23 rules$/m);
    expect((await runCli(["prompt", "show", "v4"], { cwd: dir })).stdout).toMatch(/^1\. answer-format \[prose-leak, added in v1, 2 examples\]$/m);
    const again = await runCli(["prompt", "new", "--from", "v4", "--run", "runs/r1.jsonl"], { cwd: dir });
    expect(again.stderr).toMatch(/nothing to propose for v4/);
    const old = await runCli(["prompt", "new", "--from", "v1", "--id", "v1b"], { cwd: dir });
    expect(old.stderr).toMatch(/--from v1: only the latest version \(v4\) can get a successor/);
  });
});
