import { writeFile, mkdir } from "node:fs/promises";
import { dirname } from "node:path";
import { EVAL_CATEGORIES } from "../../src/schema/sample.js";
import { RunRecordSchema, type RunRecord } from "../../src/schema/run.js";
import { TrainConfigSchema } from "../../src/schema/train.js";

/** Prompts per category in the 39-prompt eval set: three each, four in the first three categories. */
export const PROMPTS_PER_CATEGORY = EVAL_CATEGORIES.map((_, i) => (i < 3 ? 4 : 3));

function evalResults(passedPerCategory: number[], interval: [number, number], failureCategories: Record<string, number>) {
  const perCategory = Object.fromEntries(
    EVAL_CATEGORIES.map((c, i) => [c, { passed: passedPerCategory[i]!, total: PROMPTS_PER_CATEGORY[i]!, rate: passedPerCategory[i]! / PROMPTS_PER_CATEGORY[i]! }]),
  );
  const passed = passedPerCategory.reduce((a, b) => a + b, 0);
  return { passRate: passed / 39, interval: { low: interval[0], high: interval[1], level: 0.95 }, perCategory, failureCategories, promptSet: "corpus/eval/prompts.yaml" };
}

function train(id: string, samples: number, epochs: 1 | 2, systemPromptVersion: string, at: string): RunRecord {
  const config = TrainConfigSchema.parse({ baseModel: "/models/qwen3-4b-f16.gguf", dataset: "/work/corpus/training-set/messages.jsonl", epochs });
  return RunRecordSchema.parse({
    id,
    kind: "train",
    startedAt: `${at}T08:00:00.000Z`,
    finishedAt: `${at}T11:30:00.000Z`,
    corpus: { hash: `sha256-of-${id}`, dataset: config.dataset, sampleCount: samples, systemPromptVersion },
    training: {
      config,
      adapter: { path: `/work/runs/${id}/adapter.gguf`, sha256: "0".repeat(64) },
      losses: Array.from({ length: epochs }, (_, i) => ({ epoch: i + 1, train: 1.2 - 0.3 * i, validation: 1.3 - 0.25 * i })),
      initialValidationLoss: 2.1,
      steps: 400 * epochs,
      samples: { train: Math.round(samples * 0.9), validation: samples - Math.round(samples * 0.9), skipped: [] },
      tokensPerSecond: 1800,
      contextTokensPerSecond: 2100,
      wallTimeMs: 12_600_000,
      backend: { name: "cpu", flags: ["GGML_OPENMP=ON"], llamaCommit: "abc1234", systemInfo: "AVX2 = 1" },
      dropout: { requested: 0.05, applied: false, note: "llama.cpp's LoRA path has no dropout" },
    },
  });
}

/**
 * The seed's history as registry records: v7 53%, v8 69% and v11 80% (here 21, 27 and 31 of 39 prompts),
 * a training run that was never evaluated (v9), and a later eval of v11 (v12).
 */
export function seedRuns(): RunRecord[] {
  const v7 = train("v7", 412, 1, "v1", "2026-09-01");
  v7.eval = evalResults([3, 2, 1, 2, 1, 3, 2, 2, 2, 0, 2, 1], [0.3857, 0.6843], { "invented-api": 6, "legacy-path": 4, "integer-type": 3, "yield-outside-gen": 2, "prose-leak": 2, other: 1 });
  const v8 = train("v8", 451, 1, "v2", "2026-09-08");
  v8.eval = evalResults([4, 3, 2, 2, 2, 3, 2, 2, 3, 1, 2, 1], [0.5358, 0.8143], { "invented-api": 4, "legacy-path": 1, "integer-type": 2, "machine-syntax": 2, "prose-leak": 1, other: 2 });
  const v9 = train("v9", 451, 2, "v2", "2026-09-10");
  const v11 = train("v11", 451, 2, "v2", "2026-09-15");
  v11.eval = evalResults([4, 4, 3, 3, 2, 3, 2, 3, 3, 1, 2, 1], [0.6447, 0.8922], { "invented-api": 3, "integer-type": 1, "machine-syntax": 2, "use-after-move": 1, other: 1 });
  const v12 = RunRecordSchema.parse({
    id: "v12",
    kind: "eval",
    parent: "v11",
    startedAt: "2026-09-16T09:00:00.000Z",
    finishedAt: "2026-09-16T09:20:00.000Z",
    eval: { ...evalResults([4, 4, 3, 3, 2, 3, 2, 3, 3, 2, 2, 1], [0.6733, 0.9102], { "invented-api": 3, "integer-type": 1, "machine-syntax": 2, other: 1 }), model: "qwen3-4b + v11 adapter" },
  });
  return [v7, v8, v9, v11, v12];
}

export async function writeRegistry(file: string, records: readonly RunRecord[] = seedRuns()): Promise<void> {
  await mkdir(dirname(file), { recursive: true });
  await writeFile(file, records.map((r) => JSON.stringify(r) + "\n").join(""));
}
