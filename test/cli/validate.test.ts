import { execFileSync } from "node:child_process";
import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { STAND_IN, recordedProgram, runCli, sampleLine, tempDir } from "../helpers/fixtures.js";

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
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^  unchecked\s+3$/m);
    expect(r.stdout).toMatch(/^  pass\s+0$/m);
    expect(r.stdout.match(/^note: hew not found .*Install Hew.*--hew PATH, HEW_BIN=PATH/gm)).toHaveLength(1);
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
    expect(changed.code).toBe(1);
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
});
