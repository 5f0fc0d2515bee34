import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { hewChecker } from "../../src/validate/hew-checker.js";
import { HewNotFoundError } from "../../src/validate/hew-binary.js";
import { AbortError } from "../../src/validate/run-process.js";
import type { Checker } from "../../src/validate/checker.js";
import { sha256Hex } from "../../src/util/hash.js";
import { STAND_IN, recordedProgram, recordedVerdicts, programText, tempDir } from "../helpers/fixtures.js";

const checkers: Checker[] = [];
function standIn(env: NodeJS.ProcessEnv = {}, timeoutMs = 10_000): Checker {
  const c = hewChecker({ bin: STAND_IN, timeoutMs, env: { ...process.env, ...env } });
  checkers.push(c);
  return c;
}
afterEach(async () => {
  await Promise.all(checkers.splice(0).map((c) => c.close?.()));
});

function processesMatching(marker: string): string[] {
  const out = execFileSync("ps", ["-eo", "pid,args"], { encoding: "utf8" });
  return out.split("\n").filter((l) => l.includes(marker) && !l.includes("ps -eo"));
}

describe("hewChecker against the stand-in", () => {
  it("names the stand-in as the checker, never hew", async () => {
    expect(await standIn().identify()).toEqual({ name: "hew-stand-in", version: expect.stringMatching(/not a compiler/) });
  });

  it("says a hew that hangs on --version did not answer, within how long", async () => {
    const bin = join(await tempDir(), "hew");
    await writeFile(bin, "#!/bin/sh\nsleep 30\n", { mode: 0o755 });
    const checker = hewChecker({ bin, timeoutMs: 300 });
    checkers.push(checker);
    await expect(checker.identify()).rejects.toThrow(/^hew not found \(`.*hew --version` did not answer within 0\.3 s\)\. Install Hew/);
  });

  it("replays every recorded verdict with the recorded status and codes", async () => {
    const checker = standIn();
    for (const record of recordedVerdicts().filter((_, i) => i % 10 === 0)) {
      const code = programText(record);
      const verdict = await checker.check(code);
      expect(verdict.status, record.file).toBe(record.exitCode === 0 ? "pass" : "fail");
      expect(verdict.diagnostics.map((d) => d.code)).toEqual(record.diagnostics.map((d) => d.code));
      expect(verdict.codeHash).toBe(sha256Hex(code));
      expect(verdict.checker.name).toBe("hew-stand-in");
    }
  });

  it("gives checker-error for a program with no recorded verdict", async () => {
    const verdict = await standIn().check("fn main() { println(42); }\n");
    expect(verdict.status).toBe("checker-error");
    expect(verdict.reason).toMatch(/exit code 3: hew-stand-in: no recorded verdict/);
  });

  it.each([
    ["crash", /killed by signal SIGSEGV/],
    ["garbage", /stdout is not JSON/],
    ["nothing", /empty stdout/],
    ["flood", /output exceeded/],
    ["exit2", /exit code 2/],
    ["empty-fail", /exit code 1 without any error diagnostic/],
    ["bad-shape", /not the hew check JSON contract/],
  ])("turns the %s fault into checker-error", async (fault, reason) => {
    const { code } = recordedProgram("actors-pass-ledger");
    const verdict = await standIn({ HEW_STANDIN_FAULT: fault }).check(code);
    expect(verdict.status).toBe("checker-error");
    expect(verdict.reason).toMatch(reason);
  });

  it("turns a fault marked in the code into checker-error for that block only", async () => {
    const checker = standIn();
    expect((await checker.check("// hew-stand-in: fault=garbage\nfn main() {}\n")).status).toBe("checker-error");
    expect((await checker.check(recordedProgram("actors-pass-ledger").code)).status).toBe("pass");
  });

  it("fails with the codegen text that hew prints outside the JSON", async () => {
    const verdict = await standIn({ HEW_STANDIN_FAULT: "codegen" }).check("fn main() {}\n");
    expect(verdict.status).toBe("fail");
    expect(verdict.diagnostics.map((d) => d.code)).toEqual(["E_CODEGEN_FRONT_LLVM"]);
  });

  it("kills a hanging checker and everything it started at the timeout", async () => {
    const marker = "hew-stand-in: fault=hang";
    const verdict = await standIn({}, 500).check(`// ${marker}\nfn main() {}\n`);
    expect(verdict.status).toBe("checker-error");
    expect(verdict.reason).toMatch(/timed out after 500 ms/);
    expect(processesMatching("sleep 3600")).toEqual([]);
  });

  it.skipIf(!existsSync("/proc/self/environ") || !existsSync("/usr/bin/setsid"))("kills, at the timeout, what a hanging checker started in a session of its own", async () => {
    const bin = join(await tempDir(), "hew");
    await writeFile(bin, '#!/bin/sh\n[ "$1" = --version ] && { echo "hew 9.9.9"; exit 0; }\n/usr/bin/setsid sleep 3597 &\nsleep 3596\n', { mode: 0o755 });
    const checker = hewChecker({ bin, timeoutMs: 500 });
    checkers.push(checker);
    const verdict = await checker.check("fn main() {}\n");
    expect(verdict.reason).toMatch(/timed out after 500 ms/);
    expect(processesMatching("sleep 3597")).toEqual([]);
    expect(processesMatching("sleep 3596")).toEqual([]);
  });

  it("cancels through the signal and leaves no child process behind", async () => {
    const controller = new AbortController();
    const pending = standIn({ HEW_STANDIN_FAULT: "hang" }).check("fn main() {}\n", { signal: controller.signal });
    setTimeout(() => controller.abort(), 300);
    await expect(pending).rejects.toBeInstanceOf(AbortError);
    expect(processesMatching("sleep 3600")).toEqual([]);
  });

  it("runs checks in parallel but never more processes than its concurrency", async () => {
    const dir = await tempDir();
    const log = join(dir, "log");
    const bin = join(dir, "hew");
    await writeFile(bin, '#!/usr/bin/env bash\n[ "$1" = --version ] && { echo "hew 9.9.9"; exit 0; }\necho "+ $EPOCHREALTIME" >> "$LOG"\nsleep 0.05\necho "- $EPOCHREALTIME" >> "$LOG"\necho "[]"\n', { mode: 0o755 });
    const checker = hewChecker({ bin, concurrency: 3, env: { ...process.env, LOG: log } });
    checkers.push(checker);
    const verdicts = await Promise.all(Array.from({ length: 12 }, (_, i) => checker.check(`fn f${i}() {}\n`)));
    expect(verdicts.every((v) => v.status === "pass")).toBe(true);
    const events = (await readFile(log, "utf8")).trim().split("\n").map((l) => l.split(" ") as [string, string]);
    let running = 0;
    let peak = 0;
    for (const [sign] of events.sort((a, b) => Number(a[1]) - Number(b[1]) || (a[0] === "-" ? -1 : 1))) {
      running += sign === "+" ? 1 : -1;
      peak = Math.max(peak, running);
    }
    expect(events).toHaveLength(24);
    expect(peak).toBeLessThanOrEqual(3);
    expect(peak).toBeGreaterThan(1);
  });

  it("reports a missing binary as HewNotFoundError, with how to fix it", async () => {
    const checker = hewChecker({ bin: "/nonexistent/hew" });
    await expect(checker.check("fn main() {}\n")).rejects.toBeInstanceOf(HewNotFoundError);
    await expect(checker.identify()).rejects.toThrow(/--hew PATH, HEW_BIN=PATH/);
  });
});
