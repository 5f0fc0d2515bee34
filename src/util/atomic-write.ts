import { createWriteStream } from "node:fs";
import { mkdir, rename, rm, writeFile } from "node:fs/promises";
import { dirname } from "node:path";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { TEMP_FILE, removeStaleEntries, tempPath } from "./stale-temp.js";

const swept = new Set<string>();

/** The first write into an existing folder in this process removes the temp files killed runs left there. */
async function prepareDir(dir: string): Promise<void> {
  const created = await mkdir(dir, { recursive: true });
  if (created !== undefined || swept.has(dir)) return;
  swept.add(dir);
  await removeStaleEntries(dir, TEMP_FILE);
}

/**
 * Write to a temp file in the target's folder (same filesystem, so rename is atomic), then rename it over
 * the target: readers see either the old content or the new, never half of it.
 */
async function atomically(file: string, write: (tmp: string) => Promise<void>): Promise<void> {
  await prepareDir(dirname(file));
  const tmp = tempPath(file);
  try {
    await write(tmp);
    await rename(tmp, file);
  } catch (err) {
    await rm(tmp, { force: true });
    throw err;
  }
}

export function writeFileAtomic(file: string, data: string | Uint8Array, mode?: number): Promise<void> {
  return atomically(file, (tmp) => writeFile(tmp, data, mode === undefined ? undefined : { mode }));
}

/**
 * Stream data into a file atomically (for downloads too large to hold in memory). `check` runs after the
 * last byte is written and before the rename: throwing there leaves the target untouched.
 */
export function writeStreamAtomic(file: string, data: AsyncIterable<Uint8Array>, check?: () => void): Promise<void> {
  return atomically(file, async (tmp) => {
    await pipeline(Readable.from(data), createWriteStream(tmp));
    check?.();
  });
}
