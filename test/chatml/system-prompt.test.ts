import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { applySystemPrompt, diffSystemPrompts, loadSystemPrompts, renderSystemPrompt } from "../../src/chatml/system-prompt.js";
import type { SystemPromptVersion } from "../../src/schema/system-prompt.js";
import { tempDir } from "../helpers/fixtures.js";

const v1: SystemPromptVersion = {
  id: "v1",
  preamble: "You write Hew.\n",
  rules: [
    { id: "ints", text: "Use Int for integers.", category: "integer-type", addedIn: "v1" },
    { id: "events", text: "Declare machine events with `event X;`.", addedIn: "v1" },
  ],
};
const v2: SystemPromptVersion = {
  id: "v2",
  parent: "v1",
  preamble: "You write Hew.",
  rules: [
    { id: "ints", text: "Use i64; `Int` does not exist.", category: "integer-type", addedIn: "v1" },
    { id: "gen", text: "Generators use `gen fn`.", category: "yield-outside-gen", addedIn: "v2" },
  ],
};

describe("system prompts", () => {
  it("renders deterministically: preamble, then numbered rules", () => {
    expect(renderSystemPrompt(v2)).toBe("You write Hew.\n\nRules:\n1. Use i64; `Int` does not exist.\n2. Generators use `gen fn`.");
  });

  it("diffs two versions by rule id", () => {
    const d = diffSystemPrompts(v1, v2);
    expect(d.added.map((r) => r.id)).toEqual(["gen"]);
    expect(d.removed.map((r) => r.id)).toEqual(["events"]);
    expect(d.changed).toEqual([expect.objectContaining({ id: "ints", fields: ["text"] })]);
    expect(d.preambleChanged).toBe(false);
  });

  it("puts the rendered prompt first in a sample, replacing an older one", () => {
    const sample = {
      id: "s",
      messages: [
        { role: "system" as const, content: "old" },
        { role: "user" as const, content: "q" },
        { role: "assistant" as const, content: "a" },
      ],
      meta: { category: "general" as const, source: "handwritten" as const, tags: [] },
    };
    const out = applySystemPrompt(sample, v2);
    expect(out.messages.map((m) => m.role)).toEqual(["system", "user", "assistant"]);
    expect(out.messages[0]!.content).toBe(renderSystemPrompt(v2));
    expect(out.meta.systemPromptVersion).toBe("v2");
  });

  it("loads a folder, finds the latest version and reports YAML mistakes with their line", async () => {
    const dir = await tempDir();
    await writeFile(join(dir, "v1.yaml"), "id: v1\npreamble: p\nrules:\n  - id: a\n    text: t\n    addedIn: v1\n");
    await writeFile(join(dir, "v2.yaml"), "id: v2\nparent: v1\npreamble: p\nrules: []\n");
    const store = await loadSystemPrompts(dir);
    expect(store.latest.id).toBe("v2");

    const bad = join(dir, "bad");
    await mkdir(bad);
    await writeFile(join(bad, "v1.yaml"), "id: v1\npreamble: p\nrules:\n  - id: a\n    text: t\n  - id: Bad Id\n    text: u\n    addedIn: v1\n");
    await expect(loadSystemPrompts(bad)).rejects.toThrow(/v1\.yaml:4: rules\[0\]\.addedIn: .*\n.*v1\.yaml:6: rules\[1\]\.id: expected a kebab-case id/);
  });

  it("rejects an id that differs from the file name and a missing parent", async () => {
    const dir = await tempDir();
    await writeFile(join(dir, "v3.yaml"), "id: v4\npreamble: p\nrules: []\n");
    await expect(loadSystemPrompts(dir)).rejects.toThrow(/v3\.yaml: id "v4" does not match the file name; expected id: v3/);
    await writeFile(join(dir, "v3.yaml"), "id: v3\nparent: v0\npreamble: p\nrules: []\n");
    await expect(loadSystemPrompts(dir)).rejects.toThrow(/parent "v0" is not a version/);
  });
});
