import { availableParallelism, loadavg } from "node:os";

/**
 * CPU threads for a local model that do not oversubscribe the machine: the cores left over by what already
 * runs (the 1-minute load average), at least one. On a busy machine llama.cpp's own default (every core)
 * makes its threads wait on each other: a 64-token answer took 20 s on 2 busy cores, 0.3 s with one thread.
 */
export function localThreads(cores = availableParallelism(), load = loadavg()[0] ?? 0): number {
  return Math.max(1, Math.min(cores, Math.floor(cores - load + 0.5)));
}
