import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { appendSamples } from "../../src/corrections/corpus-file.js";
import type { Sample } from "../../src/schema/sample.js";
import { sampleLine, tempDir } from "../helpers/fixtures.js";

const sample = (id: string): Sample => ({
  id,
  messages: [
    { role: "user", content: "q" },
    { role: "assistant", content: "```hew\nfn main() {}\n```" },
  ],
  meta: { category: "general", source: "correction", correctsFailure: "other", tags: [] },
});

describe("appendSamples", () => {
  it("creates the file, then appends new ids only, keeping existing lines byte for byte", async () => {
    const file = join(await tempDir(), "samples", "corrections.jsonl");
    expect(await appendSamples(file, [sample("a"), sample("a")])).toMatchObject({ total: 1 });
    // A hand-written line without a trailing newline, in another key order.
    const handWritten = sampleLine("hand", "fn main() {}\n").replace('"id":"hand",', "").replace(/}$/, ',"id":"hand"}');
    await writeFile(file, (await readFile(file, "utf8")) + handWritten);
    const { added, total } = await appendSamples(file, [sample("a"), sample("b")]);
    expect(added.map((s) => s.id)).toEqual(["b"]);
    expect(total).toBe(3);
    const lines = (await readFile(file, "utf8")).split("\n");
    expect(lines[1]).toBe(handWritten);
    expect(JSON.parse(lines[2]!).id).toBe("b");
  });

  it("refuses a damaged file rather than appending to it", async () => {
    const file = join(await tempDir(), "c.jsonl");
    await writeFile(file, "{oops\n");
    await expect(appendSamples(file, [sample("a")])).rejects.toThrow(/c\.jsonl:1: invalid JSON/);
  });
});
