import { existsSync } from "node:fs";
import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { TrainConfigSchema } from "../../src/schema/train.js";
import { runFolder } from "../../src/train/run-folder.js";
import { UserError } from "../../src/util/errors.js";
import { tempDir } from "../helpers/fixtures.js";

const config = (outputDir?: string) => TrainConfigSchema.parse({ baseModel: "m.gguf", dataset: "d.jsonl", ...(outputDir ? { outputDir } : {}) });

describe("run folders", () => {
  it("gives every run without outputDir a new folder named by its start time", async () => {
    const dir = await tempDir();
    const file = join(dir, "qwen3.yaml");
    const first = await runFolder(config(), file, false, new Date("2026-12-04T19:30:05Z"));
    const second = await runFolder(config(), file, false, new Date("2026-12-04T21:02:00Z"));
    expect(first).toBe(join(dir, "runs", "qwen3", "20261204-193005"));
    expect(second).toBe(join(dir, "runs", "qwen3", "20261204-210200"));
  });

  it("resumes the newest unfinished run, not a finished one", async () => {
    const dir = await tempDir();
    const file = join(dir, "run.yaml");
    const parent = join(dir, "runs", "run");
    for (const name of ["20261201-100000", "20261202-100000", "20261203-100000"]) await mkdir(join(parent, name, "checkpoint"), { recursive: true });
    await writeFile(join(parent, "20261203-100000", "adapter.gguf"), "finished");
    expect(await runFolder(config(), file, true)).toBe(join(parent, "20261202-100000"));
  });

  it("says there is nothing to resume", async () => {
    const dir = await tempDir();
    await expect(runFolder(config(), join(dir, "run.yaml"), true)).rejects.toThrow(/nothing to resume: no unfinished run under .*runs\/run/);
  });

  it("never lets a new run overwrite the adapter in an explicit outputDir", async () => {
    const dir = await tempDir();
    const out = join(dir, "out");
    expect(await runFolder(config(out), join(dir, "run.yaml"), false)).toBe(out);
    await mkdir(out);
    await writeFile(join(out, "adapter.gguf"), "v1's adapter");
    const err = await runFolder(config(out), join(dir, "run.yaml"), false).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UserError);
    expect((err as Error).message).toContain(`${out} already holds the adapter of an earlier run`);
    expect(await runFolder(config(out), join(dir, "run.yaml"), true)).toBe(out);
    expect(existsSync(join(out, "adapter.gguf"))).toBe(true);
  });
});
