/**
 * The eval against a real llama-server, built from the project's llama.cpp source (ensureLlamaServer; minutes
 * the first time, then cached) and started on 127.0.0.1 with a tiny random-weight model and two random
 * adapters. Answers are judged by the compiler stand-in: this covers what the server does, not Hew.
 */
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { evaluateModel } from "../../src/eval/evaluate.js";
import type { EvalPrompt, EvalRun } from "../../src/schema/eval.js";
import { tempDir } from "../helpers/fixtures.js";
import { SERVER_BUILD_TIMEOUT_MS, buildLlamaServerForTests, llamaServerSkipReason, startLlamaServer, type RunningLlamaServer } from "../helpers/llama-server.js";
import { writeTinyLlamaGguf } from "../../support/tiny-gguf.js";
import { writeRandomLoraGguf } from "../eval/lora-gguf.js";
import { evalProject } from "../eval/project.js";

const SKIP = llamaServerSkipReason();
if (SKIP) console.warn(`real llama-server tests skipped: ${SKIP}`);

const PROMPTS: EvalPrompt[] = ["Write fn main.", "Count to three.", "Say hello.", "Add two numbers."].map((prompt, i) => ({
  id: `actors-${i}`,
  category: "actors",
  prompt,
  reference: "fn main() {}",
}));
const SLOTS = 2;
// A random model writes random byte tokens, and llama-server answers invalid UTF-8 with a deterministic 500
// ("does not match the expected ... format"): the tiny vocabulary's 256 byte tokens (ids 5-260) are banned on
// the servers that must answer, and left in on the one that shows the 500.
const ASCII_ONLY = Array.from({ length: 256 }, (_, b) => ["--logit-bias", `${5 + b}-inf`]).flat();

describe.skipIf(SKIP)("eval against a real llama-server", () => {
  let dir: string;
  let withAdapters: RunningLlamaServer;
  let plain: RunningLlamaServer;
  let bytes: RunningLlamaServer;
  let adapterPaths: string[];

  beforeAll(async () => {
    const server = await buildLlamaServerForTests();
    const models = await tempDir();
    const model = join(models, "tiny.gguf");
    adapterPaths = [join(models, "a.gguf"), join(models, "b.gguf")];
    await writeTinyLlamaGguf(model, { contextLength: 1024, seed: 5 });
    await writeRandomLoraGguf(adapterPaths[0]!, { seed: 11 });
    await writeRandomLoraGguf(adapterPaths[1]!, { seed: 12 });
    const common = ["-m", model, "-c", String(512 * SLOTS), "--parallel", String(SLOTS), "--threads", "1", "--no-webui"];
    [withAdapters, plain, bytes] = await Promise.all([
      startLlamaServer(server.path, [...common, ...ASCII_ONLY, "--lora", adapterPaths[0]!, "--lora", adapterPaths[1]!, "--lora-init-without-apply"]),
      startLlamaServer(server.path, [...common, ...ASCII_ONLY]),
      startLlamaServer(server.path, common),
    ]);
    dir = await evalProject(PROMPTS, { config: { eval: { sampling: { maxTokens: 16 } } } });
  }, SERVER_BUILD_TIMEOUT_MS);
  afterAll(async () => {
    await Promise.all([withAdapters?.stop(), plain?.stop(), bytes?.stop()]);
  });

  const evaluate = async (url: string, lora: { id: number; scale: number }[] = [], runId?: string, sampling = {}): Promise<EvalRun> =>
    (await evaluateModel({ cwd: dir, model: { kind: "http", url, model: "tiny", lora }, sampling, ...(runId ? { runId } : { save: false }) })).run;
  const raws = (run: EvalRun) => run.answers.map((a) => a.raw);

  it("measures the base without --lora-id: every loaded adapter at scale 0, and says so in the header", async () => {
    const [none, base, tuned] = await Promise.all([evaluate(withAdapters.url), evaluate(plain.url), evaluate(withAdapters.url, [{ id: 0, scale: 1 }])]);
    expect(none.answers.every((a) => a.outcome !== "model-error")).toBe(true);
    expect(raws(none)).toEqual(raws(base));
    expect(raws(tuned)).not.toEqual(raws(base));
    expect(none.header.server!.adapters).toEqual([
      { id: 0, path: adapterPaths[0], scale: 0 },
      { id: 1, path: adapterPaths[1], scale: 0 },
    ]);
    expect(tuned.header.server!.adapters!.map((a) => a.scale)).toEqual([1, 0]);
  });

  it("refuses an adapter id the server does not have, naming its adapters", async () => {
    await expect(evaluate(withAdapters.url, [{ id: 5, scale: 1 }])).rejects.toThrow(/--lora-id 5: .* has no such adapter; adapters there: 0 \(.*a\.gguf\), 1 \(.*b\.gguf\)/);
  });

  it("records the server's model, slots, timings and usage, and defaults the concurrency to the slots", async () => {
    const run = await evaluate(plain.url, [], "real-server");
    expect(run.header.server).toMatchObject({ model: expect.stringContaining("tiny"), slots: SLOTS, adapters: [] });
    expect(run.header.concurrency).toBe(SLOTS);
    for (const a of run.answers) {
      if (a.outcome === "model-error") continue;
      expect(a.timings).toEqual({ promptMs: expect.any(Number), predictedMs: expect.any(Number), promptTokens: expect.any(Number), predictedTokens: expect.any(Number) });
      expect(a.completionTokens).toBeGreaterThan(0);
      expect(a.promptTokens).toBeGreaterThan(0);
      // timed from sending: the server's own time plus transport, not the queue behind other requests
      expect(a.generateMs).toBeLessThan(a.timings!.promptMs + a.timings!.predictedMs + 2000);
    }
  });

  it("never retries a deterministic 500, and records the server's message", async () => {
    const run = await evaluate(bytes.url);
    const errors = run.answers.filter((a) => a.outcome === "model-error");
    expect(errors.length).toBeGreaterThan(0);
    for (const a of errors) expect(a).toMatchObject({ attempts: 1, error: expect.stringMatching(/^HTTP 500 from .*: The model produced output that does not match the expected .* format$/) });
  });

  it("asks for n answers in one request, and they are the answers n single requests give", async () => {
    const sampling = { n: 2, temperature: 0.9, seed: 3 };
    const many = await evaluate(plain.url, [], undefined, sampling);
    const single = await evaluate(plain.url, [], undefined, { ...sampling, n: 1, seed: 4 });
    expect(many.answers.map((a) => `${a.promptId}#${a.sample}`)).toEqual(PROMPTS.flatMap((p) => [`${p.id}#0`, `${p.id}#1`]));
    expect(many.answers.filter((a) => a.sample === 1).map((a) => a.raw)).toEqual(raws(single));
  });
});
