import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadPromptSet, selectPrompts } from "../../src/eval/prompt-set.js";
import { EVAL_CATEGORIES } from "../../src/schema/sample.js";
import { UserError } from "../../src/util/errors.js";
import { REPO_ROOT, tempDir } from "../helpers/fixtures.js";

async function promptFile(text: string): Promise<string> {
  const file = join(await tempDir(), "prompts.yaml");
  await writeFile(file, text);
  return file;
}

const TWO = `version: 1
prompts:
  - id: actors-a
    category: actors
    prompt: Write an actor.
    reference: |
      fn main() {}
  - id: actors-a
    category: actor
    prompt: Write another.
    reference: |
      fn main() {}
`;

describe("eval prompt set", () => {
  it("loads the bundled set: 39 prompts with unique ids over all 12 categories", async () => {
    const { set, sha256 } = await loadPromptSet(join(REPO_ROOT, "corpus", "eval", "prompts.yaml"));
    expect(set.prompts).toHaveLength(39);
    expect(new Set(set.prompts.map((p) => p.id)).size).toBe(39);
    expect(new Set(set.prompts.map((p) => p.category))).toEqual(new Set(EVAL_CATEGORIES));
    expect(sha256).toMatch(/^[0-9a-f]{64}$/);
  });

  it("names the file, line and field of every mistake", async () => {
    const file = await promptFile(TWO);
    const err = await loadPromptSet(file).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UserError);
    const message = (err as Error).message;
    expect(message).toMatch(new RegExp(`^${file}:9: prompts\\[1\\]\\.category: Invalid option: expected one of "actors"`));
    const dup = await promptFile(TWO.replace("category: actor\n", "category: actors\n"));
    await expect(loadPromptSet(dup)).rejects.toThrow(`${dup}:8: prompts[1].id: duplicate prompt id "actors-a"`);
  });

  it("reports broken YAML with its line", async () => {
    const file = await promptFile("version: 1\nprompts:\n  - id: [unclosed\n");
    await expect(loadPromptSet(file)).rejects.toThrow(new RegExp(`${file}:\\d+: invalid YAML`));
  });

  it("selects prompts by category or id, and refuses names it does not know", async () => {
    const { set } = await loadPromptSet(join(REPO_ROOT, "corpus", "eval", "prompts.yaml"));
    expect(selectPrompts(set)).toHaveLength(39);
    const picked = selectPrompts(set, { categories: ["supervisors"], ids: ["actors-bank-account"] });
    expect(picked.map((p) => p.id)).toEqual(["actors-bank-account", "supervisors-one-for-one", "supervisors-cache-loader", "supervisors-temporary-child"]);
    expect(() => selectPrompts(set, { categories: ["actor"] })).toThrow(/unknown eval category "actor"; known: actors, /);
    expect(() => selectPrompts(set, { ids: ["nope"] })).toThrow(/no prompt "nope"/);
  });
});
