import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parseTrainingJsonl } from "../../src/train/dataset.js";
import { loadTrainConfig } from "../../src/train/run-config.js";
import { RunRegistry } from "../../src/train/run-registry.js";
import { learningRateAt } from "../../src/train/schedule.js";
import { UserError } from "../../src/util/errors.js";
import { runCli, tempDir } from "../helpers/fixtures.js";
import { writeTrainingFixture } from "./training-fixtures.js";

describe("run config", () => {
  it("fills the seed's LoRA defaults and makes paths absolute", async () => {
    const dir = await tempDir();
    const f = await writeTrainingFixture(dir);
    await writeFile(f.config, "baseModel: model.gguf\ndataset: export/train.jsonl\n");
    const { config } = await loadTrainConfig(f.config);
    expect(config.lora).toEqual({
      rank: 16,
      alpha: 32,
      dropout: 0.05,
      targetModules: ["q_proj", "k_proj", "v_proj", "o_proj", "gate_proj", "up_proj", "down_proj", "in_proj_qkv", "in_proj_z", "in_proj_a", "in_proj_b", "out_proj"],
    });
    expect(config.assistantOnlyLoss).toBe(true);
    expect(config.baseModel).toBe(join(dir, "model.gguf"));
    expect(config.outputDir).toBeUndefined(); // every run gets a folder of its own (train/run-folder)
  });

  it("names file, line and field for a bad value", async () => {
    const dir = await tempDir();
    const f = await writeTrainingFixture(dir);
    await writeFile(f.config, "baseModel: model.gguf\ndataset: export/train.jsonl\nepochs: 3\nlora:\n  rank: -4\n  targetModules: [q_proj, qkv]\n");
    const err = await loadTrainConfig(f.config).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UserError);
    const message = (err as Error).message;
    expect(message).toContain(`${f.config}:3: epochs: expected 1 or 2 epochs`);
    expect(message).toMatch(new RegExp(`${f.config}:5: lora\\.rank: .*>0`));
    expect(message).toContain(`${f.config}:6: lora.targetModules[1]`);
  });

  it("reports a missing or non-GGUF model with the config line", async () => {
    const dir = await tempDir();
    const f = await writeTrainingFixture(dir);
    await writeFile(f.config, "dataset: export/train.jsonl\nbaseModel: nowhere.gguf\n");
    await expect(loadTrainConfig(f.config)).rejects.toThrow(`${f.config}:2: baseModel: model file not found: ${join(dir, "nowhere.gguf")}`);
    await writeFile(join(dir, "fake.gguf"), "not a model");
    await writeFile(f.config, "baseModel: fake.gguf\ndataset: export/train.jsonl\n");
    await expect(loadTrainConfig(f.config)).rejects.toThrow("is not a GGUF file");
  });

  it("fails in the CLI with one clear line and no stack trace", async () => {
    const dir = await tempDir();
    const f = await writeTrainingFixture(dir);
    await writeFile(f.config, "baseModel: missing.gguf\ndataset: export/train.jsonl\n");
    const r = await runCli(["train", "--config", "run.yaml"], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr.trim()).toBe(`hew-corpus: ${f.config}:1: baseModel: model file not found: ${join(dir, "missing.gguf")} (expected a GGUF model)`);
  });
});

describe("dataset", () => {
  it("reads messages JSONL and points at bad lines", () => {
    const good = JSON.stringify({ messages: [{ role: "user", content: "hi" }, { role: "assistant", content: "hello" }], id: "x" });
    expect(parseTrainingJsonl(`${good}\n\n${good}\n`, "d.jsonl").map((c) => c.line)).toEqual([1, 3]);
    const noAnswer = JSON.stringify({ messages: [{ role: "user", content: "hi" }] });
    expect(() => parseTrainingJsonl(`${good}\n{oops\n${noAnswer}\n`, "d.jsonl")).toThrow(/d\.jsonl:2: invalid JSON[\s\S]*d\.jsonl:3: messages: expected at least one assistant message/);
  });
});

describe("learning rate schedule", () => {
  const base = { learningRate: 1, warmupSteps: 2 } as const;
  it("warms up, then decays without reaching zero", () => {
    expect(learningRateAt(0, 10, { ...base, schedule: "constant" })).toBeCloseTo(1 / 3);
    expect(learningRateAt(5, 10, { ...base, schedule: "constant" })).toBe(1);
    expect(learningRateAt(2, 10, { ...base, schedule: "linear" })).toBe(1);
    expect(learningRateAt(9, 10, { ...base, schedule: "cosine" })).toBeGreaterThan(0);
    expect(learningRateAt(6, 10, { ...base, schedule: "linear" })).toBeCloseTo(0.5);
  });
});

describe("run registry", () => {
  const record = {
    kind: "eval" as const,
    startedAt: "2026-01-01T00:00:00.000Z",
    finishedAt: "2026-01-01T00:01:00.000Z",
    eval: { passRate: 0.8, perCategory: { actors: { passed: 4, total: 5, rate: 0.8 } }, failureCategories: { "missing-import": 1 } },
  };

  it("numbers runs v1, v2, ... and attaches eval results", async () => {
    const registry = new RunRegistry(join(await tempDir(), "runs", "registry.jsonl"));
    expect(await registry.list()).toEqual([]);
    expect((await registry.append(record)).id).toBe("v1");
    expect((await registry.append(record)).id).toBe("v2");
    await registry.update("v1", (r) => ({ ...r, eval: { ...r.eval!, passRate: 0.9 } }));
    expect((await registry.get("v1"))?.eval?.passRate).toBe(0.9);
    expect((await registry.list()).map((r) => r.id)).toEqual(["v1", "v2"]);
  });

  it("reports a damaged line with file and line", async () => {
    const registry = new RunRegistry(join(await tempDir(), "registry.jsonl"));
    await registry.append(record);
    await writeFile(registry.file, `${JSON.stringify({ ...record, id: "v1" })}\n{"id":"x"}\n`);
    await expect(registry.list()).rejects.toThrow(`${registry.file}:2: id: `);
  });
});
