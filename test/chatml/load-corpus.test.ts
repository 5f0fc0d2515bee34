import { execFile, execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { chmod, mkdir, symlink, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadCorpus, resolveCorpusFiles } from "../../src/chatml/load-corpus.js";
import { CLI_ARGV, runCli, sampleLine, tempDir, type CliResult } from "../helpers/fixtures.js";

const CODE = "fn main() {\n}\n";

async function corpus(files: Record<string, string | Uint8Array>): Promise<string> {
  const dir = await tempDir();
  for (const [name, content] of Object.entries(files)) {
    await mkdir(join(dir, name, ".."), { recursive: true });
    await writeFile(join(dir, name), content);
  }
  return dir;
}

describe("corpus files as they come", () => {
  it("reports bytes that are not UTF-8 as file:line, never as U+FFFD", async () => {
    const bad = Buffer.concat([Buffer.from(sampleLine("a", CODE) + "\n"), Buffer.from(sampleLine("b", "fn main() { let s = \"\xff\"; }\n"), "latin1"), Buffer.from("\n")]);
    const dir = await corpus({ "s/a.jsonl": bad });
    await expect(loadCorpus(["s"], { cwd: dir })).rejects.toThrow(/^s\/a\.jsonl:2: invalid UTF-8 \(save the file as UTF-8\)$/);
  });

  it("accepts a file that starts with a UTF-8 byte-order mark", async () => {
    const dir = await corpus({ "s/a.jsonl": "\ufeff" + sampleLine("a", CODE) + "\n" });
    const samples = await loadCorpus(["s"], { cwd: dir });
    expect(samples.map((s) => s.sample.id)).toEqual(["a"]);
  });

  it("takes an existing path with glob characters as that path", async () => {
    const names = ["a[1](x).jsonl", "@(x).jsonl", "+(x).jsonl", "b{1,2}.jsonl"];
    const dir = await corpus(Object.fromEntries(names.map((n, i) => [join("s", n), sampleLine(`id-${i}`, CODE) + "\n"])));
    for (const [i, n] of names.entries()) {
      const samples = await loadCorpus([join("s", n)], { cwd: dir });
      expect(samples.map((s) => s.sample.id)).toEqual([`id-${i}`]);
    }
    // A glob is still a glob when no file has its name.
    expect(await resolveCorpusFiles(["s/*.jsonl"], { cwd: dir })).toEqual(["s/+(x).jsonl", "s/@(x).jsonl", "s/a[1](x).jsonl", "s/b{1,2}.jsonl"]);
  });

  it("follows a symlinked folder once per real folder: a cycle adds no copies and ends", async () => {
    const dir = await corpus({ "s/d/a.jsonl": sampleLine("a", CODE) + "\n", "other/b.jsonl": sampleLine("b", CODE) + "\n" });
    await symlink("..", join(dir, "s", "d", "up"));
    await symlink("../..", join(dir, "s", "d", "up2"));
    await symlink("../other", join(dir, "s", "linked"));
    await symlink("../other", join(dir, "s", "linked-again"));
    for (const pattern of ["s", "s/**/*.jsonl"]) {
      const files = await resolveCorpusFiles([pattern], { cwd: dir });
      expect(files).toHaveLength(2);
      expect(files).toContain("s/d/a.jsonl");
      expect((await loadCorpus([pattern], { cwd: dir })).map((s) => s.sample.id).sort()).toEqual(["a", "b"]);
    }
  });

  it("names a symlink loop in one line", async () => {
    const dir = await corpus({});
    await symlink("loop.jsonl", join(dir, "loop.jsonl"));
    await expect(loadCorpus(["loop.jsonl"], { cwd: dir })).rejects.toThrow(/^loop\.jsonl: cannot read: ELOOP: too many symbolic links/);
  });
});

/**
 * A folder without read permission. Root reads every folder, so as root the CLI runs as `nobody` (through
 * setpriv) to meet a real EACCES; as any other user a chmod 000 is enough. `nobody` must be able to read the
 * checkout itself (a clone inside a private temp folder is not), else the test is skipped.
 */
function runAsUnprivileged(args: string[], cwd: string): Promise<CliResult> | undefined {
  const root = process.getuid?.() === 0;
  if (!root) return runCli(args, { cwd });
  if (!existsSync("/usr/bin/setpriv")) return undefined;
  const asNobody = ["--reuid=65534", "--regid=65534", "--clear-groups"];
  try {
    execFileSync("/usr/bin/setpriv", [...asNobody, "test", "-r", CLI_ARGV[CLI_ARGV.length - 1]!]);
  } catch {
    return undefined;
  }
  return new Promise((resolvePromise) => {
    execFile("/usr/bin/setpriv", [...asNobody, ...CLI_ARGV, ...args], { cwd, env: { ...process.env, HOME: cwd } }, (err, stdout, stderr) =>
      resolvePromise({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
  });
}

describe("a corpus folder without read permission", () => {
  it.each(["validate", "stats"])("%s says which folder it cannot read, in one line", async (command) => {
    const dir = await corpus({ "corpus/samples/ok.jsonl": sampleLine("a", CODE) + "\n", "corpus/samples/locked/b.jsonl": sampleLine("b", CODE) + "\n" });
    await chmod(dir, 0o755);
    await chmod(join(dir, "corpus"), 0o755);
    await chmod(join(dir, "corpus", "samples"), 0o755);
    await chmod(join(dir, "corpus", "samples", "locked"), 0o000);
    const run = runAsUnprivileged([command, "corpus/samples"], dir);
    if (!run) return void console.warn("skipped: running as root, and without setpriv or a checkout that nobody may read, no folder is unreadable");
    const r = await run;
    expect(r.stderr).toMatch(/^hew-corpus: corpus\/samples\/locked: cannot read: EACCES: permission denied, scandir/);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(r.code).toBe(2);
  });
});
