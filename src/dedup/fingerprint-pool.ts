import { availableParallelism } from "node:os";
import { extname } from "node:path";
import { fileURLToPath } from "node:url";
import { Worker } from "node:worker_threads";
import { AbortError, checkpoint, throwIfAborted } from "../util/abort.js";
import { fingerprint, type Fingerprint, type PromptAndCode, type ShinglingOptions } from "./fingerprint.js";

export interface FingerprintAllOptions extends ShinglingOptions {
  /** Worker threads for a large corpus; defaults to the machine's available parallelism. */
  threads?: number;
  signal?: AbortSignal;
  onProgress?: (done: number, total: number) => void;
}

/** Below this many samples, starting threads costs more than it saves. */
export const PARALLEL_FROM = 5000;
/** Fingerprints between looks at the signal on this thread (a few milliseconds' work). */
const SLICE = 200;

// The worker is a sibling module: .js when built. Run from source it is .ts, and a thread does not
// inherit the TypeScript loader that tsx registered in this one, so the thread registers it first.
const SOURCE = extname(fileURLToPath(import.meta.url)) === ".ts";
const WORKER = new URL(`./fingerprint-worker${SOURCE ? ".ts" : ".js"}`, import.meta.url);

function startWorker(workerData: unknown): Worker {
  if (!SOURCE) return new Worker(WORKER, { workerData });
  const bootstrap = `import(${JSON.stringify(import.meta.resolve("tsx/esm/api"))}).then((tsx) => { tsx.register(); return import(${JSON.stringify(WORKER.href)}); });`;
  return new Worker(bootstrap, { eval: true, workerData });
}

function inThread(inputs: PromptAndCode[], options: ShinglingOptions, onProgress: (n: number) => void, signal?: AbortSignal): Promise<Fingerprint[]> {
  return new Promise((resolve, reject) => {
    const worker = startWorker({ inputs, options });
    // A cancel stops the thread where it is; the terminated worker's exit is not a failure then.
    const stop = () => {
      reject(new AbortError());
      void worker.terminate();
    };
    signal?.addEventListener("abort", stop, { once: true });
    worker.on("exit", () => signal?.removeEventListener("abort", stop));
    worker.on("message", (message: { progress: number; fingerprints?: Fingerprint[] }) => {
      onProgress(message.progress);
      if (message.fingerprints) resolve(message.fingerprints);
    });
    worker.on("error", reject);
    worker.on("exit", (code) => code !== 0 && !signal?.aborted && reject(new Error(`fingerprint worker exited with code ${code}`)));
  });
}

/**
 * Fingerprints (with code MinHash signatures) of many samples: split over worker threads for a large
 * corpus, on this thread for a small one. Every fingerprint is a pure function of its input, so the split
 * never changes the result.
 */
export async function fingerprintAll(inputs: readonly PromptAndCode[], options: FingerprintAllOptions): Promise<Fingerprint[]> {
  const shingling = { shingle: options.shingle, abstract: options.abstract };
  const threads = Math.max(1, Math.min(options.threads ?? availableParallelism(), Math.ceil(inputs.length / PARALLEL_FROM)));
  let done = 0;
  const advance = (n: number) => {
    done += n;
    options.onProgress?.(done, inputs.length);
  };
  if (threads === 1) {
    const out: Fingerprint[] = [];
    for (const input of inputs) {
      if (out.length % SLICE === 0) await checkpoint(options.signal, "fingerprint");
      out.push(fingerprint(input, shingling));
      advance(1);
    }
    return out;
  }
  const size = Math.ceil(inputs.length / threads);
  const slices = Array.from({ length: threads }, (_, t) => inputs.slice(t * size, (t + 1) * size).map(({ prompt, code }) => ({ prompt, code: [...code] })));
  throwIfAborted(options.signal);
  const running = Promise.all(slices.map((slice) => inThread(slice, shingling, advance, options.signal)));
  running.catch(() => undefined);
  await Promise.race([running, checkpoint(options.signal, "fingerprint-threads").then(() => running)]);
  return (await running).flat();
}
