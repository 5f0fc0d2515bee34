import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runCli, tempDir } from "../helpers/fixtures.js";

describe("usage mistakes", () => {
  it.each([
    ["an unknown flag", ["validate", "--frobnicate"], /unknown option '--frobnicate'/],
    ["a missing required option", ["prompt", "new"], /required option '--from <id>' not specified/],
    ["a bad value", ["export", "--format", "parquet"], /unknown format "parquet"/],
    ["an unknown command", ["valdate"], /unknown command 'valdate'/],
  ])("exit 2 for %s, with one clear line", async (_name, args, message) => {
    const r = await runCli(args, { cwd: await tempDir() });
    expect(r.code).toBe(2);
    expect(r.stderr.split("\n")[0]).toMatch(message);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it("exits 0 for --help and --version", async () => {
    const dir = await tempDir();
    expect((await runCli(["--version"], { cwd: dir })).code).toBe(0);
    expect((await runCli(["validate", "--help"], { cwd: dir })).code).toBe(0);
  });

  it("reports each unknown config key at its own line", async () => {
    const dir = await tempDir();
    await writeFile(join(dir, "hew-corpus.config.yaml"), "corpus:\n  - a/*.jsonl\nbogus: 1\nexport:\n  maxSeqLen: 100\n  nope:\n    x: 1\n");
    const r = await runCli(["validate"], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/hew-corpus\.config\.yaml:3: bogus: unknown key/);
    expect(r.stderr).toMatch(/hew-corpus\.config\.yaml:6: export\.nope: unknown key/);
  });

  it("says that no config was found before a default corpus that is not there", async () => {
    const r = await runCli(["validate"], { cwd: await tempDir() });
    expect(r.code).toBe(2);
    const [first, second] = r.stderr.split("\n");
    expect(first).toMatch(/^hew-corpus: no hew-corpus\.config\.yaml in .* or any folder above it/);
    expect(second).toMatch(/^corpus\/samples\/\*\*\/\*\.jsonl: no such file, folder or matching files$/);
  });
});
