import { readFileSync } from "node:fs";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import type { LocatedSample } from "../src/chatml/jsonl.js";
import { cachedChecker } from "../src/validate/cached-checker.js";
import { hewChecker } from "../src/validate/hew-checker.js";
import { runProcess } from "../src/validate/run-process.js";
import { summarize } from "../src/validate/report.js";
import { validateSamples } from "../src/validate/validate-samples.js";
import { VerdictCache } from "../src/validate/verdict-cache.js";
import type { Figure } from "./figure.js";

const ROOT = resolve(fileURLToPath(import.meta.url), "..", "..");
const STAND_IN = join(ROOT, "test", "stand-in", "hew");
const VERDICTS = join(ROOT, "..", "shared", "hew-verdicts");
const BLOCKS = 2000;
const DELAY_MS = 25;
const CONCURRENCY = 2;

/** 2,000 distinct blocks: recorded programs, each with a trailing variant comment the stand-in ignores. */
function benchSamples(): LocatedSample[] {
  const programs = readFileSync(join(VERDICTS, "verdicts.jsonl"), "utf8")
    .split("\n")
    .filter(Boolean)
    .map((l) => readFileSync(join(VERDICTS, (JSON.parse(l) as { file: string }).file), "utf8"))
    // Programs that hold a markdown fence (the prose-leak mistakes) cannot sit inside a fenced block.
    .filter((code) => !code.includes("```"));
  return Array.from({ length: BLOCKS }, (_, i) => {
    const code = `${programs[i % programs.length]}// hew-stand-in: variant ${i}\n`;
    return {
      file: "bench.jsonl",
      line: i + 1,
      sample: {
        id: `bench-${i}`,
        messages: [
          { role: "user", content: "q" },
          { role: "assistant", content: "```hew\n" + code + "```" },
        ],
        meta: { category: "general", source: "synthetic", tags: [] },
      },
    };
  });
}

/**
 * Seconds one padded stand-in check takes when spawned on its own, one after another: the floor that
 * process start-up (bash's own, and Node's spawn) puts under any pool, whatever it does.
 */
async function directCheckSeconds(answer: string): Promise<number> {
  const dir = await mkdtemp(join(tmpdir(), "hew-corpus-bench-"));
  const code = answer.slice(answer.indexOf("\n") + 1, answer.lastIndexOf("```"));
  await writeFile(join(dir, "main.hew"), code);
  const env = { ...process.env, HEW_STANDIN_DELAY_MS: String(DELAY_MS) };
  const runs = 100;
  const start = performance.now();
  for (let i = 0; i < runs; i++) {
    await runProcess(STAND_IN, ["check", "--format=json", "main.hew"], { cwd: dir, timeoutMs: 10_000, maxOutputBytes: 1 << 20, env });
  }
  const seconds = (performance.now() - start) / 1000 / runs;
  await rm(dir, { recursive: true, force: true });
  return seconds;
}

export async function benchValidate(): Promise<Figure[]> {
  const samples = benchSamples();
  const cacheDir = await mkdtemp(join(tmpdir(), "hew-corpus-bench-"));
  const inner = hewChecker({ bin: STAND_IN, concurrency: CONCURRENCY, env: { ...process.env, HEW_STANDIN_DELAY_MS: String(DELAY_MS) } });
  const checker = cachedChecker({ inner, cache: new VerdictCache(cacheDir) });
  try {
    await inner.identify();
    let start = performance.now();
    const cold = summarize(await validateSamples(samples, checker));
    const coldS = (performance.now() - start) / 1000;
    if (cold.origins.checked !== BLOCKS || cold.checkerError > 0) throw new Error(`cold run checked ${cold.origins.checked} of ${BLOCKS} blocks (${cold.checkerError} checker-errors)`);
    const limit = CONCURRENCY / (DELAY_MS / 1000);
    start = performance.now();
    const warm = summarize(await validateSamples(samples, checker));
    const warmS = (performance.now() - start) / 1000;
    if (warm.origins.cache !== BLOCKS) throw new Error(`warm run had ${warm.origins.cache} cache hits of ${BLOCKS}`);
    const ratio = BLOCKS / coldS / limit;
    const direct = await directCheckSeconds(samples[0]!.sample.messages[1]!.content);
    const pipeline = (BLOCKS / coldS) * (direct / CONCURRENCY);
    return [
      { name: `validate ${BLOCKS} blocks, stand-in ${DELAY_MS} ms/check, concurrency ${CONCURRENCY}`, value: `${coldS.toFixed(2)} s, ${(BLOCKS / coldS).toFixed(1)} checks/s` },
      { name: "  ratio to the compiler-bound limit (concurrency / delay)", value: ratio.toFixed(3), target: ">= 0.9", ok: ratio >= 0.9 },
      { name: "  one stand-in check, spawned alone and waited for (its own start-up included)", value: `${(direct * 1000).toFixed(1)} ms` },
      { name: "  ratio to what the stand-in allows (concurrency / that time): the pool's own cost", value: pipeline.toFixed(3) },
      { name: `warm re-validation of the same ${BLOCKS} blocks (all cache hits)`, value: `${warmS.toFixed(3)} s`, target: "< 1 s", ok: warmS < 1 },
    ];
  } finally {
    await checker.close?.();
    await rm(cacheDir, { recursive: true, force: true });
  }
}
