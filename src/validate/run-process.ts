import { AbortError } from "../util/abort.js";
import { spawn } from "node:child_process";
import { killMarked, markRun } from "./stray-processes.js";

export interface ProcessResult {
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  timedOut: boolean;
  /** stdout or stderr went past maxOutputBytes and the process was killed. */
  overflowed: boolean;
  /** The program could not be started at all (ENOENT, EACCES, ...). */
  spawnError?: NodeJS.ErrnoException;
  durationMs: number;
}

export interface RunOptions {
  cwd?: string;
  timeoutMs: number;
  maxOutputBytes: number;
  signal?: AbortSignal;
  env?: NodeJS.ProcessEnv;
}

// Its home is util/ (stages below validate stop on it too); it stays importable from here.
export { AbortError } from "../util/abort.js";

/**
 * Run a program with an argument array (never a shell), in its own process group so that a timeout or
 * a cancel kills whatever it started too (also what left the group with setsid, see stray-processes.ts),
 * with bounded output.
 */
export function runProcess(bin: string, args: readonly string[], options: RunOptions): Promise<ProcessResult> {
  return new Promise((resolvePromise, reject) => {
    if (options.signal?.aborted) return reject(new AbortError());
    const started = performance.now();
    const run = markRun(options.env);
    const child = spawn(bin, args, {
      cwd: options.cwd,
      env: run.env,
      stdio: ["ignore", "pipe", "pipe"],
      detached: true,
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    let outBytes = 0;
    let errBytes = 0;
    let timedOut = false;
    let overflowed = false;
    let aborted = false;
    let spawnError: NodeJS.ErrnoException | undefined;

    const killGroup = () => {
      if (child.pid === undefined) return;
      try {
        process.kill(-child.pid, "SIGKILL");
      } catch {
        // The group is already gone.
      }
    };
    // A run that has to be stopped may have started children that left the group with setsid.
    const killAll = () => {
      killGroup();
      killMarked(run.marker);
    };
    const timer = setTimeout(() => {
      timedOut = true;
      killAll();
    }, options.timeoutMs);
    const onAbort = () => {
      aborted = true;
      killAll();
    };
    options.signal?.addEventListener("abort", onAbort, { once: true });

    const collect = (chunks: Buffer[], which: "out" | "err") => (chunk: Buffer) => {
      const size = which === "out" ? (outBytes += chunk.length) : (errBytes += chunk.length);
      if (size > options.maxOutputBytes) {
        if (!overflowed) {
          overflowed = true;
          killAll();
        }
        return;
      }
      chunks.push(chunk);
    };
    child.stdout.on("data", collect(out, "out"));
    child.stderr.on("data", collect(err, "err"));
    child.on("error", (e: NodeJS.ErrnoException) => {
      spawnError = e;
    });
    child.on("close", (exitCode, signal) => {
      clearTimeout(timer);
      options.signal?.removeEventListener("abort", onAbort);
      // The direct child is gone, but a grandchild may still hold the group; make sure it dies too.
      killGroup();
      if (aborted) return reject(new AbortError());
      resolvePromise({
        exitCode,
        signal,
        stdout: Buffer.concat(out).toString("utf8"),
        stderr: Buffer.concat(err).toString("utf8"),
        timedOut,
        overflowed,
        spawnError,
        durationMs: performance.now() - started,
      });
    });
  });
}
