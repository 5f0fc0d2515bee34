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

/**
 * Let the event loop run (a Ctrl-C handler is a callback: it cannot fire while a loop holds the thread),
 * then stop if the work was cancelled meanwhile. Long synchronous loops call this between slices.
 */
export async function checkpoint(signal: AbortSignal | undefined): Promise<void> {
  if (!signal) return;
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
