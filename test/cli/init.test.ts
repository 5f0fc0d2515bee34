import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadConfig } from "../../src/config.js";
import { loadCorpus } from "../../src/chatml/load-corpus.js";
import { loadSystemPrompts } from "../../src/chatml/system-prompt.js";
import { loadPromptSet } from "../../src/eval/prompt-set.js";
import { TrainConfigSchema } from "../../src/schema/train.js";
import { readYamlFile } from "../../src/util/yaml-file.js";
import { STAND_IN, runCli, tempDir } from "../helpers/fixtures.js";

describe("hew-corpus init", () => {
  it("writes a config, a starter sample, a system prompt, the eval set and a run.yaml that all load", async () => {
    const dir = await tempDir();
    await writeFile(join(dir, ".gitignore"), "node_modules/");
    const r = await runCli(["init"], { cwd: dir });
    expect(r.code).toBe(0);
    const { config, file } = await loadConfig(dir);
    expect(file).toBe(join(dir, "hew-corpus.config.yaml"));
    expect(await loadCorpus(config.corpus, { cwd: dir })).toHaveLength(1);
    const prompts = await loadSystemPrompts(join(dir, config.systemPrompts));
    expect(prompts.latest.id).toBe("v1");
    expect(prompts.latest.rules.length).toBeGreaterThan(3);
    expect((await loadPromptSet(join(dir, config.evalPrompts))).set.prompts).toHaveLength(39);
    const run = await readYamlFile(join(dir, "run.yaml"), TrainConfigSchema);
    expect(run).toEqual(TrainConfigSchema.parse({ baseModel: "models/base.gguf", dataset: "training-set/train.jsonl" }));
    expect(await readFile(join(dir, ".gitignore"), "utf8")).toBe("node_modules/\n.hew-corpus/\ntraining-set/\ndeduplicated/\nruns/\n");
  });

  it("gives a project where the quick start's commands work", async () => {
    const dir = await tempDir();
    expect((await runCli(["init"], { cwd: dir })).code).toBe(0);
    // The stand-in knows the starter sample (test/fixtures/hew/programs/general-pass-init-example.hew).
    for (const args of [["validate"], ["stats"], ["dedup"], ["export"]]) {
      const r = await runCli(args, { cwd: dir, env: { HEW_BIN: STAND_IN } });
      expect(r.stderr, args.join(" ")).not.toMatch(/ENOENT|not found/);
      expect(r.code, `${args.join(" ")}: ${r.stderr}`).toBe(0);
    }
    const next = await runCli(["prompt", "new", "--from", "v1"], { cwd: dir });
    expect(next.code, next.stderr).toBe(0);
    const prompts = await loadSystemPrompts(join(dir, "corpus", "system-prompts"));
    expect(prompts.latest.id).toBe("v2");
    expect(prompts.latest.rules.length).toBeGreaterThan(prompts.versions.get("v1")!.rules.length);
  }, 120_000);

  it("refuses to overwrite without --force", async () => {
    const dir = await tempDir();
    await runCli(["init"], { cwd: dir });
    const again = await runCli(["init"], { cwd: dir });
    expect(again.code).toBe(2);
    expect(again.stderr).toMatch(/not overwriting hew-corpus\.config\.yaml, .* \(use --force\)/);
    expect((await runCli(["init", "--force"], { cwd: dir })).code).toBe(0);
    expect((await readFile(join(dir, ".gitignore"), "utf8")).match(/^(\.hew-corpus|runs)\/$/gm)).toHaveLength(2);
  });
});
