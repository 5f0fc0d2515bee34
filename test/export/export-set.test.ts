import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdir, readFile, readdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { beforeAll, describe, expect, it } from "vitest";
import { readExport } from "../../src/hub/export-contents.js";
import { CLI_ARGV, STAND_IN, recordedProgram, runCli, sampleLine, tempDir } from "../helpers/fixtures.js";

const SAMPLES = ["actors-pass-ledger", "generators-pass-collatz-steps", "algorithms-pass-merge-sort"].map((name, i) => sampleLine(`s-${i}`, recordedProgram(name).code));

/**
 * Loaded before the CLI: the Nth file-system write or rename that touches the export folder (its temp
 * folders included) kills the process on the spot, as a SIGKILL or a power cut would.
 */
const KILLER = `import fs from "node:fs";
import { syncBuiltinESMExports } from "node:module";
const at = Number(process.env.KILL_AT);
let seen = 0;
for (const name of ["writeFile", "rename"]) {
  const real = fs.promises[name];
  fs.promises[name] = (...args) => {
    if (args.some((a) => typeof a === "string" && a.includes("training-set")) && ++seen === at) process.kill(process.pid, "SIGKILL");
    return real(...args);
  };
}
syncBuiltinESMExports();
`;

async function project(): Promise<string> {
  const dir = await tempDir();
  await mkdir(join(dir, "corpus", "samples"), { recursive: true });
  await mkdir(join(dir, "corpus", "system-prompts"), { recursive: true });
  await mkdir(join(dir, "corpus", "eval"), { recursive: true });
  await writeFile(join(dir, "hew-corpus.config.yaml"), `corpus: [corpus/samples/*.jsonl]\nhew: ${STAND_IN}\nexport:\n  out: training-set\n  formats: [messages, chatml]\n`);
  await writeFile(join(dir, "corpus", "samples", "a.jsonl"), SAMPLES.join("\n") + "\n");
  await writeFile(join(dir, "corpus", "system-prompts", "v1.yaml"), "id: v1\npreamble: You write Hew.\nrules: []\n");
  await writeFile(join(dir, "corpus", "eval", "prompts.yaml"), "version: 1\nprompts:\n  - id: e\n    category: actors\n    prompt: Write a counter actor.\n    reference: |\n      fn main() {}\n");
  await writeFile(join(dir, "killer.mjs"), KILLER);
  return dir;
}

function killedExport(dir: string, at: number, seed: number): Promise<NodeJS.Signals | null> {
  const argv = [CLI_ARGV[0]!, "--import", pathToFileURL(join(dir, "killer.mjs")).href, ...CLI_ARGV.slice(1), "export", "--seed", String(seed)];
  return new Promise((resolvePromise) => {
    const child = execFile(argv[0]!, argv.slice(1), { cwd: dir, env: { ...process.env, HEW_BIN: "", KILL_AT: String(at) } }, () => resolvePromise(child.signalCode));
  });
}

const snapshot = async (out: string) => Object.fromEntries(await Promise.all((await readdir(out)).sort().map(async (f) => [f, await readFile(join(out, f), "utf8")])));
const leftovers = async (dir: string) => (await readdir(dir)).filter((n) => n.startsWith(".training-set."));

describe("export writes the training set as a whole", () => {
  let dir: string;
  let first: Record<string, string>;
  beforeAll(async () => {
    dir = await project();
    expect((await runCli(["export", "--seed", "1"], { cwd: dir })).code).toBe(0);
    first = await snapshot(join(dir, "training-set"));
  });

  // The writes of train.jsonl and of manifest.json (the last file), then the rename of the old set aside.
  it.each([1, 3, 4])("a run killed at step %i leaves the previous set as it was, and the next run cleans up", async (at) => {
    expect(await killedExport(dir, at, 2)).toBe("SIGKILL");
    expect(await snapshot(join(dir, "training-set"))).toEqual(first);
    await readExport(join(dir, "training-set"));
    expect(await leftovers(dir)).not.toEqual([]);

    const next = await runCli(["export", "--seed", "1"], { cwd: dir });
    expect(next.code).toBe(0);
    expect(await snapshot(join(dir, "training-set"))).toEqual(first);
    expect(await leftovers(dir)).toEqual([]);
  });

  it("a run killed between its two renames keeps the previous set whole beside the folder, and the next run puts it back", async () => {
    expect(await killedExport(dir, 5, 2)).toBe("SIGKILL");
    // The previous set was moved aside whole and the new one waits beside it: no folder holds a mix.
    expect(existsSync(join(dir, "training-set"))).toBe(false);
    const aside = (await leftovers(dir)).filter((n) => n.endsWith(".previous.tmp"));
    expect(aside).toHaveLength(1);
    expect(await snapshot(join(dir, aside[0]!))).toEqual(first);
    // The next run puts it back (its first rename) before it writes anything: killed at its first write, it leaves the previous set.
    expect(await killedExport(dir, 2, 2)).toBe("SIGKILL");
    expect(await snapshot(join(dir, "training-set"))).toEqual(first);

    const next = await runCli(["export", "--seed", "3", "--format", "messages"], { cwd: dir });
    expect(next.code).toBe(0);
    expect(await leftovers(dir)).toEqual([]);
    // The whole set was replaced: no chatml file of the earlier set lingers beside a manifest that does not list it.
    expect(Object.keys(await snapshot(join(dir, "training-set")))).toEqual(["manifest.json", "train.jsonl"]);
    await readExport(join(dir, "training-set"));
  });

  it("refuses to replace a folder that holds files the export did not write", async () => {
    const own = join(dir, "mine");
    await mkdir(own);
    await writeFile(join(own, "notes.md"), "keep me\n");
    const r = await runCli(["export", "--out", "mine"], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/mine holds files that hew-corpus export did not write \(notes\.md\): .* name an empty or new one/);
    expect(await readFile(join(own, "notes.md"), "utf8")).toBe("keep me\n");
  });

  it("a reader of the set says so when a file does not match the manifest", async () => {
    const out = join(dir, "checked");
    expect((await runCli(["export", "--out", "checked"], { cwd: dir })).code).toBe(0);
    await writeFile(join(out, "train.jsonl"), "{}\n");
    await expect(readExport(out)).rejects.toThrow(/train\.jsonl does not match .*manifest\.json \(sha256 [0-9a-f]{12}\.\.\., the manifest records [0-9a-f]{12}\.\.\.\)/);
  });
});
