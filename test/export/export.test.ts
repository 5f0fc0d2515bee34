import { mkdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { parseChatML } from "../../src/chatml/chatml-text.js";
import { ExportManifestSchema } from "../../src/schema/export.js";
import { STAND_IN, recordedProgram, runCli, sampleLine, tempDir } from "../helpers/fixtures.js";

const program = (name: string) => recordedProgram(name).code;
const passing = ["actors-pass-ledger", "generators-pass-collatz-steps", "algorithms-pass-modular-inverse", "algorithms-pass-prime-factors", "pattern-matching-pass-http-status"].map(program);
const leaked = program("data-structures-pass-ring-buffer");
const NO_HEW_PATH = "/usr/bin:/bin";

const line = (id: string, prompt: string, answer: string) =>
  JSON.stringify({ id, messages: [{ role: "user", content: prompt }, { role: "assistant", content: answer }], meta: { category: "general", source: "handwritten", tags: [] } });

const SAMPLES = [
  ...passing.map((code, i) => sampleLine(`good-${i}`, code)),
  line("copy-of-good-0", "The same bank account again, in other words.", "```hew\n" + passing[0] + "```"),
  sampleLine("failing", program("generators-fail-yield-outside-gen--gen-fn-1")),
  sampleLine("crashing", `${program("actors-pass-token-bucket-limiter")}// hew-stand-in: fault=crash\n`),
  line("no-code", "What is Hew?", "An actor-oriented language."),
  sampleLine("leaking", leaked),
  line("too-long", `${"Please read this very long preamble about merge sorting. ".repeat(150)}Now sort.`, "```hew\n" + program("algorithms-pass-merge-sort") + "```"),
];

const CONFIG = `corpus:
  - corpus/samples/*.jsonl
export:
  maxSeqLen: 1200
`;

const EVAL = `version: 1
prompts:
  - id: stack-eval
    category: data-structures
    prompt: Write a generic stack.
    reference: |
${leaked
  .split("\n")
  .map((l) => (l ? `      ${l}` : ""))
  .join("\n")}
`;

async function project(samples: string[], config = CONFIG): Promise<string> {
  const dir = await tempDir();
  await mkdir(join(dir, "corpus", "samples"), { recursive: true });
  await mkdir(join(dir, "corpus", "system-prompts"), { recursive: true });
  await mkdir(join(dir, "corpus", "eval"), { recursive: true });
  await writeFile(join(dir, "hew-corpus.config.yaml"), config);
  await writeFile(join(dir, "corpus", "samples", "a.jsonl"), samples.join("\n") + "\n");
  await writeFile(join(dir, "corpus", "system-prompts", "v1.yaml"), "id: v1\npreamble: You write Hew.\nrules: []\n");
  await writeFile(
    join(dir, "corpus", "system-prompts", "v2.yaml"),
    "id: v2\nparent: v1\npreamble: You write Hew 0.6.\nrules:\n  - id: ints\n    text: Use i64.\n    addedIn: v2\n",
  );
  await writeFile(join(dir, "corpus", "eval", "prompts.yaml"), EVAL);
  return dir;
}

const read = (dir: string, file: string) => readFile(join(dir, file), "utf8");

describe("hew-corpus export", () => {
  let dir: string;
  let first: Awaited<ReturnType<typeof runCli>>;
  beforeAll(async () => {
    dir = await project(SAMPLES);
    first = await runCli(["export", "--hew", STAND_IN, "--out", "out1"], { cwd: dir });
  });

  it("ships only passing, unique, clean samples within the budget, and says why each other one was left out", async () => {
    expect(first.stderr).toBe("");
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(/^funnel:\n  loaded\s+11\n  valid\s+8\n  unique\s+7\n  clean\s+6\n  within budget\s+5\n  exported\s+5$/m);
    expect(first.stdout).toMatch(/a\.jsonl:7 \[failing\] fail: .*YieldOutsideGenerator/);
    expect(first.stdout).toMatch(/note: verdicts from hew-stand-in, not the hew compiler/);
    const manifest = ExportManifestSchema.parse(JSON.parse(await read(dir, "out1/manifest.json")));
    const dropped = Object.fromEntries(Object.entries(manifest.dropped).map(([reason, d]) => [reason, d.samples.map((s) => s.id)]));
    expect(dropped).toEqual({
      "no-code": ["no-code"],
      fail: ["failing"],
      "checker-error": ["crashing"],
      unchecked: [],
      duplicate: ["copy-of-good-0"],
      contaminated: ["leaking"],
      "over-budget": ["too-long"],
    });
    expect(manifest.dropped["over-budget"].samples[0]!.detail).toMatch(/^\d+ tokens > maxSeqLen 1200$/);
    expect(manifest).toMatchObject({
      systemPrompt: { id: "v2" },
      compilers: [{ name: "hew-stand-in", version: expect.stringMatching(/^0\.6\.0-rc2/), blocks: 5 }],
      funnel: { exported: 5 },
      tokenizer: { maxSeqLen: 1200 },
      files: [
        { path: "train.jsonl", format: "messages", samples: 5 },
        { path: "train.chatml.txt", format: "chatml", samples: 5 },
      ],
    });
    expect(manifest.tokens.max).toBeLessThanOrEqual(1200);
  });

  it("writes messages JSONL and ChatML text of the same conversations, with the latest system prompt", async () => {
    const jsonl = (await read(dir, "out1/train.jsonl")).trimEnd().split("\n").map((l) => JSON.parse(l) as { messages: { role: string; content: string }[] });
    expect(jsonl).toHaveLength(5);
    expect(jsonl.every((r) => Object.keys(r).join() === "messages" && r.messages[0]!.role === "system" && r.messages[0]!.content === "You write Hew 0.6.\n\nRules:\n1. Use i64.")).toBe(true);
    expect(jsonl.map((r) => r.messages[1]!.content).sort()).toEqual([0, 1, 2, 3, 4].map((i) => `Write the program good-${i}.`));
    expect(parseChatML(await read(dir, "out1/train.chatml.txt"))).toEqual(jsonl.map((r) => r.messages));
  });

  it("keeps the system prompt under --system-prompt-budget with the rules that fit, and records them in the manifest", async () => {
    const budgeted = await project(SAMPLES);
    await writeFile(
      join(budgeted, "corpus", "system-prompts", "v2.yaml"),
      [
        "id: v2",
        "parent: v1",
        "preamble: You write Hew 0.6.",
        "rules:",
        "  - id: ints",
        `    text: ${JSON.stringify("Use i64 for integers; ".repeat(20))}`,
        "    category: integer-type",
        "    addedIn: v2",
        "  - id: prose",
        "    text: No prose outside the code block.",
        "    category: prose-leak",
        "    addedIn: v2",
      ].join("\n") + "\n",
    );
    const r = await runCli(["export", "--hew", STAND_IN, "--out", "out", "--system-prompt-budget", "40"], { cwd: budgeted });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^system prompt: \d+ tokens, 1 rules kept under the budget of 40 \(left out: ints\)$/m);
    const manifest = ExportManifestSchema.parse(JSON.parse(await read(budgeted, "out/manifest.json")));
    expect(manifest.systemPrompt).toMatchObject({ id: "v2", rules: ["prose"], budget: { tokens: 40, dropped: ["ints"] } });
    expect(manifest.systemPrompt.tokens).toBeLessThan(40);
    const systems = (await read(budgeted, "out/train.jsonl")).trimEnd().split("\n").map((l) => JSON.parse(l).messages[0].content as string);
    expect(new Set(systems)).toEqual(new Set(["You write Hew 0.6.\n\nRules:\n1. No prose outside the code block."]));
    const tiny = await runCli(["export", "--hew", STAND_IN, "--out", "out", "--system-prompt-budget", "3"], { cwd: budgeted });
    expect(tiny.code).toBe(2);
    expect(tiny.stderr).toMatch(/^hew-corpus: system prompt v2: its preamble alone is \d+ tokens, not under the budget of 3;/);
  });

  it("is byte-for-byte deterministic, shuffle included; another seed gives another order", async () => {
    expect((await runCli(["export", "--hew", STAND_IN, "--out", "out2"], { cwd: dir })).code).toBe(0);
    for (const f of ["train.jsonl", "train.chatml.txt", "manifest.json"]) expect(await read(dir, `out2/${f}`), f).toBe(await read(dir, `out1/${f}`));
    expect((await runCli(["export", "--hew", STAND_IN, "--out", "out3", "--seed", "7", "--format", "messages"], { cwd: dir })).code).toBe(0);
    const order = async (out: string) => (await read(dir, `${out}/train.jsonl`)).trimEnd().split("\n").map((l) => JSON.parse(l).messages[1].content);
    expect(await order("out3")).not.toEqual(await order("out1"));
    expect((await order("out3")).sort()).toEqual((await order("out1")).sort());
    const manifest = JSON.parse(await read(dir, "out3/manifest.json"));
    expect(manifest.files.map((f: { path: string }) => f.path)).toEqual(["train.jsonl"]);
    expect(manifest.seed).toBe(7);
  });

  it("ships nothing without a verdict: no compiler and no lock means nothing to export", async () => {
    const r = await runCli(["export", "--out", "none"], { cwd: dir, env: { PATH: NO_HEW_PATH } });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^  valid\s+0$/m);
    expect(r.stderr).toMatch(/^  corpus\/samples\/a\.jsonl:1 \[good-0\] unchecked: block 1: unchecked: hew not found/m);
    // Each left-out sample is one line, naming its place once.
    const leftOut = r.stderr.split("\n").filter((l) => /^  \S+\.jsonl:\d+ \[/.test(l));
    expect(new Set(leftOut).size).toBe(leftOut.length);
    expect(leftOut.every((l) => l.match(/\.jsonl:\d+/g)!.length === 1)).toBe(true);
    expect(r.stderr).toMatch(/hew-corpus: nothing to export/);
  });

  it("renders the chosen system-prompt version", async () => {
    expect((await runCli(["export", "--hew", STAND_IN, "--out", "v1", "--system-prompt", "v1", "--no-shuffle"], { cwd: dir })).code).toBe(0);
    const rows = (await read(dir, "v1/train.jsonl")).trimEnd().split("\n").map((l) => JSON.parse(l).messages);
    expect(rows.map((m) => m[0].content)).toEqual(Array(5).fill("You write Hew."));
    expect(rows.map((m) => m[1].content)).toEqual([0, 1, 2, 3, 4].map((i) => `Write the program good-${i}.`));
  });
});

