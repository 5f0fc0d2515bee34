import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { evaluateModel } from "../../src/eval/evaluate.js";
import { readEvalRun } from "../../src/eval/run-file.js";
import { summarizeEvalRun } from "../../src/eval/summary.js";
import type { EvalPrompt } from "../../src/schema/eval.js";
import { AbortError } from "../../src/validate/run-process.js";
import { completion, startFakeLlamaServer, type FakeLlamaServer, type FakeServerInfo, type Responder } from "./fake-llama-server.js";
import { evalProject } from "./project.js";

const PROMPTS: EvalPrompt[] = Array.from({ length: 6 }, (_, i) => ({ id: `actors-${i}`, category: "actors", prompt: `prompt ${i}`, reference: "fn main() {}" }));
const ADAPTERS = [
  { id: 0, path: "/adapters/v7.gguf", scale: 1 },
  { id: 1, path: "/adapters/random.gguf", scale: 1 },
];

let servers: FakeLlamaServer[] = [];
afterEach(async () => {
  await Promise.all(servers.map((s) => s.close()));
  servers = [];
});

async function serve(info: FakeServerInfo, respond: Responder = () => completion("```hew\nfn main() {}\n```")): Promise<FakeLlamaServer> {
  const server = await startFakeLlamaServer(respond, info);
  servers.push(server);
  return server;
}

describe("eval asks a llama-server about itself before the first request", () => {
  it("measures the base with every adapter at scale 0 when none is chosen, and records the server's model, slots and adapters", async () => {
    const server = await serve({ adapters: ADAPTERS, slots: 3, model: "tiny.gguf" });
    const dir = await evalProject(PROMPTS);
    const { run } = await evaluateModel({ cwd: dir, model: { kind: "http", url: server.url, model: "m" }, runId: "base", save: false });
    expect(server.requests.every((r) => JSON.stringify(r.lora) === JSON.stringify([{ id: 0, scale: 0 }, { id: 1, scale: 0 }]))).toBe(true);
    expect(run.header.server).toEqual({ model: "tiny.gguf", slots: 3, adapters: ADAPTERS.map((a) => ({ ...a, scale: 0 })) });
    // the server's slot count is the default concurrency
    expect(run.header.concurrency).toBe(3);
  });

  it("applies only the chosen adapter, at its scale", async () => {
    const server = await serve({ adapters: ADAPTERS });
    const dir = await evalProject(PROMPTS.slice(0, 1));
    const { run } = await evaluateModel({ cwd: dir, model: { kind: "http", url: server.url, model: "m", lora: [{ id: 1, scale: 0.5 }] }, save: false });
    expect(server.requests[0]!.lora).toEqual([{ id: 0, scale: 0 }, { id: 1, scale: 0.5 }]);
    expect(run.header.server!.adapters).toEqual([{ ...ADAPTERS[0], scale: 0 }, { ...ADAPTERS[1], scale: 0.5 }]);
  });

  it("refuses an adapter id the server does not have, naming the ones it has, before asking anything", async () => {
    const server = await serve({ adapters: ADAPTERS });
    const dir = await evalProject(PROMPTS.slice(0, 1));
    await expect(evaluateModel({ cwd: dir, model: { kind: "http", url: server.url, model: "m", lora: [{ id: 5, scale: 1 }] } })).rejects.toThrow(
      /--lora-id 5: .* has no such adapter; adapters there: 0 \(\/adapters\/v7\.gguf\), 1 \(\/adapters\/random\.gguf\)/,
    );
    expect(server.requests).toHaveLength(0);
  });

  it("refuses --lora-id for a server that lists no adapters, and sends no lora field to one without the route", async () => {
    const server = await serve({});
    const dir = await evalProject(PROMPTS.slice(0, 1));
    await expect(evaluateModel({ cwd: dir, model: { kind: "http", url: server.url, model: "m", lora: [{ id: 0, scale: 1 }] } })).rejects.toThrow(/does not list LoRA adapters/);
    const { run } = await evaluateModel({ cwd: dir, model: { kind: "http", url: server.url, model: "m" }, save: false });
    expect(server.requests[0]).not.toHaveProperty("lora");
    expect(run.header.server).toEqual({ model: null, slots: null, adapters: null });
    expect(run.header.concurrency).toBe(4);
  });
});

