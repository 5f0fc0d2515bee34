import { existsSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readEvalRun } from "../../src/eval/run-file.js";
import { EvalSummarySchema, type EvalPrompt } from "../../src/schema/eval.js";
import { recordedProgram, runCli } from "../helpers/fixtures.js";
import { closedPort, completion, startFakeLlamaServer, type FakeLlamaServer } from "./fake-llama-server.js";
import { evalProject } from "./project.js";

const program = (name: string) => recordedProgram(name).code;

const PROMPTS: EvalPrompt[] = [
  { id: "actors-hits", category: "actors", prompt: "Count hits.", reference: program("actors-pass-job-queue-pull") },
  { id: "generators-fib", category: "generators", prompt: "Fibonacci.", reference: program("generators-pass-collatz-steps") },
  { id: "generators-primes", category: "generators", prompt: "Primes.", reference: program("generators-pass-word-tokens") },
  { id: "algorithms-sort", category: "algorithms", prompt: "Sort.", reference: program("algorithms-pass-merge-sort") },
];

/** What an older model says: a yield in main, `::` paths, and prose around a good answer. */
const OLD: Record<string, string> = {
  "Count hits.": `Sure, here it is:\n\`\`\`hew\n${program("actors-pass-job-queue-pull")}\`\`\``,
  "Fibonacci.": `<think>gen fn</think>\n\`\`\`hew\n${program("generators-fail-yield-outside-gen--gen-fn-not-main-1")}\`\`\``,
  "Primes.": `\`\`\`hew\n${program("generators-pass-word-tokens")}\`\`\``,
  "Sort.": `\`\`\`hew\n${program("data-structures-fail-legacy-path--dotted-constructors-1")}\`\`\``,
};
/** A newer one fixes the generator. */
const NEW: Record<string, string> = { ...OLD, "Fibonacci.": `\`\`\`hew\n${program("generators-pass-collatz-steps")}\`\`\`` };

