import { mkdir, readFile, rm, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === "EPERM";
  }
}

/**
 * Run `body` while holding a lock folder (mkdir is atomic). A lock whose owner process is gone is taken over,
 * so a build killed half-way does not block the next one forever.
 */
export async function withBuildLock<T>(lockDir: string, body: () => Promise<T>, pollMs = 1000): Promise<T> {
  const owner = join(lockDir, "owner");
  await mkdir(dirname(lockDir), { recursive: true });
  for (;;) {
    try {
      await mkdir(lockDir);
      await writeFile(owner, String(process.pid));
      break;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== "EEXIST") throw err;
      const pid = Number(await readFile(owner, "utf8").catch(() => ""));
      if (pid > 0 && !alive(pid)) {
        await rm(lockDir, { recursive: true, force: true });
        continue;
      }
      await sleep(pollMs);
    }
  }
  try {
    return await body();
  } finally {
    await rm(lockDir, { recursive: true, force: true });
  }
}
