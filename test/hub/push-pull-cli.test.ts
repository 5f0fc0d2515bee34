import { randomBytes } from "node:crypto";
import { cp, mkdir, readFile, readdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sha256Hex } from "../../src/util/hash.js";
import { REPO_ROOT, STAND_IN, recordedProgram, runCli, sampleLine, tempDir, type CliResult } from "../helpers/fixtures.js";
import { seedRuns, writeRegistry } from "../report/registry-fixture.js";
import { startLoopbackHub, type LoopbackHub } from "./loopback-hub.js";

const programs = ["actors-pass-chat-room-broadcast", "actors-pass-string-cache-ttl", "supervisors-pass-payment-rest-for-one", "generators-fail-yield-outside-gen--gen-fn-1"].map((f) => recordedProgram(f).code);

describe("hew-corpus push and pull against a loopback hub", () => {
  let hub: LoopbackHub;
  let dir: string;
  let adapter: Buffer;

  /** Every child gets the loopback hub as HF_ENDPOINT too, so nothing can reach another host. */
  const cli = (args: string[], env: NodeJS.ProcessEnv = {}) => runCli(args, { cwd: dir, env: { HF_ENDPOINT: hub.url, HF_TOKEN: hub.token, ...env } });
  const noToken = (r: CliResult) => {
    expect(r.stdout).not.toContain(hub.token);
    expect(r.stderr).not.toContain(hub.token);
  };

  beforeAll(async () => {
    hub = await startLoopbackHub();
    dir = await tempDir();
    await mkdir(join(dir, "corpus", "samples"), { recursive: true });
    await cp(join(REPO_ROOT, "corpus", "system-prompts"), join(dir, "corpus", "system-prompts"), { recursive: true });
    await cp(join(REPO_ROOT, "corpus", "eval"), join(dir, "corpus", "eval"), { recursive: true });
    await writeFile(join(dir, "hew-corpus.config.yaml"), `corpus: [corpus/samples/**/*.jsonl]\nhew: ${STAND_IN}\n`);
    await writeFile(
      join(dir, "corpus", "samples", "a.jsonl"),
      [sampleLine("a1", programs[0]!), sampleLine("a2", programs[1]!), sampleLine("s1", programs[2]!, "supervisors"), sampleLine("g1", programs[3]!, "generators")].join("\n") + "\n",
    );
    const exported = await runCli(["export"], { cwd: dir });
    expect(exported.code, exported.stderr).toBe(0);

    // The registry's v11 holds a real adapter file.
    adapter = Buffer.concat([Buffer.from("GGUF"), randomBytes(64 * 1024)]);
    const adapterPath = join(dir, "runs", "v11", "adapter-v11.gguf");
    await mkdir(join(dir, "runs", "v11"), { recursive: true });
    await writeFile(adapterPath, adapter);
    const runs = seedRuns().map((r) => (r.id === "v11" ? { ...r, training: { ...r.training!, adapter: { path: adapterPath, sha256: sha256Hex(adapter) } } } : r));
    await writeRegistry(join(dir, "runs", "registry.jsonl"), runs);
  });
  afterAll(() => hub.close());

  it("pushes the export with a dataset card, and pulls it back byte for byte", async () => {
    const r = await cli(["push", "dataset", "me/hew-data", "--hub-url", hub.url, "--license", "apache-2.0"]);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^created and pushed dataset me\/hew-data: train\.jsonl, train\.chatml\.txt, manifest\.json, README\.md\n  http:\/\/127\.0\.0\.1:\d+\/datasets\/me\/hew-data\/commit\//);
    noToken(r);

    const stored = hub.repos.get("datasets/me/hew-data")!;
    const card = stored.get("README.md")!.content.toString();
    expect(card).toMatch(/^---\npretty_name: hew-data\nlicense: apache-2.0\n/);
    expect(card).toContain("      - split: train\n        path: train.jsonl\n");
    expect(card).toContain("Fine-tuning conversations that teach a model to write [Hew]");
    // a1, a2 and s1 ship; g1 fails the checker and is not counted.
    expect(card).toContain("| Category | handwritten | Total |\n| --- | ---: | ---: |\n| actors | 2 | 2 |\n| supervisors | 1 | 1 |\n| **total** | 3 | 3 |\n");
    expect(card).toMatch(/- `hew-stand-in 0\.6\.0-rc2 .*`: 3 code blocks \(not the hew compiler\)/);
    expect(card).toMatch(/\| every Hew block passes `hew check` \| 3 \| no code 0, fail 1, checker-error 0, unchecked 0 \|/);
    expect(card).toMatch(/Every sample starts with system prompt \*\*v3\*\*/);

    const again = await cli(["push", "dataset", "me/hew-data", "--hub-url", hub.url]);
    expect(again.stdout).toMatch(/^pushed dataset me\/hew-data/);

    const pulled = await cli(["pull", "dataset", "me/hew-data", "--hub-url", hub.url, "-o", "pulled-data"]);
    expect(pulled.code).toBe(0);
    expect(pulled.stdout).toMatch(/pulled dataset me\/hew-data into .*pulled-data:\n  /);
    expect((await readdir(join(dir, "pulled-data"))).sort()).toEqual(["README.md", "manifest.json", "train.chatml.txt", "train.jsonl"]);
    for (const file of ["train.jsonl", "train.chatml.txt", "manifest.json"]) {
      expect((await readFile(join(dir, "pulled-data", file))).equals(await readFile(join(dir, "training-set", file))), file).toBe(true);
    }
  });

  it("pushes a run's adapter through LFS with a model card holding the eval table, and pulls it back", async () => {
    const r = await cli(["push", "adapter", "me/hew-lora", "--run", "v11", "--base-model", "Qwen/Qwen3-4B", "--hub-url", hub.url]);
    expect(r.stderr).toBe("");
    expect(r.stdout).toMatch(/^created and pushed model me\/hew-lora: adapter-v11\.gguf, README\.md/);
    noToken(r);
    const stored = hub.repos.get("models/me/hew-lora")!;
    expect(stored.get("adapter-v11.gguf")).toMatchObject({ lfs: true });
    const card = stored.get("README.md")!.content.toString();
    expect(card).toMatch(/^---\nbase_model: Qwen\/Qwen3-4B\nbase_model_relation: adapter\n/);
    // v11's latest eval is v12, an eval run of it.
    expect(card).toContain("Pass rate: **82% (32/39)**, 95% interval 67–91% on corpus/eval/prompts.yaml (v12 (eval of v11))");
    expect(card).toContain("| extern-ffi | 2/3 | 67% |");
    expect(card).toContain("| invented-api | 3 |");
    expect(card).toContain("| v8 | 451 | r16 α32, 1 epoch, lr 2e-4 | 69% (27/39) | 54–81% |");
    expect(card).toContain("| LoRA | rank 16, alpha 32, dropout 0.05 requested, not applied (llama.cpp's LoRA path has no dropout) |");
    expect(card).toContain("llama-server -m qwen3-4b-f16.gguf --lora adapter-v11.gguf");
    // Local paths stay local.
    expect(card).not.toContain(dir);

    const pulled = await cli(["pull", "adapter", "me/hew-lora", "--hub-url", hub.url]);
    expect(pulled.code).toBe(0);
    expect((await readFile(join(dir, "hew-lora", "adapter-v11.gguf"))).equals(adapter)).toBe(true);
  });

  it("refuses to publish an adapter that changed since its run, or a run without one", async () => {
    const changed = join(dir, "changed.jsonl");
    const runs = seedRuns().map((r) => (r.id === "v8" ? { ...r, training: { ...r.training!, adapter: { path: join(dir, "runs", "v11", "adapter-v11.gguf"), sha256: "1".repeat(64) } } } : r));
    await writeRegistry(changed, runs);
    const r = await cli(["push", "adapter", "me/x", "--run", "v8", "--registry", changed, "--hub-url", hub.url]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/adapter-v11\.gguf changed since v8 recorded it \(sha256 differs\): not publishing it as v8/);

    const evalRun = await cli(["push", "adapter", "me/x", "--run", "v12", "--hub-url", hub.url]);
    expect(evalRun.stderr).toMatch(/v12 is an eval run and has no adapter; it evaluates v11, whose adapter you may mean/);
    const missing = await cli(["push", "adapter", "me/x", "--run", "v99", "--hub-url", hub.url]);
    expect(missing.stderr).toMatch(/registry\.jsonl: no run v99/);
    expect(hub.repos.has("models/me/x")).toBe(false);
  });

  it("refuses a dataset push when the corpus or the export changed since the export was written", async () => {
    const other = await tempDir();
    await cp(join(dir, "training-set"), join(other, "training-set"), { recursive: true });
    await cp(join(dir, "corpus"), join(other, "corpus"), { recursive: true });
    await cp(join(dir, "hew-corpus.config.yaml"), join(other, "hew-corpus.config.yaml"));
    await writeFile(join(other, "corpus", "samples", "b.jsonl"), sampleLine("new", programs[0]!) + "\n");
    const corpusChanged = await runCli(["push", "dataset", "me/y", "--hub-url", hub.url], { cwd: other, env: { HF_ENDPOINT: hub.url, HF_TOKEN: hub.token } });
    expect(corpusChanged.code).toBe(2);
    expect(corpusChanged.stderr).toMatch(/the corpus changed since the export was written .*run hew-corpus export again/);

    await writeFile(join(other, "training-set", "train.jsonl"), "{}\n");
    const fileChanged = await runCli(["push", "dataset", "me/y", "--hub-url", hub.url], { cwd: other, env: { HF_ENDPOINT: hub.url, HF_TOKEN: hub.token } });
    expect(fileChanged.stderr).toMatch(/train\.jsonl does not match .*manifest\.json \(sha256 .*\): it was edited or replaced since the export; run hew-corpus export again/);
    expect(hub.repos.has("datasets/me/y")).toBe(false);
  });

  it("never shows the token: not when the Hub refuses and echoes it back, not when the Hub is unreachable", async () => {
    hub.failWith = 401;
    try {
      const refused = await cli(["push", "adapter", "me/z", "--run", "v11", "--hub-url", hub.url]);
      expect(refused.code).toBe(2);
      expect(refused.stderr).toMatch(/^hew-corpus: creating model me\/z: 401 refused: you sent Bearer hf_\*\*\* \(check that HF_TOKEN is valid and may write to this repository\)\n$/);
      noToken(refused);
      const pull = await cli(["pull", "dataset", "me/hew-data", "--hub-url", hub.url, "-o", "nope"]);
      expect(pull.stderr).toMatch(/downloading dataset me\/hew-data: 401 refused: you sent Bearer hf_\*\*\*/);
      noToken(pull);
    } finally {
      hub.failWith = undefined;
    }
    const closed = await startLoopbackHub();
    const url = closed.url;
    await closed.close();
    const unreachable = await cli(["push", "dataset", "me/hew-data", "--hub-url", url]);
    expect(unreachable.stderr).toMatch(/creating dataset me\/hew-data: cannot reach http:\/\/127\.0\.0\.1:\d+: ECONNREFUSED/);
    noToken(unreachable);
    expect(unreachable.stderr).not.toMatch(/\n\s+at /);
  });

  it("asks for HF_TOKEN before a push, and checks its shape and the repository name", async () => {
    const before = hub.requests.length;
    const none = await cli(["push", "dataset", "me/hew-data", "--hub-url", hub.url], { HF_TOKEN: "" });
    expect(none.stderr).toMatch(/HF_TOKEN is not set: a push needs a Hugging Face access token with write permission/);
    const odd = await cli(["push", "dataset", "me/hew-data", "--hub-url", hub.url], { HF_TOKEN: "secret-123" });
    expect(odd.stderr).toMatch(/^hew-corpus: HF_TOKEN does not look like a Hugging Face access token \(those start with hf_\)\n$/);
    const name = await cli(["push", "dataset", "just-a-name", "--hub-url", hub.url]);
    expect(name.stderr).toMatch(/just-a-name: expected a repository as namespace\/name/);
    expect(hub.requests.length).toBe(before);
  });
});
