import { existsSync } from "node:fs";
import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadConfig } from "../../src/config.js";
import { exportTrainingSet, NothingToExportError, prepareCorpus } from "../../src/export/export-corpus.js";
import { fakeChecker, hew } from "../helpers/fake-checker.js";
import { sampleLine, tempDir } from "../helpers/fixtures.js";

// The checker's answers are the test's choice here: what is tested is the entry points' plumbing
// (config defaults, paths, the funnel, writing nothing when nothing passes), not any verdict's truth.
const CODE = ["fn main() {\n    println(1);\n}\n", "fn main() {\n    let x = 2;\n    println(x);\n}\n"];

async function project(): Promise<string> {
  const dir = await tempDir();
  await mkdir(join(dir, "corpus", "samples"), { recursive: true });
  await mkdir(join(dir, "corpus", "system-prompts"), { recursive: true });
  await mkdir(join(dir, "corpus", "eval"), { recursive: true });
  await writeFile(join(dir, "hew-corpus.config.yaml"), "corpus:\n  - corpus/samples/*.jsonl\n");
  await writeFile(join(dir, "corpus", "samples", "a.jsonl"), CODE.map((code, i) => sampleLine(`s${i}`, code)).join("\n") + "\n");
  await writeFile(join(dir, "corpus", "system-prompts", "v1.yaml"), "id: v1\npreamble: You write Hew.\nrules: []\n");
  await writeFile(join(dir, "corpus", "eval", "prompts.yaml"), "version: 1\nprompts:\n  - id: e1\n    category: algorithms\n    prompt: Print a greeting.\n    reference: |\n      fn main() {\n          println(\"hello\");\n      }\n");
  return dir;
}

describe("prepareCorpus and exportTrainingSet", () => {
  it("run the funnel from the config found above cwd, and write the set to the config's export.out", async () => {
    const dir = await project();
    const checker = fakeChecker(hew, () => "pass");
    const { prepared, base } = await prepareCorpus({ cwd: dir, checker });
    expect(base).toBe(dir);
    expect(prepared.funnel).toMatchObject({ loaded: 2, valid: 2, exported: 2 });
    expect(checker.calls).toHaveLength(2);

    const { manifest, out } = await exportTrainingSet({ cwd: dir, checker, shuffle: false });
    expect(out).toBe(join(dir, "training-set"));
    expect(manifest.funnel.exported).toBe(2);
    expect(existsSync(join(out, "manifest.json"))).toBe(true);
  });

  it("write nothing and carry the funnel when no sample passes", async () => {
    const dir = await project();
    const config = await loadConfig(dir);
    const err = await exportTrainingSet({ config, cwd: dir, out: "elsewhere", checker: fakeChecker(hew, () => "fail") }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(NothingToExportError);
    expect((err as NothingToExportError).prepared.funnel).toMatchObject({ loaded: 2, valid: 0, exported: 0 });
    expect((err as NothingToExportError).message).toContain(join(dir, "elsewhere"));
    expect(existsSync(join(dir, "elsewhere"))).toBe(false);
  });
});
