import { execFileSync } from "node:child_process";
import { chmodSync, cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import type { Figure } from "./figure.js";

const ROOT = resolve(fileURLToPath(import.meta.url), "..", "..");
const RUNS = 5;
const GIT_ENV = {
  ...process.env,
  GIT_CONFIG_GLOBAL: "/dev/null",
  GIT_CONFIG_NOSYSTEM: "1",
  GIT_AUTHOR_NAME: "bench",
  GIT_AUTHOR_EMAIL: "bench@example.com",
  GIT_COMMITTER_NAME: "bench",
  GIT_COMMITTER_EMAIL: "bench@example.com",
  // Verdicts come from the bundled lock, as on a machine without Hew.
  HEW_BIN: "",
};

function git(cwd: string, ...args: string[]): void {
  execFileSync("git", args, { cwd, env: GIT_ENV, stdio: "pipe" });
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

/** Median wall time of `git commit` over RUNS commits, each made by `change(i)` then staged. */
function timeCommits(repo: string, change: (i: number) => string): number {
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    git(repo, "add", change(i));
    const start = performance.now();
    git(repo, "commit", "-q", "-m", `change ${i}`);
    times.push((performance.now() - start) / 1000);
  }
  return median(times);
}

/**
 * The pre-commit hook as a user meets it: the bundled corpus in a git repository, hew-corpus installed in
 * the project's node_modules (the built CLI), the hook installed by `hew-corpus hook install`.
 */
export async function benchHook(): Promise<Figure[]> {
  execFileSync(process.execPath, [join(ROOT, "node_modules", "typescript", "bin", "tsc"), "-p", join(ROOT, "tsconfig.build.json")], { stdio: "inherit" });
  const repo = mkdtempSync(join(tmpdir(), "hew-corpus-bench-hook-"));
  try {
    cpSync(join(ROOT, "corpus"), join(repo, "corpus"), { recursive: true });
    cpSync(join(ROOT, "hew-corpus.config.yaml"), join(repo, "hew-corpus.config.yaml"));
    writeFileSync(join(repo, ".gitignore"), "node_modules/\n.hew-corpus/\n");
    mkdirSync(join(repo, "node_modules", ".bin"), { recursive: true });
    symlinkSync(ROOT, join(repo, "node_modules", "hew-corpus"));
    symlinkSync("../hew-corpus/dist/cli/main.js", join(repo, "node_modules", ".bin", "hew-corpus"));
    // npm makes a package's bin executable when it links it.
    chmodSync(join(ROOT, "dist", "cli", "main.js"), 0o755);
    git(repo, "init", "-q", "-b", "main");
    git(repo, "add", ".");
    git(repo, "commit", "-q", "-m", "corpus");
    execFileSync(join(repo, "node_modules", ".bin", "hew-corpus"), ["hook", "install"], { cwd: repo, env: GIT_ENV, stdio: "pipe" });

    const noSample = timeCommits(repo, (i) => {
      writeFileSync(join(repo, "NOTES.md"), `note ${i}\n`);
      return "NOTES.md";
    });
    // Every sample of a file re-staged with a reworded question: the code, and so every verdict, is unchanged.
    const file = "corpus/samples/actors.jsonl";
    const samples = readFileSync(join(repo, file), "utf8")
      .split("\n")
      .filter(Boolean)
      .map((line) => JSON.parse(line) as { messages: { role: string; content: string }[] });
    const restaged = timeCommits(repo, (i) => {
      const reworded = samples.map((s) => ({ ...s, messages: s.messages.map((m) => (m.role === "user" ? { ...m, content: `${m.content} (${i})` } : m)) }));
      writeFileSync(join(repo, file), reworded.map((s) => JSON.stringify(s)).join("\n") + "\n");
      return file;
    });
    return [
      { name: "git commit with the hook, no sample staged (median of 5)", value: `${noSample.toFixed(3)} s`, target: "< 1 s", ok: noSample < 1 },
      { name: `git commit with the hook, ${samples.length} samples re-staged, code unchanged (median of 5)`, value: `${restaged.toFixed(3)} s`, target: "< 1 s", ok: restaged < 1 },
    ];
  } finally {
    rmSync(repo, { recursive: true, force: true });
  }
}
