// Re-records test/fixtures/hew/verdicts.jsonl from the real checker (HEW_BIN, else `hew` on PATH): run it
// after a Hew upgrade, then review the diff. Each program is checked twice from inside the programs folder,
// with its bare file name as the argument: once with --format=json, once in text mode.
import { execFile } from "node:child_process";
import { createHash } from "node:crypto";
import { readdirSync, readFileSync, rmSync } from "node:fs";
import { availableParallelism } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import pLimit from "p-limit";
import { writeFileAtomic } from "../src/util/atomic-write.js";

const FIXTURES = join(dirname(fileURLToPath(import.meta.url)), "..", "test", "fixtures", "hew");
const PROGRAMS = join(FIXTURES, "programs");
const hew = process.env.HEW_BIN || "hew";

/** Exit code, stdout and stderr of one run; a run that could not start or was killed stops the recording. */
function run(args: string[]): Promise<{ exitCode: number; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    execFile(hew, args, { cwd: PROGRAMS, maxBuffer: 64 << 20, timeout: 60_000 }, (err, stdout, stderr) => {
      if (err && typeof err.code !== "number") reject(new Error(`${hew} ${args.join(" ")}: ${err.message}`));
      else resolve({ exitCode: err ? (err.code as number) : 0, stdout, stderr });
    });
  });
}

async function record(name: string, compiler: string) {
  const json = await run(["check", "--format=json", name]);
  const text = await run(["check", name]);
  let diagnostics: unknown = null;
  try {
    diagnostics = JSON.parse(json.stdout);
  } catch {
    // Kept as null: the record then shows the checker broke its JSON contract on this program.
  }
  return {
    file: `programs/${name}`,
    sha256: createHash("sha256").update(readFileSync(join(PROGRAMS, name))).digest("hex"),
    exitCode: json.exitCode,
    stdout: json.stdout,
    stderr: json.stderr,
    diagnostics,
    compiler,
    textExitCode: text.exitCode,
    textStderr: text.stderr,
  };
}

const compiler = (await run(["--version"])).stdout.trim();
const names = readdirSync(PROGRAMS).filter((n) => n.endsWith(".hew")).sort();
const limit = pLimit(availableParallelism());
const records = await Promise.all(names.map((n) => limit(() => record(n, compiler))));
const target = join(FIXTURES, "verdicts.jsonl");
await writeFileAtomic(target, records.map((r) => JSON.stringify(r) + "\n").join(""));
// The stand-in's lookup index was built from the old records.
rmSync(join(FIXTURES, "..", "..", "stand-in", ".index"), { recursive: true, force: true });
const failing = records.filter((r) => r.exitCode !== 0).length;
console.log(`${target}: ${records.length} programs (${records.length - failing} pass, ${failing} fail) by ${compiler}`);