describe("the run file grows as answers come", () => {
  it("keeps the answers of a cancelled run, and reads as unfinished", async () => {
    const controller = new AbortController();
    let answered = 0;
    const server = await serve({}, (r) => {
      if (++answered === 4) setTimeout(() => controller.abort(), 300);
      return answered <= 3 ? completion("```hew\nfn main() {}\n```") : { ...completion("late"), delayMs: 10_000 };
    });
    const dir = await evalProject(PROMPTS);
    await expect(
      evaluateModel({ cwd: dir, model: { kind: "http", url: server.url, model: "m" }, runId: "killed", concurrency: 1, signal: controller.signal }),
    ).rejects.toBeInstanceOf(AbortError);
    const file = join(dir, "runs", "eval", "killed.jsonl");
    const lines = (await readFile(file, "utf8")).trimEnd().split("\n");
    expect(lines.map((l) => (JSON.parse(l) as { type: string }).type)).toEqual(["header", "answer", "answer", "answer"]);
    const summary = summarizeEvalRun(await readEvalRun(file));
    expect(summary).toMatchObject({ unfinished: true, overall: { answers: 3 } });
  });

  it("ends a finished run with its end record, and reads the end into the header", async () => {
    const server = await serve({});
    const dir = await evalProject(PROMPTS.slice(0, 2));
    const { file } = await evaluateModel({ cwd: dir, model: { kind: "http", url: server.url, model: "m" }, runId: "done" });
    const lines = (await readFile(file!, "utf8")).trimEnd().split("\n");
    expect(JSON.parse(lines.at(-1)!)).toMatchObject({ type: "end", answers: 2, wallMs: expect.any(Number) });
    const run = await readEvalRun(file!);
    expect(run.header.finishedAt).toEqual(expect.any(String));
    expect(summarizeEvalRun(run).unfinished).toBeUndefined();
  });
});

describe("n answers per prompt", () => {
  const choices = (n: number, seed: number) => ({
    json: {
      choices: Array.from({ length: n }, (_, i) => ({ index: i, finish_reason: "stop", message: { role: "assistant", content: `\`\`\`hew\nfn main() { println(${seed + i}); }\n\`\`\`` } })),
    },
  });

  it("asks llama-server for all n in one request (choice i is seed + i), within its slots", async () => {
    const server = await serve({ slots: 2 }, (r) => choices((r.n as number | undefined) ?? 1, r.seed!));
    const dir = await evalProject(PROMPTS.slice(0, 2));
    const { run } = await evaluateModel({ cwd: dir, model: { kind: "http", url: server.url, model: "m" }, sampling: { n: 3, temperature: 0.7, seed: 10 }, save: false });
    // 3 answers with 2 slots: a request for 2, then one for 1, per prompt
    expect(server.requests.map((r) => [r.n ?? 1, r.seed])).toEqual(expect.arrayContaining([[2, 10], [1, 12], [2, 10], [1, 12]]));
    expect(server.requests).toHaveLength(4);
    expect(run.answers.map((a) => `${a.promptId}#${a.sample}:${a.raw.match(/println\((\d+)\)/)![1]}`)).toEqual(["actors-0#0:10", "actors-0#1:11", "actors-0#2:12", "actors-1#0:10", "actors-1#1:11", "actors-1#2:12"]);
  });

  it("falls back to one request per answer on a server that does not say it is llama-server", async () => {
    const server = await serve({}, (r) => choices(1, r.seed!));
    const dir = await evalProject(PROMPTS.slice(0, 1));
    await evaluateModel({ cwd: dir, model: { kind: "http", url: server.url, model: "m" }, sampling: { n: 3, temperature: 0.7, seed: 10 }, save: false });
    expect(server.requests.map((r) => [r.n, r.seed])).toEqual(expect.arrayContaining([[undefined, 10], [undefined, 11], [undefined, 12]]));
  });
});
