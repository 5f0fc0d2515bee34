import { spawn } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { loadTaskFile } from "../../src/synth/tasks.js";
import { CLI_ARGV, runCli, tempDir } from "../helpers/fixtures.js";
import { firstRequest, startLoopbackTeacher, type LoopbackTeacher } from "../../support/loopback-teacher.js";
import { scriptedReply, standInEnv, synthProject } from "./synth-project.js";

let teacher: LoopbackTeacher | undefined;
afterEach(async () => {
  await teacher?.close();
  teacher = undefined;
});

const stateLines = (file: string) => (existsSync(file) ? readFileSync(file, "utf8").trim().split("\n").filter(Boolean) : []);

describe("hew-corpus synth", () => {
  it("exits 130 on Ctrl-C with the state saved, and a rerun finishes without asking again for finished tasks", async () => {
    teacher = await startLoopbackTeacher(scriptedReply, { delayMs: 150 });
    const dir = await synthProject({ url: teacher.url, model: "teacher-model", apiKeyEnv: "TEST_TEACHER_KEY" });
    const env = { ...standInEnv(join(await tempDir("hew-synth-index-"), "index")), HEW_BIN: "", TEST_TEACHER_KEY: "sk-cli-secret" };
    const state = join(dir, ".hew-corpus", "synth", "tasks.jsonl");

    const child = spawn(CLI_ARGV[0]!, [...CLI_ARGV.slice(1), "synth", "tasks.yaml", "-j", "1"], { cwd: dir, env });
    let stderr = "";
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => child.on("close", (code) => resolve(code)));
    // Interrupt once two tasks are journalled.
    while (stateLines(state).length < 2) await new Promise((r) => setTimeout(r, 50));
    child.kill("SIGINT");
    expect(await exited).toBe(130);
    expect(stderr).toContain("cancelled");
    const finished = stateLines(state).map((l) => (JSON.parse(l) as { record: { taskId: string } }).record.taskId);
    expect(finished.length).toBeGreaterThanOrEqual(2);
    expect(finished.length).toBeLessThan(8);
    expect(existsSync(join(dir, "samples", "synthetic.jsonl"))).toBe(false);

    const asked = teacher.requests.length;
    const rerun = await runCli(["synth", "tasks.yaml"], { cwd: dir, env });
    expect(rerun.stdout).toContain(`resumed: ${finished.length} tasks`);
    expect(rerun.stdout).toMatch(/admitted\s+3/);
    expect(rerun.stderr).toContain("wrote 3 new samples");
    // The checker-error task (a program no compiler judged) makes the exit 1.
    expect(rerun.code).toBe(1);
    const tasks = await loadTaskFile(join(dir, "tasks.yaml"));
    const finishedRequests = tasks.filter((t) => finished.includes(t.id)).map((t) => t.request);
    const resumedAsks = new Set(teacher.requests.slice(asked).map((r) => firstRequest(r)));
    expect(resumedAsks.size).toBe(8 - finished.length);
    expect(finishedRequests.filter((r) => resumedAsks.has(r))).toEqual([]);
    for (const file of [state, join(dir, "samples", "synthetic.jsonl")]) expect(readFileSync(file, "utf8")).not.toContain("sk-cli-secret");
  }, 60_000);

  it("a user's mistake reads as one line, without a stack trace", async () => {
    const dir = await synthProject({ url: "http://127.0.0.1:9", model: "m" });
    const cli = await runCli(["synth", "tasks.yaml", "--config", "none.yaml"], { cwd: dir });
    expect(cli.code).toBe(2);
    expect(cli.stderr.trim()).toBe("hew-corpus: none.yaml: config file not found");
    const bad = await runCli(["synth", "missing.yaml"], { cwd: dir });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/^hew-corpus: .*missing\.yaml/);
    expect(bad.stderr).not.toContain("    at ");
  });
});
