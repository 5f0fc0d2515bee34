import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadConfig } from "../../src/config.js";
import { evaluateModel } from "../../src/eval/evaluate.js";
import { loadPromptSet } from "../../src/eval/prompt-set.js";
import { httpModelClient } from "../../src/eval/http-client.js";
import { runEval } from "../../src/eval/run-eval.js";
import { hewChecker } from "../../src/validate/hew-checker.js";
import { SamplingSchema, type EvalPrompt } from "../../src/schema/eval.js";
import { REPO_ROOT } from "../helpers/fixtures.js";
import { REAL_HEW, SKIP_REASON } from "../helpers/real-hew.js";
import { completion, startFakeLlamaServer, type FakeLlamaServer } from "./fake-llama-server.js";

describe.skipIf(!REAL_HEW)(`eval with the real hew checker (${REAL_HEW ? REAL_HEW : SKIP_REASON})`, () => {
  const checker = hewChecker({ bin: REAL_HEW ?? "hew", concurrency: 2 });
  let server: FakeLlamaServer;
  let prompts: EvalPrompt[];

  beforeAll(async () => {
    prompts = (await loadPromptSet(join(REPO_ROOT, "corpus", "eval", "prompts.yaml"))).set.prompts;
    // A model that knows every reference by heart, but talks around it; and one that talks in the middle.
    server = await startFakeLlamaServer((request) => {
      const asked = request.messages.at(-1)!.content;
      if (asked === "talk") return completion("fn main() {\n    println(1);\n}\n\nNow call it twice:\n\nfn twice() {\n    main();\n    main();\n}\n");
      const prompt = prompts.find((p) => p.prompt === asked)!;
      return completion(`<think>I know this one.</think>\nHere you go:\n\`\`\`hew\n${prompt.reference}\`\`\`\nDone.`);
    });
  });
  afterAll(async () => {
    await server?.close();
    await checker.close?.();
  });

  it("passes the bundled prompt set's references, cleaned out of their prose, with the latest system prompt", async () => {
    const { summary } = await evaluateModel({
      config: await loadConfig(REPO_ROOT),
      model: { kind: "http", url: server.url, model: "reference" },
      checker,
      save: false,
    });
    expect(summary.overall).toMatchObject({ prompts: 39, answers: 39, passed: 39, rate: 1 });
    expect(summary.categories).toHaveLength(12);
    expect(summary.proseLeaks).toBe(39);
    expect(summary.checker.name).toBe("hew");
    expect(summary.systemPromptVersion).toBe("v3");
  });

  it("calls prose the cleaning cannot remove a prose leak, by the real compiler's diagnostics", async () => {
    const sampling = SamplingSchema.parse({});
    const model = { kind: "http" as const, url: server.url, model: "talker", lora: [] };
    const run = await runEval({
      runId: "talk",
      prompts: [{ id: "algorithms-talk", category: "algorithms", prompt: "talk", reference: "fn main() {}\n" }],
      promptSet: { file: "inline", version: 1, sha256: "0".repeat(64), prompts: 1 },
      systemPrompt: null,
      model,
      client: httpModelClient({ url: server.url, model: model.model, sampling, timeoutMs: 10_000, retries: 0 }),
      sampling,
      checker,
      concurrency: 1,
    });
    expect(run.answers[0]).toMatchObject({ outcome: "fail", failureCategory: "prose-leak", code: expect.stringContaining("Now call it twice:") });
  });
});
