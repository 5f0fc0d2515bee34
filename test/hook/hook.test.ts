import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { chmod, mkdir, readFile, rename, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { CLI_ARGV, STAND_IN, recordedProgram, runCli, sampleLine, tempDir } from "../helpers/fixtures.js";

const pass = recordedProgram("actors-pass-ledger").code;
const fail = recordedProgram("generators-fail-yield-outside-gen--gen-fn-1").code;

// Git must not pick up the machine's own config (a global core.hooksPath, a template's hooks).
const GIT_ENV: NodeJS.ProcessEnv = {
  ...process.env,
  GIT_CONFIG_GLOBAL: "/dev/null",
  GIT_CONFIG_NOSYSTEM: "1",
  GIT_AUTHOR_NAME: "t",
  GIT_AUTHOR_EMAIL: "t@example.com",
  GIT_COMMITTER_NAME: "t",
  GIT_COMMITTER_EMAIL: "t@example.com",
  // The corpus config names the stand-in; a HEW_BIN from the environment would win over it.
  HEW_BIN: "",
};

function git(cwd: string, ...args: string[]): { code: number | null; out: string } {
  const r = spawnSync("git", args, { cwd, env: GIT_ENV, encoding: "utf8" });
  return { code: r.status, out: r.stdout + r.stderr };
}

function hewCorpus(args: string[], cwd: string) {
  return runCli(args, { cwd, env: GIT_ENV });
}

/** A corpus repository as a user has it: a config naming the compiler, one committed good sample. */
async function corpusRepo(): Promise<string> {
  const dir = await tempDir("hew-corpus-hook-");
  await mkdir(join(dir, "corpus", "samples"), { recursive: true });
  await writeFile(join(dir, "hew-corpus.config.yaml"), `corpus: [corpus/samples/**/*.jsonl]\nhew: ${STAND_IN}\n`);
  await writeFile(join(dir, ".gitignore"), "node_modules/\n.hew-corpus/\n");
  await writeFile(join(dir, "corpus", "samples", "a.jsonl"), sampleLine("good", pass) + "\n");
  git(dir, "init", "-q", "-b", "main");
  git(dir, "add", ".");
  expect(git(dir, "commit", "-q", "--no-verify", "-m", "start").code).toBe(0);
  return dir;
}

/**
 * What `npm install -D hew-corpus` leaves in a project: an executable `node_modules/.bin/hew-corpus`.
 * Here it runs the CLI from source.
 */
async function installLocally(dir: string): Promise<void> {
  const bin = join(dir, "node_modules", ".bin", "hew-corpus");
  await mkdir(join(dir, "node_modules", ".bin"), { recursive: true });
  await writeFile(bin, `#!/bin/sh\nexec ${CLI_ARGV.map((w) => `'${w}'`).join(" ")} "$@"\n`);
  await chmod(bin, 0o755);
}

async function stage(dir: string, file: string, text: string): Promise<void> {
  await writeFile(join(dir, file), text);
  git(dir, "add", file);
}

const head = (dir: string) => git(dir, "rev-parse", "HEAD").out.trim();
const hookFile = (dir: string) => join(dir, ".git", "hooks", "pre-commit");

describe("hew-corpus hook install", () => {
  it("uses the project's node_modules/.bin, refuses a failing sample with the failure listed, lets a good one through", async () => {
    const dir = await corpusRepo();
    await installLocally(dir);
    const installed = await hewCorpus(["hook", "install"], dir);
    expect(installed.code).toBe(0);
    expect(installed.stdout).toMatch(/installed .*\.git\/hooks\/pre-commit\n/);
    expect(installed.stdout).toMatch(/runs the project's node_modules\/\.bin\/hew-corpus/);
    // The hook names the local install relative to the repository, so it survives moving the clone.
    const script = await readFile(hookFile(dir), "utf8");
    expect(script).toContain('"$top"/node_modules/.bin/hew-corpus validate --staged');
    expect(script).not.toContain(dir);

    const before = head(dir);
    await stage(dir, "corpus/samples/b.jsonl", sampleLine("bad", fail, "generators") + "\n");
    const refused = git(dir, "commit", "-m", "add a failing sample");
    expect(refused.code).not.toBe(0);
    expect(refused.out).toMatch(/corpus\/samples\/b\.jsonl:1 \[bad\] block 1: YieldOutsideGenerator/);
    expect(refused.out).toMatch(/hew-corpus: commit refused: fix the samples listed above/);
    expect(head(dir)).toBe(before);

    await stage(dir, "corpus/samples/b.jsonl", sampleLine("good-b", pass) + "\n");
    const accepted = git(dir, "commit", "-m", "add a good sample");
    expect(accepted.out).toMatch(/^  pass\s+1$/m);
    expect(accepted.code).toBe(0);
    expect(head(dir)).not.toBe(before);
  });

  it("judges what `git commit -a` commits, and lets a commit that touches no sample through", async () => {
    const dir = await corpusRepo();
    await installLocally(dir);
    await hewCorpus(["hook", "install"], dir);
    await writeFile(join(dir, "corpus", "samples", "a.jsonl"), sampleLine("good", fail) + "\n");
    const refused = git(dir, "commit", "-a", "-m", "break a sample");
    expect(refused.code).not.toBe(0);
    expect(refused.out).toMatch(/a\.jsonl:1 \[good\] block 1: YieldOutsideGenerator/);

    git(dir, "checkout", "--", "corpus/samples/a.jsonl");
    await stage(dir, "README.md", "notes\n");
    const accepted = git(dir, "commit", "-m", "docs only");
    expect(accepted.code).toBe(0);
    expect(accepted.out).toMatch(/0 samples in 0 files/);
  });

  it("without a local install, records the command it was installed with", async () => {
    const dir = await corpusRepo();
    const installed = await hewCorpus(["hook", "install"], dir);
    expect(installed.code).toBe(0);
    expect(await readFile(hookFile(dir), "utf8")).toContain(CLI_ARGV.at(-1)!);
    await stage(dir, "corpus/samples/b.jsonl", sampleLine("bad", fail, "generators") + "\n");
    const refused = git(dir, "commit", "-m", "add a failing sample");
    expect(refused.code).not.toBe(0);
    expect(refused.out).toMatch(/b\.jsonl:1 \[bad\] block 1: YieldOutsideGenerator/);
  });

  it("validates from the folder of the corpus config when the corpus sits below the repository top", async () => {
    const top = await tempDir("hew-corpus-hook-");
    const dir = join(top, "data");
    await mkdir(join(dir, "corpus", "samples"), { recursive: true });
    await writeFile(join(dir, "hew-corpus.config.yaml"), `corpus: [corpus/samples/**/*.jsonl]\nhew: ${STAND_IN}\n`);
    await writeFile(join(top, ".gitignore"), "node_modules/\n.hew-corpus/\n");
    git(top, "init", "-q", "-b", "main");
    await installLocally(top);
    const installed = await hewCorpus(["hook", "install"], dir);
    expect(installed.stdout).toMatch(/validates staged samples from data; runs the project's node_modules\/\.bin\/hew-corpus/);
    await stage(top, "data/corpus/samples/a.jsonl", sampleLine("bad", fail) + "\n");
    const refused = git(top, "commit", "-m", "bad");
    expect(refused.code).not.toBe(0);
    expect(refused.out).toMatch(/corpus\/samples\/a\.jsonl:1 \[bad\] block 1: YieldOutsideGenerator/);
  });

  it("fails closed, saying what to do, when the project's CLI is gone", async () => {
    const dir = await corpusRepo();
    await installLocally(dir);
    await hewCorpus(["hook", "install"], dir);
    await rm(join(dir, "node_modules"), { recursive: true });
    await stage(dir, "corpus/samples/b.jsonl", sampleLine("good-b", pass) + "\n");
    const refused = git(dir, "commit", "-m", "x");
    expect(refused.code).not.toBe(0);
    expect(refused.out).toMatch(/cannot find .*node_modules\/\.bin\/hew-corpus: run npm install \(or skip this check once with git commit --no-verify\)/);
  });

  it("never clobbers a hook it did not write: refuses, chains with --chain, replaces with --force", async () => {
    const dir = await corpusRepo();
    await installLocally(dir);
    const theirs = `#!/bin/sh\necho their hook ran >> "${join(dir, "their-hook.log")}"\nexit "\${THEIR_HOOK_EXIT:-0}"\n`;
    await writeFile(hookFile(dir), theirs, { mode: 0o755 });

    const refused = await hewCorpus(["hook", "install"], dir);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/pre-commit already exists and was not written by hew-corpus: use --chain .* or --force/);
    expect(await readFile(hookFile(dir), "utf8")).toBe(theirs);

    const chained = await hewCorpus(["hook", "install", "--chain"], dir);
    expect(chained.stdout).toMatch(/the hook that was there runs first/);
    await stage(dir, "corpus/samples/b.jsonl", sampleLine("bad", fail, "generators") + "\n");
    const both = git(dir, "commit", "-m", "bad");
    expect(both.code).not.toBe(0);
    expect(both.out).toMatch(/YieldOutsideGenerator/);
    expect(await readFile(join(dir, "their-hook.log"), "utf8")).toBe("their hook ran\n");

    // Installing again keeps the chain.
    expect((await hewCorpus(["hook", "install"], dir)).stdout).toMatch(/replacing an earlier hew-corpus hook/);
    await stage(dir, "corpus/samples/b.jsonl", sampleLine("good-b", pass) + "\n");
    const theirsFails = spawnSync("git", ["commit", "-m", "good"], { cwd: dir, env: { ...GIT_ENV, THEIR_HOOK_EXIT: "1" }, encoding: "utf8" });
    expect(theirsFails.status).not.toBe(0);
    expect(theirsFails.stdout).not.toMatch(/hew-corpus validate/);

    const removed = await hewCorpus(["hook", "uninstall"], dir);
    expect(removed.stdout).toMatch(/the hook it chained is back in place/);
    expect(await readFile(hookFile(dir), "utf8")).toBe(theirs);

    const forced = await hewCorpus(["hook", "install", "--force"], dir);
    expect(forced.stdout).toMatch(/replacing the hook that was there/);
    expect(git(dir, "commit", "-m", "good").code).toBe(0);
    expect(await readFile(join(dir, "their-hook.log"), "utf8")).toBe("their hook ran\ntheir hook ran\n");
  });

  it("leaves repositories whose hooks another tool manages alone, pointing at the snippets", async () => {
    const dir = await corpusRepo();
    git(dir, "config", "core.hooksPath", ".husky/_");
    const r = await hewCorpus(["hook", "install"], dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/core\.hooksPath is set to \.husky\/_: .*docs\/hook\.md/);
    expect(existsSync(hookFile(dir))).toBe(false);
  });

  it("says so outside a git repository", async () => {
    const dir = await tempDir();
    const r = await hewCorpus(["hook", "install"], dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^hew-corpus: git rev-parse --show-toplevel failed: fatal: not a git repository/);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });
});

/** What git holds for a path in the last commit, or undefined when it holds nothing there. */
const committed = (dir: string, path: string) => {
  const r = git(dir, "show", `HEAD:${path}`);
  return r.code === 0 ? r.out : undefined;
};

describe("the pre-commit hook judges git's index, not the working tree", () => {
  async function hooked(config?: string): Promise<string> {
    const dir = await corpusRepo();
    if (config !== undefined) {
      await writeFile(join(dir, "hew-corpus.config.yaml"), config);
      git(dir, "commit", "-q", "--no-verify", "-am", "config");
    }
    await installLocally(dir);
    expect((await hewCorpus(["hook", "install"], dir)).code).toBe(0);
    return dir;
  }

  it("refuses a failing sample staged and then removed from the working tree", async () => {
    const dir = await hooked();
    await stage(dir, "corpus/samples/new.jsonl", sampleLine("bad", fail, "generators") + "\n");
    await rm(join(dir, "corpus", "samples", "new.jsonl"));
    const refused = git(dir, "commit", "-m", "x");
    expect(refused.code).not.toBe(0);
    expect(refused.out).toMatch(/corpus\/samples\/new\.jsonl:1 \[bad\] block 1: YieldOutsideGenerator/);
    expect(committed(dir, "corpus/samples/new.jsonl")).toBeUndefined();
  });

  it("refuses a failing sample staged and then moved, even out of the corpus's folder", async () => {
    const dir = await hooked();
    await stage(dir, "corpus/samples/new.jsonl", sampleLine("bad", fail, "generators") + "\n");
    await rename(join(dir, "corpus", "samples", "new.jsonl"), join(dir, "elsewhere.txt"));
    const refused = git(dir, "commit", "-m", "x");
    expect(refused.code).not.toBe(0);
    expect(refused.out).toMatch(/new\.jsonl:1 \[bad\] block 1: YieldOutsideGenerator/);
  });

  it("judges the staged content when the working tree holds a passing version", async () => {
    const dir = await hooked();
    await stage(dir, "corpus/samples/a.jsonl", sampleLine("good", fail) + "\n");
    await writeFile(join(dir, "corpus", "samples", "a.jsonl"), sampleLine("good", pass) + "\n");
    const refused = git(dir, "commit", "-m", "x");
    expect(refused.code).not.toBe(0);
    expect(refused.out).toMatch(/a\.jsonl:1 \[good\] block 1: YieldOutsideGenerator/);
  });

  it("refuses a staged sample that reuses the id of a committed one, and allows it once that one is deleted", async () => {
    const dir = await hooked();
    await stage(dir, "corpus/samples/b.jsonl", sampleLine("good", pass) + "\n");
    const refused = git(dir, "commit", "-m", "x");
    expect(refused.code).not.toBe(0);
    expect(refused.out).toMatch(/corpus\/samples\/b\.jsonl:1: id: duplicate sample id "good" \(already in the corpus at corpus\/samples\/a\.jsonl:1\)/);
    expect(refused.out).not.toMatch(/\n\s+at /);
    // Moving the sample from a.jsonl to b.jsonl in one commit is fine: the index holds it once.
    git(dir, "rm", "-q", "corpus/samples/a.jsonl");
    const moved = git(dir, "commit", "-m", "move");
    expect(moved.code).toBe(0);
    expect(committed(dir, "corpus/samples/b.jsonl")).toContain('"id":"good"');
  });

  it("lets a commit delete the last corpus file", async () => {
    const dir = await hooked();
    git(dir, "rm", "-q", "corpus/samples/a.jsonl");
    const r = git(dir, "commit", "-m", "empty the corpus");
    expect(r.out).not.toMatch(/no such file/);
    expect(r.code).toBe(0);
    expect(committed(dir, "corpus/samples/a.jsonl")).toBeUndefined();
  });

  it("says the compiler is missing, and how to point at one, when no hew can check the new code", async () => {
    const dir = await hooked("corpus: [corpus/samples/**/*.jsonl]\nhew: no-such-hew-compiler\n");
    await stage(dir, "corpus/samples/b.jsonl", sampleLine("good-b", pass) + "\n");
    const refused = git(dir, "commit", "-m", "x");
    expect(refused.code).not.toBe(0);
    expect(refused.out).toMatch(/hew-corpus: commit refused: no Hew compiler could check the new code .*HEW_BIN=PATH or `hew:` in hew-corpus\.config\.yaml/);
    expect(refused.out).not.toMatch(/fix the samples listed above/);
  });
});
