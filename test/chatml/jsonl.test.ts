import { readdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { formatSamplesJsonl, parseSamplesJsonl, readSamplesJsonl, writeSamplesJsonl } from "../../src/chatml/jsonl.js";
import { loadCorpus } from "../../src/chatml/load-corpus.js";
import { UserError } from "../../src/util/errors.js";
import { sampleLine, tempDir } from "../helpers/fixtures.js";

const good = sampleLine("actors-one", "fn main() {}\n");

function errorOf(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(UserError);
    return (err as Error).message;
  }
  throw new Error("expected an error");
}

describe("sample JSONL", () => {
  it("reads samples with their line numbers, skipping blank lines", () => {
    const samples = parseSamplesJsonl(`${good}\n\n${sampleLine("actors-two", "fn main() {}\n")}\n`, "s.jsonl");
    expect(samples.map((s) => [s.sample.id, s.line])).toEqual([
      ["actors-one", 1],
      ["actors-two", 3],
    ]);
  });

  it("names file, line, field and expectation for a schema error", () => {
    const bad = JSON.stringify({ id: "x", messages: [{ role: "user", content: "hi" }, { role: "bot", content: "yo" }], meta: { category: "actors", source: "handwritten" } });
    const message = errorOf(() => parseSamplesJsonl(`${good}\n${bad}\n`, "corpus/a.jsonl"));
    expect(message).toMatch(/^corpus\/a\.jsonl:2: messages\[1\]\.role: .*"system"\|"user"\|"assistant"/m);
  });

  it("requires a user and an assistant message", () => {
    const onlyUser = JSON.stringify({ id: "x", messages: [{ role: "user", content: "a" }, { role: "user", content: "b" }], meta: { category: "actors", source: "handwritten" } });
    expect(errorOf(() => parseSamplesJsonl(onlyUser, "d.jsonl"))).toBe("d.jsonl:1: messages: expected at least one assistant message");
  });

  it("reports invalid JSON and unknown categories on their lines, all at once", () => {
    const wrongCategory = good.replace('"category":"actors"', '"category":"networking"');
    const message = errorOf(() => parseSamplesJsonl(`{"id": \n${wrongCategory}\n`, "b.jsonl"));
    expect(message).toMatch(/^b\.jsonl:1: invalid JSON/m);
    expect(message).toMatch(/^b\.jsonl:2: meta\.category: /m);
  });

  it("rejects a system message that is not first and unknown keys", () => {
    const sample = JSON.parse(good);
    sample.messages.push({ role: "system", content: "late" });
    sample.extra = 1;
    const message = errorOf(() => parseSamplesJsonl(JSON.stringify(sample), "c.jsonl"));
    expect(message).toMatch(/c\.jsonl:1: messages\[2\]\.role: a system message may only come first/);
    expect(message).toMatch(/c\.jsonl:1: .*extra/);
  });

  it("round-trips byte for byte through write and read", async () => {
    const dir = await tempDir();
    const text = formatSamplesJsonl([JSON.parse(good), { ...JSON.parse(good), id: "with-meta", meta: { category: "tests", source: "correction", correctsFailure: "integer-type", tags: ["x"], systemPromptVersion: "v2" } }]);
    const file = join(dir, "round.jsonl");
    await writeFile(file, text);
    const samples = await readSamplesJsonl(file);
    await writeSamplesJsonl(file, samples.map((s) => s.sample));
    expect(await readFile(file, "utf8")).toBe(text);
    expect(await readdir(dir)).toEqual(["round.jsonl"]);
  });

  it("rejects duplicate ids across files with both places", async () => {
    const dir = await tempDir();
    await writeFile(join(dir, "a.jsonl"), `${good}\n`);
    await writeFile(join(dir, "b.jsonl"), `${sampleLine("other", "fn main() {}\n")}\n${good}\n`);
    await expect(loadCorpus(["*.jsonl"], { cwd: dir })).rejects.toThrow(/b\.jsonl:2: id: duplicate sample id "actors-one" \(first at a\.jsonl:1\)/);
  });

  it("expands folders and globs, and names a pattern that matches nothing", async () => {
    const dir = await tempDir();
    await writeFile(join(dir, "a.jsonl"), `${good}\n`);
    expect((await loadCorpus(["."], { cwd: dir })).map((s) => s.file)).toEqual(["a.jsonl"]);
    await expect(loadCorpus(["missing/*.jsonl"], { cwd: dir })).rejects.toThrow(/missing\/\*\.jsonl: no such file/);
  });
});
