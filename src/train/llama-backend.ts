import { fork } from "node:child_process";
import { fileURLToPath } from "node:url";
import { UserError } from "../util/errors.js";
import { AbortError } from "../validate/run-process.js";
import type { TrainOptions, TrainingBackend, TrainingJob, TrainingResult } from "./backend.js";
import { ensureNativeAddon, type NativeBuildOptions } from "./native/build.js";
import { preflightBaseModel } from "./preflight.js";
import type { WorkerReply, WorkerRequest } from "./worker.js";

export interface LlamaCppBackendOptions extends Pick<NativeBuildOptions, "cacheDir" | "jobs" | "nativeCpu"> {
  /** Print llama.cpp's own log to stderr. */
  verbose?: boolean;
}

/** The worker script beside this module; from TypeScript sources (tests, tsx) it runs under tsx's loader. */
function workerEntry(): { path: string; execArgv: string[] } {
  const fromSource = import.meta.url.endsWith(".ts");
  const path = fileURLToPath(new URL(fromSource ? "./worker.ts" : "./worker.js", import.meta.url));
  return { path, execArgv: fromSource ? ["--import", import.meta.resolve("tsx")] : [] };
}

/**
 * One line for a training process that died inside llama.cpp or ggml (an assertion, a signal, memory): what
 * died, the last thing llama.cpp said, what to try. The whole stderr tail is kept only with --verbose.
 */
export function deathMessage(how: string, stderr: string): string {
  const lines = stderr.split("\n").map((l) => l.trim()).filter((l) => l.length > 0 && !/^(#\d|\[New LWP|\[Thread|\[Inferior)/.test(l));
  const last = lines.findLast((l) => /GGML_ASSERT|GGML_ABORT|error|fatal|failed|abort|out of memory|bad_alloc/i.test(l)) ?? lines.at(-1);
  const hint =
    how === "SIGKILL" || /out of memory|bad_alloc|failed to allocate/i.test(stderr)
      ? "it probably ran out of memory: try a smaller contextLength, fewer lora.targetModules or a smaller lora.rank"
      : "run again with --verbose for llama.cpp's full log, and report it with the base model's architecture and weight type";
  return `the training process died (${how})${last ? ` in llama.cpp: ${last}` : ""}; ${hint}`;
}

/** LoRA training with llama.cpp, built from source for the configured backend and run in a child process. */
export class LlamaCppBackend implements TrainingBackend {
  readonly name = "llama.cpp";
  constructor(private readonly options: LlamaCppBackendOptions = {}) {}

  async train(job: TrainingJob, { signal, onEvent }: TrainOptions = {}): Promise<TrainingResult> {
    if (signal?.aborted) throw new AbortError();
    await preflightBaseModel(job.config.baseModel, job.config.lora.targetModules);
    const addon = await ensureNativeAddon({
      ...this.options,
      backend: job.config.backend,
      amdgpuTargets: job.config.amdgpuTargets,
      cudaArchitectures: job.config.cudaArchitectures,
      onProgress: (p) =>
        onEvent?.(p.phase === "compile" ? { type: "build", message: "compiling", percent: p.percent, step: p.step, quietMs: p.quietMs } : { type: "build", message: p.message }),
    });
    const { path, execArgv } = workerEntry();
    const child = fork(path, [], { execArgv, stdio: ["ignore", "inherit", "pipe", "ipc"] });
    let stderr = "";
    child.stderr?.on("data", (chunk: Buffer) => {
      stderr = (stderr + chunk.toString()).slice(-8000);
      if (this.options.verbose) process.stderr.write(chunk);
    });
    const cancel = () => child.connected && child.send({ type: "cancel" } satisfies WorkerRequest);
    signal?.addEventListener("abort", cancel, { once: true });
    try {
      return await new Promise<TrainingResult>((resolve, reject) => {
        let settled: WorkerReply | undefined;
        child.on("message", (message: WorkerReply) => {
          if (message.type === "event") onEvent?.(message.event);
          else settled = message;
        });
        child.on("error", reject);
        child.on("exit", (code, sig) => {
          if (settled?.type === "done") resolve(settled.result);
          else if (settled?.type === "cancelled") reject(new AbortError());
          else if (settled?.type === "failed") reject(settled.userError ? new UserError(settled.message) : new Error(settled.message));
          else reject(new UserError(deathMessage(sig ?? `exit code ${code}`, stderr)));
        });
        child.send({ type: "start", job, addon, verbose: this.options.verbose ?? false } satisfies WorkerRequest);
      });
    } finally {
      signal?.removeEventListener("abort", cancel);
    }
  }
}
