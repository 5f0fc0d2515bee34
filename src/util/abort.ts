import { setImmediate as nextTurn } from "node:timers/promises";

/** The running work was cancelled through its AbortSignal (Ctrl-C, SIGTERM, a caller's timeout). */
export class AbortError extends Error {
  override readonly name = "AbortError";
  constructor() {
    super("the operation was cancelled");
  }
}

/** A cancel from any source: ours, or the DOMException that AbortSignal.throwIfAborted and fetch throw. */
export function isAbort(err: unknown): boolean {
  return err instanceof AbortError || (err instanceof Error && err.name === "AbortError");
}

export function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new AbortError();
}

const pauseAt = process.env.HEW_CORPUS_PAUSE_AT;
let paused = false;

/**
 * Let the event loop run (a Ctrl-C handler is a callback: it cannot fire while a loop holds the thread),
 * then stop if the work was cancelled meanwhile. Long loops call this between slices, naming their stage.
 * HEW_CORPUS_PAUSE_AT=<stage> holds that stage at its first checkpoint, says so on stderr and waits for the
 * cancel: a fixed point to test Ctrl-C at.
 */
export async function checkpoint(signal: AbortSignal | undefined, stage?: string): Promise<void> {
  if (!signal) return;
  if (stage !== undefined && stage === pauseAt && !paused) {
    paused = true;
    process.stderr.write(`hew-corpus: paused at ${stage} (HEW_CORPUS_PAUSE_AT)\n`);
    // A bare promise does not keep Node running; the timer does, until the cancel comes.
    const alive = setInterval(() => undefined, 60_000);
    await abortion(signal).finally(() => clearInterval(alive));
  }
  await nextTurn();
  throwIfAborted(signal);
}

/** A promise that rejects with AbortError when the signal fires, for racing work that cannot stop itself. */
export function abortion(signal: AbortSignal | undefined): Promise<never> {
  const aborted = new Promise<never>((_, reject) => {
    if (signal?.aborted) reject(new AbortError());
    signal?.addEventListener("abort", () => reject(new AbortError()), { once: true });
  });
  aborted.catch(() => undefined);
  return aborted;
}
