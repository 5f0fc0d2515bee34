import { cp, mkdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import type { ReportData } from "../../src/report/report-data.js";
import { REPO_ROOT, STAND_IN, recordedProgram, runCli, sampleLine, tempDir } from "../helpers/fixtures.js";
import { writeRegistry } from "./registry-fixture.js";

const pass = recordedProgram("actors-pass-chat-room-broadcast").code;
const pass2 = recordedProgram("actors-pass-string-cache-ttl").code;
// Passes, and is the eval set's bank-account reference itself: a leak.
const leaking = recordedProgram("actors-pass-bank-account-eval-reference").code;
const fail = recordedProgram("generators-fail-yield-outside-gen--gen-fn-1").code;

/** The JSON a report embeds: what its charts were drawn from. */
function embeddedData(html: string): ReportData {
  const json = html.match(/<script id="hew-report-data" type="application\/json">(.*?)<\/script>/s)?.[1];
  if (!json) throw new Error("no embedded report data");
  return JSON.parse(json) as ReportData;
}

describe("hew-corpus runs", () => {
  let dir: string;
  beforeAll(async () => {
    dir = await tempDir();
    await writeFile(join(dir, "hew-corpus.config.yaml"), "corpus: [corpus/samples/**/*.jsonl]\n");
    await writeRegistry(join(dir, "runs", "registry.jsonl"));
  });

  it("prints the version table from the registry beside the config", async () => {
    const r = await runCli(["runs"], { cwd: dir });
    expect(r.code).toBe(0);
    expect(r.stdout.split("\n")).toEqual([
      "Version            Samples  Config                      Pass rate      95% interval",
      "v7                     412  r16 α32, 1 epoch, lr 2e-4   54% (21/39)    39–68%",
      "v8                     451  r16 α32, 1 epoch, lr 2e-4   69% (27/39)    54–81%",
      "v9                     451  r16 α32, 2 epochs, lr 2e-4  not evaluated",
      "v11                    451  r16 α32, 2 epochs, lr 2e-4  79% (31/39)    64–89%",
      "v12 (eval of v11)      451  r16 α32, 2 epochs, lr 2e-4  82% (32/39)    67–91%",
      "",
    ]);
  });

  it("prints a Markdown table for a README", async () => {
    const r = await runCli(["runs", "--markdown"], { cwd: dir });
    expect(r.stdout).toContain("| Version | Samples | Config | Pass rate | 95% interval |\n| --- | ---: | --- | ---: | --- |\n");
    expect(r.stdout).toContain("| v11 | 451 | r16 α32, 2 epochs, lr 2e-4 | 79% (31/39) | 64–89% |");
  });

  it("reads another registry with --registry, and says when there are no runs", async () => {
    const other = join(dir, "elsewhere.jsonl");
    await writeRegistry(other, []);
    const r = await runCli(["runs", "--registry", other], { cwd: dir });
    expect(r.code).toBe(0);
    expect(r.stdout).toBe("");
    expect(r.stderr).toMatch(/no runs recorded in .*elsewhere\.jsonl yet/);
  });

  it("names the file and line of a broken record, without a stack trace", async () => {
    const broken = join(dir, "broken.jsonl");
    const good = (await readFile(join(dir, "runs", "registry.jsonl"), "utf8")).split("\n")[0];
    await writeFile(broken, `${good}\n{"id":"v8","kind":"train"}\n`);
    const r = await runCli(["runs", "--registry", broken], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/broken\.jsonl:2: startedAt: /);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });
});

/** A corpus folder with the bundled system prompts and eval prompts, which the export pipeline reads. */
async function corpusDir(): Promise<string> {
  const dir = await tempDir();
  await mkdir(join(dir, "corpus", "samples"), { recursive: true });
  await cp(join(REPO_ROOT, "corpus", "system-prompts"), join(dir, "corpus", "system-prompts"), { recursive: true });
  await cp(join(REPO_ROOT, "corpus", "eval"), join(dir, "corpus", "eval"), { recursive: true });
  return dir;
}

describe("hew-corpus report", () => {
  it("writes one HTML file with the runs, the corpus composition, token lengths and the funnel", async () => {
    const dir = await corpusDir();
    await writeFile(join(dir, "hew-corpus.config.yaml"), `corpus: [corpus/samples/**/*.jsonl]\nhew: ${STAND_IN}\n`);
    const line = (id: string, code: string, category: string, source: string) => JSON.stringify({ ...JSON.parse(sampleLine(id, code, category)), meta: { category, source, tags: [] } });
    await writeFile(
      join(dir, "corpus", "samples", "a.jsonl"),
      [
        line("a1", pass, "actors", "handwritten"),
        line("a2", pass, "actors", "correction"),
        line("a3", leaking, "actors", "handwritten"),
        line("g1", pass2, "generators", "handwritten"),
        line("g2", fail, "generators", "handwritten"),
      ].join("\n") + "\n",
    );
    await writeFile(
      join(dir, "corpus", "samples", "b.jsonl"),
      JSON.stringify({ id: "prose", messages: [{ role: "user", content: "What is Hew?" }, { role: "assistant", content: "An actor language." }], meta: { category: "general", source: "docs" } }) + "\n",
    );
    await writeRegistry(join(dir, "runs", "registry.jsonl"));

    const r = await runCli(["report", "--title", "Hew & friends"], { cwd: dir });
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^wrote .*runs\/report\.html: 5 runs \(4 with eval results\), 6 samples$/m);
    const html = await readFile(join(dir, "runs", "report.html"), "utf8");
    expect(html.includes("<title>Hew &#38; friends</title>")).toBe(true);
    // Self-contained: the Vega runtime is inline and no element loads anything (the browser test watches requests).
    expect(/<script[^>]+src=|<link[^>]+href=|<img /.test(html)).toBe(false);
    expect(html.includes("vega.View")).toBe(true);
    expect(html.includes("default-src 'none'")).toBe(true);

    const data = embeddedData(html);
    expect(data.runs.map((run) => run.label)).toEqual(["v7", "v8", "v9", "v11", "v12 (eval of v11)"]);
    expect(data.composition).toEqual(
      expect.arrayContaining([
        { category: "actors", source: "handwritten", samples: 2 },
        { category: "actors", source: "correction", samples: 1 },
        { category: "generators", source: "handwritten", samples: 2 },
        { category: "general", source: "docs", samples: 1 },
      ]),
    );
    // a1 and a2 are the same program: one of them is a duplicate; a3 leaks an eval prompt.
    expect(data.funnel).toEqual([
      { step: "loaded", samples: 6 },
      { step: "every block passes hew check", samples: 4 },
      { step: "not a duplicate", samples: 3 },
      { step: "leaks no eval prompt", samples: 2 },
      { step: "within the token budget", samples: 2 },
      { step: "in the training set", samples: 2 },
    ]);
    expect(data.tokenLengths.tokenizer).toMatch(/^Qwen3/);
    expect(data.tokenLengths.bins.reduce((n, b) => n + b.samples, 0)).toBe(6);
    expect(data.systemPrompt).toBe("v3");
    expect(data.checkers).toEqual([expect.stringMatching(/^hew-stand-in 0\.6\.0-rc2/)]);
    expect(r.stdout).toMatch(/note: verdicts from hew-stand-in, not the hew compiler/);
  });

  it("still reports the corpus when no run is recorded yet", async () => {
    const dir = await corpusDir();
    await writeFile(join(dir, "corpus", "samples", "a.jsonl"), sampleLine("a1", pass) + "\n");
    const out = join(dir, "out", "r.html");
    const r = await runCli(["report", "--hew", STAND_IN, "-o", out], { cwd: dir });
    expect(r.code).toBe(0);
    const html = await readFile(out, "utf8");
    expect(html.includes("The run registry is empty.")).toBe(true);
    expect(html.includes('id="chart-pass-rate"')).toBe(false);
    expect(embeddedData(html).funnel.at(-1)).toEqual({ step: "in the training set", samples: 1 });
  });
});
