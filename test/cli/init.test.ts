import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadConfig } from "../../src/config.js";
import { loadCorpus } from "../../src/chatml/load-corpus.js";
import { loadSystemPrompts } from "../../src/chatml/system-prompt.js";
import { runCli, tempDir } from "../helpers/fixtures.js";

describe("hew-corpus init", () => {
  it("writes a config, a starter sample and a system prompt that all load", async () => {
    const dir = await tempDir();
    await writeFile(join(dir, ".gitignore"), "node_modules/");
    const r = await runCli(["init"], { cwd: dir });
    expect(r.code).toBe(0);
    const { config, file } = await loadConfig(dir);
    expect(file).toBe(join(dir, "hew-corpus.config.yaml"));
    expect(await loadCorpus(config.corpus, { cwd: dir })).toHaveLength(1);
    const prompts = await loadSystemPrompts(join(dir, config.systemPrompts));
    expect(prompts.latest.id).toBe("v1");
    expect(prompts.latest.rules.length).toBeGreaterThan(10);
    expect(await readFile(join(dir, ".gitignore"), "utf8")).toBe("node_modules/\n.hew-corpus/\n");
  });

  it("refuses to overwrite without --force", async () => {
    const dir = await tempDir();
    await runCli(["init"], { cwd: dir });
    const again = await runCli(["init"], { cwd: dir });
    expect(again.code).toBe(2);
    expect(again.stderr).toMatch(/not overwriting hew-corpus\.config\.yaml, .* \(use --force\)/);
    expect((await runCli(["init", "--force"], { cwd: dir })).code).toBe(0);
    expect((await readFile(join(dir, ".gitignore"), "utf8")).match(/\.hew-corpus\//g)).toHaveLength(1);
  });
});
