import { spawn } from "node:child_process";
import { copyFile, mkdir, readFile, readdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { CLI_ARGV, REPO_ROOT, runCli, tempDir } from "../helpers/fixtures.js";

// Ctrl-C lands in the stage's own loop: HEW_CORPUS_PAUSE_AT holds the named stage at its first look at the
// cancel signal and says so, which is the fixed point the signal is sent at. The samples are bundled ones,
// judged by the bundled lock (real verdicts; no compiler needed).
const STOP_WITHIN_MS = 3000;

async function project(): Promise<string> {
  const dir = await tempDir();
  await mkdir(join(dir, "samples"), { recursive: true });
  for (const file of ["actors.jsonl", "algorithms.jsonl"]) await copyFile(join(REPO_ROOT, "corpus", "samples", file), join(dir, "samples", file));
  const bundled = (p: string) => JSON.stringify(join(REPO_ROOT, "corpus", p));
  await writeFile(
    join(dir, "hew-corpus.config.yaml"),
    `corpus:\n  - samples/*.jsonl\nsystemPrompts: ${bundled("system-prompts")}\nevalPrompts: ${bundled("eval/prompts.yaml")}\nlock: ${bundled("verdicts.lock.jsonl")}\nhew: no-hew-here\ncacheDir: cache\n`,
  );
  return dir;
}

async function snapshot(dir: string): Promise<Record<string, string>> {
  const names = (await readdir(dir)).sort();
  return Object.fromEntries(await Promise.all(names.map(async (n) => [n, await readFile(join(dir, n), "utf8")] as const)));
}

/** Start the CLI, wait until it says it holds `stage`, send the signal, and time the exit. */
function interruptAt(args: string[], stage: string, cwd: string, signal: NodeJS.Signals = "SIGINT"): Promise<{ code: number | null; stderr: string; afterSignalMs: number }> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(CLI_ARGV[0]!, [...CLI_ARGV.slice(1), ...args], { cwd, env: { ...process.env, HEW_BIN: "", HEW_CORPUS_PAUSE_AT: stage }, stdio: ["ignore", "ignore", "pipe"] });
    let stderr = "";
    let sentAt: number | undefined;
    child.stderr.on("data", (d: Buffer) => {
      stderr += d.toString();
      if (sentAt === undefined && stderr.includes(`paused at ${stage} `)) {
        sentAt = performance.now();
        child.kill(signal);
      }
    });
    child.on("error", reject);
    child.on("close", (code) => {
      if (sentAt === undefined) reject(new Error(`exited ${code} without pausing at ${stage}:\n${stderr}`));
      else resolvePromise({ code, stderr, afterSignalMs: performance.now() - sentAt });
    });
  });
}

describe("Ctrl-C and SIGTERM in every stage of stats, dedup and export", () => {
  let dir: string;
  let before: Record<string, string>;
  beforeAll(async () => {
    dir = await project();
    const first = await runCli(["export"], { cwd: dir });
    expect(first.code, first.stderr).toBe(0);
    before = await snapshot(join(dir, "training-set"));
    expect(Object.keys(before)).toContain("manifest.json");
  }, 120_000);

  // --no-cache: the first run cached every token count, and a stage with nothing to do never pauses.
  const cases: { args: string[]; stage: string; signal?: NodeJS.Signals }[] = [
    ...["load", "fingerprint", "dedup", "contamination", "tokens", "write"].map((stage) => ({ args: ["export", "--no-cache"], stage })),
    { args: ["export", "--no-cache"], stage: "tokens", signal: "SIGTERM" },
    { args: ["stats", "--no-cache"], stage: "tokens" },
    { args: ["dedup", "--no-cache", "--apply", "-o", "copy"], stage: "fingerprint" },
  ];
  for (const { args, stage, signal } of cases) {
    it(`${args[0]}: ${signal ?? "SIGINT"} at ${stage} exits 130 promptly and leaves the training set as it was`, async () => {
      const run = await interruptAt(args, stage, dir, signal);
      expect(run.code, run.stderr).toBe(130);
      expect(run.stderr).toContain("hew-corpus: cancelled");
      expect(run.afterSignalMs, `${Math.round(run.afterSignalMs)} ms`).toBeLessThan(STOP_WITHIN_MS);
      expect(await snapshot(join(dir, "training-set"))).toEqual(before);
      expect(await readdir(dir)).not.toContain("copy");
    }, 60_000);
  }
});
