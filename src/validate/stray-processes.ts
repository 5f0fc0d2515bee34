import { readFileSync, readdirSync } from "node:fs";

/**
 * A checker that calls setsid leaves its process group, and a group kill misses it. Every process inherits
 * its parent's environment, so a marker there finds it again on Linux (in /proc) until it clears its
 * environment. Only a run that had to be killed is searched: reading every process's environment costs
 * milliseconds, too much for each check.
 */
export const RUN_MARKER = "HEW_CORPUS_RUN";

let runs = 0;

/** A marker unique to one run of a program, and the environment that carries it. */
export function markRun(env: NodeJS.ProcessEnv | undefined): { marker: string; env: NodeJS.ProcessEnv } {
  const marker = `${process.pid}.${++runs}`;
  return { marker, env: { ...(env ?? process.env), [RUN_MARKER]: marker } };
}

/** SIGKILL every process whose environment carries the marker; where there is no /proc, nothing. */
export function killMarked(marker: string): void {
  let pids: string[];
  try {
    pids = readdirSync("/proc").filter((name) => /^\d+$/.test(name));
  } catch {
    return;
  }
  const needle = Buffer.from(`\0${RUN_MARKER}=${marker}\0`);
  for (const pid of pids) {
    try {
      // A leading NUL makes the first variable match like the others.
      const environ = Buffer.concat([Buffer.from([0]), readFileSync(`/proc/${pid}/environ`), Buffer.from([0])]);
      if (environ.includes(needle)) process.kill(Number(pid), "SIGKILL");
    } catch {
      // Gone already, or another user's process (which a check of ours cannot have started).
    }
  }
}
