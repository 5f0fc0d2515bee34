import type { RunAnswer } from "../../src/corrections/eval-run.js";
import { SamplingSchema } from "../../src/schema/eval.js";

/** A saved eval run whose answers end as given (the fields corrections read; the rest as an eval writes them). */
export function savedRun(runId: string, answers: RunAnswer[]): string {
  const header = {
    type: "header",
    format: 1,
    runId,
    startedAt: "2026-11-23T00:00:00.000Z",
    finishedAt: "2026-11-23T00:01:00.000Z",
    wallMs: 60_000,
    model: { kind: "http", url: "http://127.0.0.1:1", model: "m", lora: [] },
    sampling: SamplingSchema.parse({}),
    systemPrompt: null,
    promptSet: { file: "prompts.yaml", version: 1, sha256: "0".repeat(64), prompts: answers.length },
    checker: { name: "hew", version: "0.6.0-rc2" },
    concurrency: 1,
  };
  const stripped = { thinkChars: 0, thinkUnterminated: false, proseBefore: "", proseAfter: "", fence: null, blocks: 0 };
  const lines = answers.map((a) => ({ type: "answer", ...a, sample: 0, prompt: "p", raw: "", finishReason: "stop", code: "", stripped, attempts: 1, generateMs: 1 }));
  return [header, ...lines].map((r) => JSON.stringify(r) + "\n").join("");
}