describe("hew-corpus eval", () => {
  let oldServer: FakeLlamaServer;
  let newServer: FakeLlamaServer;
  let dir: string;

  beforeAll(async () => {
    oldServer = await startFakeLlamaServer((r) => completion(OLD[r.messages.at(-1)!.content]!), { adapters: [{ id: 0, path: "v7.gguf", scale: 1 }] });
    newServer = await startFakeLlamaServer((r) => completion(NEW[r.messages.at(-1)!.content]!));
    dir = await evalProject(PROMPTS);
  });
  afterAll(async () => {
    await oldServer?.close();
    await newServer?.close();
  });

  it("asks the server, prints the per-category table and top failures, and saves the run", async () => {
    const r = await runCli(["eval", "--url", oldServer.url, "--model", "qwen-4b-v7", "--run-id", "v7", "--lora-id", "0=0.75"], { cwd: dir });
    expect(r.stderr).toContain(`hew-corpus: saved ${join(dir, "runs", "eval", "v7.jsonl")}`);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^eval v7: qwen-4b-v7 at http:\/\/127\.0\.0\.1:\d+ lora 0×0\.75$/m);
    expect(r.stdout).toMatch(/4 prompts × 1 answer, temperature 0, system prompt v2, checked by hew-stand-in/);
    expect(r.stdout).toMatch(/^actors\s+1\s+100\.0%\s+\[20\.7%, 100\.0%\]$/m);
    expect(r.stdout).toMatch(/^generators\s+2\s+50\.0%\s+\[9\.5%, 90\.5%\]$/m);
    expect(r.stdout).toMatch(/^algorithms\s+1\s+0\.0%\s+\[0\.0%, 79\.3%\]$/m);
    expect(r.stdout).toMatch(/^overall\s+4\s+50\.0%\s+\[15\.0%, 85\.0%\]$/m);
    expect(r.stdout).toMatch(/^answers 4: pass 2, fail 2$/m);
    expect(r.stdout).toMatch(/^prose leaks \(prose removed around the code\): 1; cut off at max tokens: 0$/m);
    expect(r.stdout).toMatch(/^top failure categories:\n {2}legacy-path\s+1\n {2}yield-outside-gen\s+1$/m);
    expect(oldServer.requests[0]).toMatchObject({ model: "qwen-4b-v7", lora: [{ id: 0, scale: 0.75 }], temperature: 0, max_tokens: 2048 });
    expect(oldServer.requests[0]!.messages[0]).toEqual({ role: "system", content: "You write Hew.\n\nRules:\n1. Answer with code only." });
    const run = await readEvalRun(join(dir, "runs", "eval", "v7.jsonl"));
    expect(run.header).toMatchObject({ runId: "v7", model: { kind: "http", model: "qwen-4b-v7" }, promptSet: { file: "eval/prompts.yaml", version: 3, prompts: 4 } });
    expect(run.answers.map((a) => a.failureCategory ?? a.outcome)).toEqual(["pass", "yield-outside-gen", "pass", "legacy-path"]);
  });

  it("compares two saved runs per category with intervals, and shows a saved run again", async () => {
    const r8 = await runCli(["eval", "--url", newServer.url, "--model", "qwen-4b-v8", "--run-id", "v8", "--system-prompt", "v1"], { cwd: dir });
    expect(r8.code).toBe(0);
    expect(newServer.requests[0]!.messages[0]).toEqual({ role: "system", content: "You write Hew." });
    const c = await runCli(["eval", "compare", "v7", "v8"], { cwd: dir });
    expect(c.code).toBe(0);
    expect(c.stdout).toMatch(/^eval v7 → v8/);
    expect(c.stdout).toMatch(/^generators\s+50\.0%\s+100\.0%\s+\+50\.0\s+\[−\d+\.\d, \+\d+\.\d\]\s+no clear change$/m);
    expect(c.stdout).toMatch(/^overall\s+50\.0%\s+75\.0%\s+\+25\.0/m);
    expect(c.stdout).toMatch(/^ {2}yield-outside-gen\s+1\s+→\s+0$/m);
    const show = await runCli(["eval", "show", join(dir, "runs", "eval", "v7.jsonl"), "--json"], { cwd: dir });
    const summary = EvalSummarySchema.parse(JSON.parse(show.stdout));
    expect(summary).toMatchObject({ runId: "v7", overall: { rate: 0.5 }, failures: [{ category: "legacy-path" }, { category: "yield-outside-gen" }] });
  });

  it("sends no system message with --no-system-prompt and keeps the run unsaved with --no-save", async () => {
    const before = newServer.requests.length;
    const r = await runCli(["eval", "--url", newServer.url, "--model", "m", "--no-system-prompt", "--no-save", "--prompt", "actors-hits", "--json"], { cwd: dir });
    expect(r.code).toBe(0);
    expect(EvalSummarySchema.parse(JSON.parse(r.stdout))).toMatchObject({ systemPromptVersion: null, overall: { prompts: 1 } });
    expect(newServer.requests.slice(before).map((q) => q.messages.map((m) => m.role))).toEqual([["user"]]);
    expect(r.stderr).not.toContain("saved");
  });

  it("takes the model and sampling from the config's eval section", async () => {
    const project = await evalProject(PROMPTS.slice(0, 1), { config: { eval: { model: { kind: "http", url: newServer.url, model: "from-config" }, sampling: { temperature: 0.5, maxTokens: 99 } } } });
    const before = newServer.requests.length;
    const r = await runCli(["eval", "--no-save"], { cwd: project });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^eval eval-\d{8}-\d{6}: from-config at /m);
    expect(newServer.requests.slice(before)).toEqual([expect.objectContaining({ model: "from-config", temperature: 0.5, max_tokens: 99 })]);
    const broken = await evalProject(PROMPTS.slice(0, 1), { config: { eval: { sampling: { temperature: -1 } } } });
    const bad = await runCli(["eval", "--no-save"], { cwd: broken });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/hew-corpus\.config\.yaml:\d+: eval\.sampling\.temperature: /);
  });

  it("says in one line that the server cannot be reached, before the first prompt", async () => {
    const port = await closedPort();
    const r = await runCli(["eval", "--url", `http://127.0.0.1:${port}/`, "--model", "m", "--retries", "0", "--no-save", "--category", "actors"], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(new RegExp(`^hew-corpus: cannot reach http://127\\.0\\.0\\.1:${port}/\\S+: ECONNREFUSED\n$`));
  });

  it("exits 1 and gives the first reason when answers are model errors", async () => {
    const failing = await startFakeLlamaServer(() => ({ status: 500, json: { error: { message: "The model produced output that does not match the expected format" } } }));
    try {
      const r = await runCli(["eval", "--url", failing.url, "--model", "m", "--no-save", "--category", "generators"], { cwd: dir });
      expect(r.code).toBe(1);
      expect(r.stdout).toMatch(/answers 2: pass 0, fail 0, model error 2/);
      expect(r.stdout).toMatch(/warning: 2 answers have no real verdict or no answer/);
      expect(r.stdout).toMatch(/^ {2}first model error \(generators-\w+#0\): HTTP 500 from \S+: The model produced output that does not match the expected format$/m);
      expect(failing.requests).toHaveLength(2);
    } finally {
      await failing.close();
    }
  });

  it("explains a user's mistake in one line, without a stack trace, and before asking the model", async () => {
    const cases: [string[], RegExp][] = [
      [["eval"], /^hew-corpus: no model to evaluate: give --url and --model for a server, or --gguf for a local model, or set eval\.model in the config\n$/],
      [["eval", "--url", newServer.url], /^hew-corpus: --url needs --model/],
      [["eval", "--url", newServer.url, "--model", "m", "--run-id", "v7"], /a run with this id exists; choose another run id/],
      [["eval", "--url", newServer.url, "--model", "m", "--system-prompt", "v9"], /unknown system-prompt version "v9"; known: v1, v2/],
      [["eval", "--url", newServer.url, "--model", "m", "-n", "3"], /3 answers per prompt need a temperature above 0/],
      [["eval", "--gguf", join(dir, "missing.gguf"), "--no-save"], /missing\.gguf: model file not found/],
      [["eval", "--url", newServer.url, "--model", "m", "--hew", "/nonexistent/hew"], /^hew-corpus: hew not found \(\/nonexistent\/hew is not an executable file\)/],
      [["eval", "compare", "v7", "v99"], /no eval run "v99": not a file, and not in .* \(runs there: v7, v8\)/],
    ];
    const before = newServer.requests.length;
    for (const [args, message] of cases) {
      const r = await runCli(args, { cwd: dir });
      expect(r.code, args.join(" ")).toBe(2);
      expect(r.stderr).toMatch(message);
      expect(r.stderr).not.toMatch(/\n\s+at /);
    }
    // A malformed flag value is commander's usage error (exit 1), worded by us.
    const bad = await runCli(["eval", "--url", newServer.url, "--model", "m", "--lora-id", "x"], { cwd: dir });
    expect(bad.stderr).toMatch(/option '--lora-id <id=scale>' argument 'x' is invalid\. expected ID=SCALE/);
    expect(newServer.requests.length).toBe(before);
    expect(existsSync(join(dir, "runs", "eval", "v7.jsonl"))).toBe(true);
  }, 180_000);
});