describe("hew-corpus dedup and stats", () => {
  let dir: string;
  beforeAll(async () => {
    dir = await project(SAMPLES);
  });

  it("dedup reports clusters with file:line and eval leaks, and exits 1", async () => {
    const r = await runCli(["dedup", "--hew", STAND_IN], { cwd: dir });
    expect(r.code).toBe(1);
    expect(r.stdout).toContain("duplicate clusters: 1 (1 exact, 0 near); 1 samples to drop");
    expect(r.stdout).toMatch(/corpus\/samples\/a\.jsonl:1 \[good-0\] kept\n\s+corpus\/samples\/a\.jsonl:6 \[copy-of-good-0\] same code/);
    expect(r.stdout).toMatch(/a\.jsonl:10 \[leaking\] leaks eval stack-eval: code shares "/);
    expect(r.stdout).toMatch(/^  would export\s+5$/m);
  });

  it("dedup --apply writes a copy without the dropped duplicates, and --json says the same", async () => {
    const r = await runCli(["dedup", "--hew", STAND_IN, "--apply", "--out", "dedup-copy", "--json"], { cwd: dir });
    expect(r.code).toBe(1);
    const report = JSON.parse(r.stdout);
    expect(report.clusters).toHaveLength(1);
    expect(report.clusters[0].members.map((m: { id: string }) => m.id)).toEqual(["good-0", "copy-of-good-0"]);
    expect(report.leaks.map((l: { sampleId: string; evalId: string }) => [l.sampleId, l.evalId])).toEqual([["leaking", "stack-eval"]]);
    const copy = (await read(dir, "dedup-copy/corpus/samples/a.jsonl")).trimEnd().split("\n").map((l) => JSON.parse(l).id);
    expect(copy).toEqual(["good-0", "good-1", "good-2", "good-3", "good-4", "failing", "crashing", "no-code", "leaking", "too-long"]);
  });

  it("stats counts by category and source, validation status and token lengths", async () => {
    const r = await runCli(["stats", "--hew", STAND_IN, "--json"], { cwd: dir });
    expect(r.code).toBe(0);
    const stats = JSON.parse(r.stdout);
    expect(stats.byCategory).toEqual({ actors: 8, general: 3 });
    expect(stats.bySource).toEqual({ handwritten: 11 });
    expect(stats.validation).toMatchObject({ validSamples: 8, blocks: 10, pass: 8, fail: 1, checkerError: 1, unchecked: 0 });
    expect(stats.tokens.histogram.reduce((n: number, b: { samples: number }) => n + b.samples, 0)).toBe(11);
    expect(stats.tokens.histogram.at(-1)).toEqual({ from: 1201, samples: 1 });
    const text = await runCli(["stats", "--hew", STAND_IN], { cwd: dir });
    expect(text.stdout).toMatch(/^  actors\s+8$/m);
    expect(text.stdout).toMatch(/^\s+> 1200\s+1 #+$/m);
  });
});

describe("bad configuration and flags", () => {
  it("names the config file, line and field", async () => {
    const dir = await project([sampleLine("good", passing[0]!)], `${CONFIG}dedup:\n  threshold: 1.5\n  keep: [passing, fastest]\n`);
    const r = await runCli(["dedup", "--hew", STAND_IN], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/hew-corpus\.config\.yaml:6: dedup\.threshold: expected a Jaccard threshold of at most 1/);
    expect(r.stderr).toMatch(/hew-corpus\.config\.yaml:7: dedup\.keep\[1\]: /);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it("refuses an unknown format, seed, system prompt or budget in one clear line", async () => {
    const dir = await project([sampleLine("good", passing[0]!)]);
    const cases: [string[], RegExp][] = [
      [["--format", "messages,xml"], /unknown format "xml"; expected messages or chatml/],
      [["--seed", "-1"], /--seed.*expected an integer from 0 to 4294967295/],
      [["--max-seq-len", "0"], /--max-seq-len.*expected a positive integer/],
      [["--system-prompt", "v9"], /unknown system-prompt version "v9"; known: v1, v2/],
    ];
    for (const [flags, message] of cases) {
      const r = await runCli(["export", "--hew", STAND_IN, ...flags], { cwd: dir });
      expect(r.code, flags.join(" ")).toBeGreaterThan(0);
      expect(r.stderr).toMatch(message);
      expect(r.stderr).not.toMatch(/\n\s+at /);
    }
  });

  it("will not write a deduplicated copy over the corpus", async () => {
    const dir = await project([sampleLine("good", passing[0]!)]);
    const r = await runCli(["dedup", "--hew", STAND_IN, "--apply", "--out", "."], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/would overwrite corpus\/samples\/a\.jsonl/);
  });
});
