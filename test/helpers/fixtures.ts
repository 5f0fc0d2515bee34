import { execFile } from "node:child_process";
import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..", "..");
export const STAND_IN = join(REPO_ROOT, "test", "stand-in", "hew");

export { VERDICTS_DIR, programText, recordedProgram, recordedPrograms, recordedVerdicts, type RecordedVerdict } from "../fixtures/hew/recorded.js";

export function tempDir(prefix = "hew-corpus-test-"): Promise<string> {
  return mkdtemp(join(tmpdir(), prefix));
}

/** A sample JSONL line whose assistant answer is the given Hew code. */
export function sampleLine(id: string, code: string, category = "actors"): string {
  return JSON.stringify({
    id,
    messages: [
      { role: "user", content: `Write the program ${id}.` },
      { role: "assistant", content: "```hew\n" + code + "```" },
    ],
    meta: { category, source: "handwritten", tags: [] },
  });
}

// An absolute URL: a bare "tsx" would be resolved from the test's temp folder, which has no node_modules.
const TSX_LOADER = pathToFileURL(join(REPO_ROOT, "node_modules", "tsx", "dist", "loader.mjs")).href;

/** The command that runs the hew-corpus CLI from source, from any folder. */
export const CLI_ARGV: readonly string[] = [process.execPath, "--import", TSX_LOADER, join(REPO_ROOT, "src", "cli", "main.ts")];

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Run the hew-corpus CLI from source, as a user would from a shell. */
export function runCli(args: string[], options: { cwd: string; env?: NodeJS.ProcessEnv }): Promise<CliResult> {
  return new Promise((resolvePromise) => {
    execFile(
      CLI_ARGV[0]!,
      [...CLI_ARGV.slice(1), ...args],
      { cwd: options.cwd, env: { ...process.env, HEW_BIN: "", ...options.env }, maxBuffer: 64 * 1024 * 1024 },
      (err, stdout, stderr) => {
        const code = err ? (typeof err.code === "number" ? err.code : null) : 0;
        resolvePromise({ code, stdout, stderr });
      },
    );
  });
}
