import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import fg from "fast-glob";
import { readFile } from "node:fs/promises";
import { extractCodeBlocks } from "../src/chatml/code-blocks.js";
import type { LocatedSample } from "../src/chatml/jsonl.js";
import { loadCorpus } from "../src/chatml/load-corpus.js";
import { cachedChecker } from "../src/validate/cached-checker.js";
import { BLOCK_FILE, hewChecker } from "../src/validate/hew-checker.js";
import { runProcess } from "../src/validate/run-process.js";
import { summarize } from "../src/validate/report.js";
import { validateSamples } from "../src/validate/validate-samples.js";
import { VerdictCache } from "../src/validate/verdict-cache.js";
import type { Figure } from "./figure.js";

const ROOT = resolve(fileURLToPath(import.meta.url), "..", "..");
const STAND_IN = join(ROOT, "test", "stand-in", "hew");
const CONCURRENCY = 2;
const TARGET_RATIO = 0.95;
const TARGET_OWN_MS = 2;
const STAND_IN_DELAY_MS = 25;

/**
 * The project's own programs (the bundled samples' blocks and any fixture programs), made into `count`
 * distinct blocks by a trailing comment line, which no checker's verdict depends on.
 */
async function benchPrograms(count: number): Promise<string[]> {
  const samples = await loadCorpus(["corpus/samples/*.jsonl"], { cwd: ROOT });
  const fixtures = await Promise.all((await fg("test/fixtures/**/*.hew", { cwd: ROOT })).sort().map((f) => readFile(join(ROOT, f), "utf8")));
  const programs = [...new Set([...samples.flatMap((s) => extractCodeBlocks(s.sample.messages).map((b) => b.code)), ...fixtures])].filter((c) => !c.includes("```"));
  return Array.from({ length: count }, (_, i) => `${programs[i % programs.length]}// hew-stand-in: variant ${i}\n`);
}

function asSamples(programs: readonly string[]): LocatedSample[] {
  return programs.map((code, i) => ({
    file: "bench.jsonl",
    line: i + 1,
    sample: {
      id: `bench-${i}`,
      messages: [
        { role: "user", content: "q" },
        { role: "assistant", content: "```hew\n" + code + "```" },
      ],
      meta: { category: "algorithms", source: "synthetic", tags: [] },
    },
  }));
}

/** Seconds for every program checked directly, one after another: what the compiler itself needs. */
async function directSeconds(bin: string, programs: readonly string[], env?: NodeJS.ProcessEnv): Promise<number> {
  const dir = await mkdtemp(join(tmpdir(), "hew-corpus-bench-"));
  try {
    let total = 0;
    for (const code of programs) {
      await writeFile(join(dir, BLOCK_FILE), code);
      const start = performance.now();
      await runProcess(bin, ["check", "--format=json", BLOCK_FILE], { cwd: dir, timeoutMs: 60_000, maxOutputBytes: 4 << 20, env });
      total += performance.now() - start;
    }
    return total / 1000;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

async function poolSeconds(bin: string, programs: readonly string[], concurrency: number, env?: NodeJS.ProcessEnv): Promise<{ seconds: number; errors: number }> {
  const checker = hewChecker({ bin, concurrency, env });
  try {
    await checker.identify();
    const start = performance.now();
    const funnel = summarize(await validateSamples(asSamples(programs), checker));
    return { seconds: (performance.now() - start) / 1000, errors: funnel.checkerError };
  } finally {
    await checker.close?.();
  }
}

/** Against the real compiler: the pool's speed as a share of what the compiler allows, and our cost per block. */
async function benchRealHew(bin: string): Promise<Figure[]> {
  const blocks = Number(process.env.HEW_CORPUS_BENCH_BLOCKS ?? 300);
  const programs = await benchPrograms(blocks);
  await directSeconds(bin, programs.slice(0, 5)); // warm the page cache
  const direct = await directSeconds(bin, programs);
  const one = await poolSeconds(bin, programs, 1);
  const many = await poolSeconds(bin, programs, CONCURRENCY);
  const ratio = direct / CONCURRENCY / many.seconds;
  const ownMs = ((one.seconds - direct) / blocks) * 1000;
  return [
    { name: `direct checks of ${blocks} distinct blocks with ${bin}, one after another`, value: `${direct.toFixed(2)} s (${((direct / blocks) * 1000).toFixed(1)} ms each)` },
    { name: "validate at concurrency 1 (no cache, no lock)", value: `${one.seconds.toFixed(2)} s` },
    { name: "  our own cost per block (concurrency 1 minus direct)", value: `${ownMs.toFixed(2)} ms`, target: `< ${TARGET_OWN_MS} ms`, ok: ownMs < TARGET_OWN_MS },
    { name: `validate at concurrency ${CONCURRENCY} (no cache, no lock)`, value: `${many.seconds.toFixed(2)} s, ${many.errors} checker-errors` },
    { name: "  ratio to the compiler-bound limit (direct / concurrency / pool)", value: ratio.toFixed(3), target: `>= ${TARGET_RATIO}`, ok: ratio >= TARGET_RATIO },
    ...(await benchWarm(bin, programs)),
  ];
}

/** Without a compiler: the stand-in padded to a fixed delay, a figure for the pool's machinery only. */
async function benchStandIn(): Promise<Figure[]> {
  const blocks = 1000;
  const programs = await benchPrograms(blocks);
  const env = { ...process.env, HEW_STANDIN_DELAY_MS: String(STAND_IN_DELAY_MS) };
  const direct = await directSeconds(STAND_IN, programs.slice(0, 100), env);
  const many = await poolSeconds(STAND_IN, programs, CONCURRENCY, env);
  const ratio = ((direct / 100) * blocks) / CONCURRENCY / many.seconds;
  return [
    { name: `STAND-IN, not a compiler (set HEW_BIN for the real figure): ${blocks} blocks, ${STAND_IN_DELAY_MS} ms a check`, value: `${many.seconds.toFixed(2)} s` },
    { name: "  stand-in ratio to what its own direct runs allow", value: ratio.toFixed(3) },
  ];
}

/** The same blocks again with the verdict cache: checked once to fill it, then every answer a cache hit. */
async function benchWarm(bin: string, programs: readonly string[]): Promise<Figure[]> {
  const cacheDir = await mkdtemp(join(tmpdir(), "hew-corpus-bench-"));
  const inner = hewChecker({ bin, concurrency: CONCURRENCY });
  const checker = cachedChecker({ inner, cache: new VerdictCache(cacheDir) });
  try {
    await validateSamples(asSamples(programs), checker);
    const start = performance.now();
    const warm = summarize(await validateSamples(asSamples(programs), checker));
    const seconds = (performance.now() - start) / 1000;
    if (warm.origins.cache !== programs.length) throw new Error(`warm run had ${warm.origins.cache} cache hits of ${programs.length}`);
    return [{ name: `warm re-validation of the ${programs.length} blocks (all cache hits)`, value: `${seconds.toFixed(3)} s`, target: "< 1 s", ok: seconds < 1 }];
  } finally {
    await checker.close?.();
    await rm(cacheDir, { recursive: true, force: true });
  }
}

export async function benchValidate(): Promise<Figure[]> {
  const bin = process.env.HEW_BIN;
  return bin ? benchRealHew(bin) : benchStandIn();
}
