import { mkdtemp, mkdir, rm, writeFile } from "node:fs/promises";
import { rmSync } from "node:fs";
import { availableParallelism, tmpdir } from "node:os";
import pLimit from "p-limit";
import { join } from "node:path";
import type { CheckerId, Verdict } from "../schema/verdict.js";
import { sha256Hex } from "../util/hash.js";
import { UserError } from "../util/errors.js";
import { removeStaleEntries } from "../util/stale-temp.js";
import type { CheckOptions, Checker } from "./checker.js";
import { classifyRun, excerpt } from "./classify-run.js";
import { HewNotFoundError } from "./hew-binary.js";
import { AbortError, runProcess } from "./run-process.js";

export interface HewCheckerOptions {
  /** Path of the hew binary (see resolveHewBinary). */
  bin: string;
  /** hew processes at once; defaults to the machine's available parallelism. */
  concurrency?: number;
  timeoutMs?: number;
  /** stdout/stderr beyond this is a checker-error; real diagnostics are a few KB. */
  maxOutputBytes?: number;
  env?: NodeJS.ProcessEnv;
}

/** The checker's folder in $TMPDIR, named with its PID so that the next run removes the one a killed run left. */
const WORK_DIR = /^hew-corpus-(?<pid>\d+)-\w{6}$/;

/** The file name each block is checked under; constant so diagnostics do not depend on scheduling. */
export const BLOCK_FILE = "main.hew";

/** `hew --version` prints `hew 0.6.0-rc2 (...)`: the first word names the program, the rest is its version. */
export function parseVersionLine(stdout: string): CheckerId | undefined {
  const line = stdout.trim().split("\n")[0]?.trim() ?? "";
  const m = /^(\S+)\s+(\S.*)$/.exec(line);
  return m ? { name: m[1]!, version: m[2]! } : undefined;
}

export function hewChecker(options: HewCheckerOptions): Checker {
  const timeoutMs = options.timeoutMs ?? 30_000;
  const maxOutputBytes = options.maxOutputBytes ?? 4 * 1024 * 1024;
  const concurrency = options.concurrency ?? availableParallelism();
  if (!Number.isInteger(concurrency) || concurrency < 1) throw new UserError(`concurrency must be a positive integer, got ${concurrency}`);
  // The pool bounds compiler processes only: cache and lock answers never wait behind a running check.
  const limit = pLimit(concurrency);
  let identity: Promise<CheckerId> | undefined;
  let workDir: Promise<string> | undefined;
  let removeOnExit: (() => void) | undefined;
  // One folder per pool slot, reused: a check's file name stays constant without a mkdir and rm per check.
  const freeSlots: string[] = [];
  let slots = 0;

  const privateDir = () =>
    (workDir ??= removeStaleEntries(tmpdir(), WORK_DIR)
      .then(() => mkdtemp(join(tmpdir(), `hew-corpus-${process.pid}-`)))
      .then((dir) => {
        // mkdtemp creates the folder with mode 0700: other users cannot read or swap the code we check.
        removeOnExit = () => rmSync(dir, { recursive: true, force: true });
        process.once("exit", removeOnExit);
        return dir;
      }));

  const identify = (opts?: CheckOptions): Promise<CheckerId> =>
    (identity ??= runProcess(options.bin, ["--version"], { timeoutMs, maxOutputBytes: 64 * 1024, signal: opts?.signal, env: options.env }).then(
      (run) => {
        if (run.spawnError?.code === "ENOENT" || run.spawnError?.code === "EACCES") {
          throw new HewNotFoundError(options.bin, `${options.bin}: ${run.spawnError.code}`);
        }
        if (run.timedOut) throw new HewNotFoundError(options.bin, `\`${options.bin} --version\` did not answer within ${timeoutMs / 1000} s`);
        const id = run.exitCode === 0 ? parseVersionLine(run.stdout) : undefined;
        if (!id) {
          throw new HewNotFoundError(
            options.bin,
            `\`${options.bin} --version\` did not print a version (exit ${run.exitCode ?? run.signal}, ${excerpt(run.stderr.trim() || run.stdout.trim(), 200)})`,
          );
        }
        return id;
      },
      (err) => {
        // A cancelled question may be asked again; a missing binary stays missing for this run.
        if (err instanceof AbortError) identity = undefined;
        throw err;
      },
    ));

  const acquireSlot = async (): Promise<string> => {
    const free = freeSlots.pop();
    if (free) return free;
    const dir = join(await privateDir(), String(slots++));
    await mkdir(dir);
    return dir;
  };

  return {
    identify,
    async check(code: string, opts?: CheckOptions): Promise<Verdict> {
      const checker = await identify(opts);
      const run = await limit(async () => {
        opts?.signal?.throwIfAborted();
        const dir = await acquireSlot();
        try {
          await writeFile(join(dir, BLOCK_FILE), code);
          return await runProcess(options.bin, ["check", "--format=json", BLOCK_FILE], {
            cwd: dir,
            timeoutMs,
            maxOutputBytes,
            signal: opts?.signal,
            env: options.env,
          });
        } finally {
          freeSlots.push(dir);
        }
      });
      const result = classifyRun(run, BLOCK_FILE, timeoutMs);
      return {
        status: result.status,
        diagnostics: result.diagnostics,
        stderr: excerpt(run.stderr),
        checker,
        codeHash: sha256Hex(code),
        durationMs: Math.round(run.durationMs),
        ...(result.reason === undefined ? {} : { reason: result.reason }),
        checkedAt: new Date().toISOString(),
        origin: "checked",
      };
    },
    async close() {
      if (!workDir) return;
      const dir = await workDir;
      if (removeOnExit) process.removeListener("exit", removeOnExit);
      await rm(dir, { recursive: true, force: true });
      workDir = undefined;
      freeSlots.length = 0;
      slots = 0;
    },
  };
}
