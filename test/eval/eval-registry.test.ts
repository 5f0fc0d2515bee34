import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { adapterRun } from "../../src/train/eval-record.js";
import { RunRegistry } from "../../src/train/run-registry.js";
import type { EvalPrompt } from "../../src/schema/eval.js";
import { runCli } from "../helpers/fixtures.js";
import { seedRuns, writeRegistry } from "../report/registry-fixture.js";
import { completion, startFakeLlamaServer, type FakeLlamaServer } from "./fake-llama-server.js";
import { evalProject } from "./project.js";

const PROMPTS: EvalPrompt[] = [
  { id: "actors-a", category: "actors", prompt: "a", reference: "fn main() {}" },
  { id: "actors-b", category: "actors", prompt: "b", reference: "fn main() {}" },
];

describe("every eval reaches the run registry", () => {
  let server: FakeLlamaServer;
  let dir: string;
  let registry: RunRegistry;

  beforeAll(async () => {
    server = await startFakeLlamaServer(() => completion("```hew\nfn main() {}\n```"));
    dir = await evalProject(PROMPTS);
    registry = new RunRegistry(join(dir, "runs", "registry.jsonl"));
    await writeRegistry(registry.file);
  });
  afterAll(async () => server?.close());

  it("records a plain eval as its own row, and an eval --run vN as an eval of that training run", async () => {
    const plain = await runCli(["eval", "--url", server.url, "--model", "m", "--run-id", "plain"], { cwd: dir });
    expect(plain.stderr).toMatch(/recorded as v13 in .*registry\.jsonl/);
    const ofV11 = await runCli(["eval", "--url", server.url, "--model", "m", "--run-id", "of-v11", "--run", "v11", "--temperature", "0.5", "--max-tokens", "99"], { cwd: dir });
    expect(ofV11.stderr).toMatch(/recorded as v14 \(eval of v11\)/);
    const records = await registry.list();
    expect(records.at(-2)).toMatchObject({ id: "v13", kind: "eval", eval: { evalRun: "plain", passRate: expect.any(Number) } });
    expect(records.at(-2)).not.toHaveProperty("parent");
    expect(records.at(-1)).toMatchObject({ id: "v14", kind: "eval", parent: "v11", eval: { evalRun: "of-v11" } });
    const runs = await runCli(["runs"], { cwd: dir });
    expect(runs.stdout).toMatch(/v14 \(eval of v11\)/);

    // compare warns about what differs besides the model
    const compare = await runCli(["eval", "compare", "plain", "of-v11"], { cwd: dir });
    expect(compare.stderr).toMatch(/warning: plain and of-v11 differ in sampling settings: .*"temperature":0\b.* vs .*"temperature":0\.5/);
    expect(compare.stderr).toMatch(/warning: plain and of-v11 differ in max tokens: 2048 vs 99/);
    expect(compare.stderr).not.toMatch(/prompt set|system prompt/);

    // corrections plan takes the run's id, as eval show and compare do
    const plan = await runCli(["corrections", "plan", "plain"], { cwd: dir });
    expect(plan.code).toBe(0);
  }, 240_000);

  it("refuses a --run the registry does not have before asking the model, naming the training runs", async () => {
    const before = server.requests.length;
    const r = await runCli(["eval", "--url", server.url, "--model", "m", "--run", "v99"], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^hew-corpus: no training run v99 in .*registry\.jsonl \(training runs: v7, v8, v9, v11\)\n$/);
    expect(server.requests.length).toBe(before);
  }, 60_000);

  it("finds the training run of a local model's adapter by its hash or its path", () => {
    const records = seedRuns();
    const gguf = (lora: { path: string; sha256?: string }) => ({ kind: "gguf" as const, path: "/m.gguf", contextSize: 8192, lora: [{ scale: 1, ...lora }] });
    expect(adapterRun(records, gguf({ path: "/work/runs/v8/adapter.gguf" }))?.id).toBe("v8");
    expect(adapterRun(records, gguf({ path: "/elsewhere/copy.gguf", sha256: "0".repeat(64) }))?.id).toBe("v7");
    expect(adapterRun(records, gguf({ path: "/elsewhere/other.gguf", sha256: "1".repeat(64) }))).toBeUndefined();
  });
});
