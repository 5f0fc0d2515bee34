import { spawn, spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdir, readdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { writeFileAtomic } from "../../src/util/atomic-write.js";
import { hewChecker } from "../../src/validate/hew-checker.js";
import { STAND_IN, recordedProgram, tempDir } from "../helpers/fixtures.js";

/** The PID of a process that has exited: what a killed run leaves in the names of its temp files. */
function deadPid(): number {
  return Number(spawnSync(process.execPath, ["-e", "process.stdout.write(String(process.pid))"], { encoding: "utf8" }).stdout);
}

describe("temp files left by killed runs", () => {
  const children: ReturnType<typeof spawn>[] = [];
  afterEach(() => children.splice(0).forEach((c) => c.kill()));

  it("are removed by the next atomic write into their folder; a live writer's are kept", async () => {
    const dir = await tempDir();
    const live = spawn(process.execPath, ["-e", "setTimeout(() => {}, 60000)"]);
    children.push(live);
    const dead = `.verdicts.lock.jsonl.${deadPid()}.0123456789ab.tmp`;
    const running = `.verdicts.lock.jsonl.${live.pid}.0123456789ab.tmp`;
    const notOurs = ".verdicts.lock.jsonl.tmp";
    for (const name of [dead, running, notOurs]) await writeFile(join(dir, name), "half a lock");
    await writeFileAtomic(join(dir, "verdicts.lock.jsonl"), "whole\n");
    expect((await readdir(dir)).sort()).toEqual([running, notOurs, "verdicts.lock.jsonl"].sort());
  });

  it("the checker's folder in $TMPDIR is removed by the next checker", async () => {
    const tmp = await tempDir();
    const left = join(tmp, `hew-corpus-${deadPid()}-AbC123`);
    await mkdir(join(left, "0"), { recursive: true });
    await writeFile(join(left, "0", "main.hew"), "fn main() {}\n");
    const before = process.env.TMPDIR;
    process.env.TMPDIR = tmp;
    const checker = hewChecker({ bin: STAND_IN, concurrency: 1 });
    try {
      expect((await checker.check(recordedProgram("actors-pass-ledger").code)).status).toBe("pass");
      expect(existsSync(left)).toBe(false);
      expect((await readdir(tmp)).filter((n) => n.startsWith(`hew-corpus-${process.pid}-`))).toHaveLength(1);
    } finally {
      if (before === undefined) delete process.env.TMPDIR;
      else process.env.TMPDIR = before;
      await checker.close?.();
    }
  });
});
