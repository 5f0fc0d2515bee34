import { execFileSync } from "node:child_process";
import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { STAND_IN, recordedProgram, runCli, sampleLine, tempDir } from "../helpers/fixtures.js";
import { sha256Hex } from "../../src/util/hash.js";
import { VerdictCache } from "../../src/validate/verdict-cache.js";
import { verdict } from "../helpers/fake-checker.js";

const pass = recordedProgram("actors-pass-ledger").code;
const pass2 = recordedProgram("generators-pass-collatz-steps").code;
const fail = recordedProgram("generators-fail-yield-outside-gen--gen-fn-1").code;
const NO_HEW_PATH = "/usr/bin:/bin";

async function corpusDir(lines: string[]): Promise<string> {
  const dir = await tempDir();
  await mkdir(join(dir, "corpus", "samples"), { recursive: true });
  await writeFile(join(dir, "corpus", "samples", "a.jsonl"), lines.join("\n") + "\n");
  return dir;
}

describe("hew-corpus validate", () => {
  let dir: string;
  beforeAll(async () => {
    dir = await corpusDir([sampleLine("good", pass), sampleLine("bad", fail, "generators"), sampleLine("good-too", pass2, "generators")]);
  });

  it("prints the funnel and each failure with file:line, and exits 1", async () => {
    const r = await runCli(["validate", "--hew", STAND_IN], { cwd: dir });
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/3 samples in 1 files, 3 code blocks/);
    expect(r.stdout).toMatch(/^  pass\s+2$/m);
    expect(r.stdout).toMatch(/^  fail\s+1$/m);
    expect(r.stdout).toMatch(/corpus\/samples\/a\.jsonl:2 \[bad\] block 1: YieldOutsideGenerator `yield` outside of generator function \(\d+:\d+\)/);
    expect(r.stdout).toMatch(/hew-stand-in 0\.6\.0-rc2 .*checked now/);
  });

  it("answers from the cache on the next run", async () => {
    await runCli(["validate", "--hew", STAND_IN], { cwd: dir });
    const r = await runCli(["validate", "--hew", STAND_IN, "corpus/samples/a.jsonl"], { cwd: dir });
    expect(r.stdout).toMatch(/3 hew-stand-in .*from the verdict cache/);
  });

  it("prints a machine-readable report with --json", async () => {
    const r = await runCli(["validate", "--json", "--no-cache"], { cwd: dir, env: { HEW_BIN: STAND_IN } });
    const report = JSON.parse(r.stdout);
    expect(report.funnel).toMatchObject({ samples: 3, pass: 2, fail: 1 });
    expect(report.blocks[1]).toMatchObject({ file: "corpus/samples/a.jsonl", line: 2, sampleId: "bad", status: "fail", checker: { name: "hew-stand-in" } });
  });

  it("exits 0 when every block passes", async () => {
    const ok = await corpusDir([sampleLine("good", pass)]);
    expect((await runCli(["validate", "--hew", STAND_IN], { cwd: ok })).code).toBe(0);
  });

  it("says in one line how to get hew when there is none, and passes nothing", async () => {
    const r = await runCli(["validate"], { cwd: dir, env: { PATH: NO_HEW_PATH } });
    // 3, not 1: nothing was found wrong with the samples; they could not be judged.
    expect(r.code).toBe(3);
    expect(r.stdout).toMatch(/^  unchecked\s+3$/m);
    expect(r.stdout).toMatch(/^  pass\s+0$/m);
    expect(r.stdout.match(/^note: hew not found .*Install Hew.*--hew PATH, HEW_BIN=PATH/gm)).toHaveLength(1);
  });

  it("names each sample without a Hew code block", async () => {
    const prose = JSON.stringify({ id: "prose", messages: [{ role: "user", content: "Why actors?" }, { role: "assistant", content: "Because." }], meta: { category: "actors", source: "handwritten", tags: [] } });
    const r = await runCli(["validate", "--hew", STAND_IN], { cwd: await corpusDir([sampleLine("good", pass), prose]) });
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^  samples without a Hew code block: 1$/m);
    expect(r.stdout).toMatch(/^  corpus\/samples\/a\.jsonl:2 \[prose\]: no Hew code block$/m);
  });

  it("reports a mistake in the data as file:line without a stack trace", async () => {
    const bad = await corpusDir([sampleLine("good", pass), '{"id": "x", "messages": []}']);
    const r = await runCli(["validate", "--hew", STAND_IN], { cwd: bad });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^hew-corpus: corpus\/samples\/a\.jsonl:2: messages: /);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it("writes a verdict lock that validates offline, and a changed block misses it", async () => {
    const locked = await corpusDir([sampleLine("good", pass), sampleLine("good-too", pass2, "generators")]);
    const write = await runCli(["validate", "--hew", STAND_IN, "--update-lock"], { cwd: locked });
    expect(write.code).toBe(0);
    expect(write.stderr).toMatch(/wrote 2 verdicts to .*corpus\/verdicts\.lock\.jsonl/);

    const offline = await runCli(["validate", "--no-cache"], { cwd: locked, env: { PATH: NO_HEW_PATH } });
    expect(offline.code).toBe(0);
    expect(offline.stdout).toMatch(/2 hew-stand-in 0\.6\.0-rc2 .*recorded in the verdict lock/);
    expect(offline.stdout).not.toMatch(/checked now/);

    await writeFile(join(locked, "corpus", "samples", "a.jsonl"), sampleLine("good", pass + "\n") + "\n");
    const changed = await runCli(["validate", "--no-cache"], { cwd: locked, env: { PATH: NO_HEW_PATH } });
    expect(changed.code).toBe(3);
    expect(changed.stdout).toMatch(/a\.jsonl:1 \[good\] block 1: unchecked: hew not found/);
  });

  it("judges only staged corpus files, as staged", async () => {
    const repo = await corpusDir([sampleLine("good", pass)]);
    const git = (...args: string[]) => execFileSync("git", args, { cwd: repo, encoding: "utf8" });
    git("init", "-q");
    git("add", "corpus/samples/a.jsonl");
    // The working tree now holds a failing sample, but the index still has the good one.
    await writeFile(join(repo, "corpus", "samples", "a.jsonl"), sampleLine("bad", fail) + "\n");
    const staged = await runCli(["validate", "--staged", "--hew", STAND_IN], { cwd: repo });
    expect(staged.code).toBe(0);
    expect(staged.stdout).toMatch(/1 samples in 1 files/);
    git("add", "corpus/samples/a.jsonl");
    const refused = await runCli(["validate", "--staged", "--hew", STAND_IN], { cwd: repo });
    expect(refused.code).toBe(1);
    expect(refused.stdout).toMatch(/a\.jsonl:1 \[bad\] block 1: YieldOutsideGenerator/);
  });

  describe("after a compiler upgrade", () => {
    // The lock was recorded by an older checker that judged `fail` as passing and `pass` as failing:
    // rewriting its version and statuses stands for what an upgrade changes.
    async function lockedByOlder(): Promise<string> {
      const d = await corpusDir([sampleLine("good", pass), sampleLine("bad", fail, "generators"), sampleLine("good-too", pass2, "generators")]);
      const lockFile = join(d, "corpus", "verdicts.lock.jsonl");
      const older = (code: string, status: string) =>
        JSON.stringify({ status, diagnostics: [], stderr: "", checker: { name: "hew-stand-in", version: "0.5.6" }, codeHash: sha256Hex(code), durationMs: 1, checkedAt: "2026-01-01T00:00:00.000Z" });
      await writeFile(lockFile, [older(pass, "fail"), older(fail, "pass"), older(pass2, "pass")].join("\n") + "\n");
      return d;
    }

    it("checks again instead of answering from the lock, prints the drift and exits 1 for a pass that now fails", async () => {
      const d = await lockedByOlder();
      const r = await runCli(["validate", "--hew", STAND_IN, "--no-cache"], { cwd: d });
      expect(r.code).toBe(1);
      expect(r.stdout).toMatch(/^drift: 3 locked blocks re-checked with hew-stand-in 0\.6\.0-rc2 .*\(the lock was recorded by hew-stand-in 0\.5\.6\); 2 changed$/m);
      expect(r.stdout).toMatch(/^  pass -> fail: 1$/m);
      expect(r.stdout).toMatch(/^    YieldOutsideGenerator \(1\): corpus\/samples\/a\.jsonl:2 \[bad\]$/m);
      expect(r.stdout).toMatch(/^  fail -> pass: 1\n    \(no error code\) \(1\): corpus\/samples\/a\.jsonl:1 \[good\]$/m);
      expect(r.stdout).not.toMatch(/recorded in the verdict lock/);
    });

    it("carries the drift in --json, and --update-lock accepts today's verdicts", async () => {
      const d = await lockedByOlder();
      const r = await runCli(["validate", "--hew", STAND_IN, "--no-cache", "--json", "--update-lock"], { cwd: d });
      const report = JSON.parse(r.stdout);
      expect(report.drift.compared).toBe(3);
      expect(report.drift.blocks.map((b: { sampleId: string; kind: string }) => `${b.sampleId}:${b.kind}`).sort()).toEqual(["bad:pass-to-fail", "good:fail-to-pass"]);
      expect(report.drift.blocks.find((b: { sampleId: string }) => b.sampleId === "bad")).toMatchObject({ before: { status: "pass" }, after: { status: "fail", codes: expect.arrayContaining(["YieldOutsideGenerator"]) } });
      const again = await runCli(["validate", "--hew", STAND_IN, "--no-cache"], { cwd: d });
      expect(again.stdout).toMatch(/3 hew-stand-in 0\.6\.0-rc2 .*recorded in the verdict lock/);
      expect(again.stdout).not.toMatch(/^drift:/m);
    });

    it("tells a locked block's change once, in the drift, not again against an older cached verdict", async () => {
      const d = await lockedByOlder();
      await new VerdictCache(join(d, ".hew-corpus", "cache")).put(verdict(fail, "pass", { name: "hew-stand-in", version: "0.5.6" }));
      const r = await runCli(["validate", "--hew", STAND_IN], { cwd: d });
      expect(r.stdout).toMatch(/^    YieldOutsideGenerator \(1\): corpus\/samples\/a\.jsonl:2 \[bad\]$/m);
      expect(r.stdout).not.toMatch(/verdicts changed since an earlier compiler/);
    });

    it("answers from the lock without a compiler, naming the version that recorded it", async () => {
      const d = await lockedByOlder();
      const r = await runCli(["validate", "--no-cache"], { cwd: d, env: { PATH: NO_HEW_PATH } });
      expect(r.stdout).toMatch(/^note: no compiler here: 3 verdicts come from the verdict lock, recorded by hew-stand-in 0\.5\.6;/m);
      expect(r.stdout).not.toMatch(/^drift:/m);
    });
  });
});
