import { randomBytes } from "node:crypto";
import { readdir, rm } from "node:fs/promises";
import { basename, dirname, join } from "node:path";

/**
 * Temp files and folders carry their writer's PID in the name, so that a later run can tell what a killed
 * run left behind (its PID is gone) from what a running one is still writing.
 */
export const TEMP_ENTRY = /^\.(?<target>.+)\.(?<pid>\d+)\.[0-9a-f]{12}(?:\.(?<role>[a-z]+))?\.tmp$/;
/** A temp file of an atomic write (no role): nothing in it is worth keeping once its writer is gone. */
export const TEMP_FILE = /^\.(?<target>.+)\.(?<pid>\d+)\.[0-9a-f]{12}\.tmp$/;

/** `.<name>.<pid>.<random>[.<role>].tmp` beside `target`: same file system, so a rename onto the target is atomic. */
export function tempPath(target: string, role?: string): string {
  return join(dirname(target), `.${basename(target)}.${process.pid}.${randomBytes(6).toString("hex")}${role ? `.${role}` : ""}.tmp`);
}

export function isProcessAlive(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: it exists, under another user.
    return (err as NodeJS.ErrnoException).code === "EPERM";
  }
}

export interface StaleEntry {
  path: string;
  /** The name's groups: `pid`, and for TEMP_ENTRY `target` and `role`. */
  groups: Record<string, string | undefined>;
}

/** Entries of `dir` whose name matches `pattern` (its `pid` group names the writer) and whose writer is gone. */
export async function staleEntries(dir: string, pattern: RegExp = TEMP_ENTRY): Promise<StaleEntry[]> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch {
    return [];
  }
  return names.flatMap((name) => {
    const groups = pattern.exec(name)?.groups;
    const pid = Number(groups?.pid);
    return groups && Number.isInteger(pid) && pid > 0 && !isProcessAlive(pid) ? [{ path: join(dir, name), groups }] : [];
  });
}

/**
 * Remove what killed runs left in `dir`. Best effort: an entry another process removes first, or one this user
 * may not remove (another user's, in a shared $TMPDIR), is left to its owner.
 */
export async function removeStaleEntries(dir: string, pattern: RegExp): Promise<number> {
  const stale = await staleEntries(dir, pattern);
  const removed = await Promise.all(stale.map((e) => rm(e.path, { recursive: true, force: true }).then(() => true, () => false)));
  return removed.filter(Boolean).length;
}
