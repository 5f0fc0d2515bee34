import { readFileSync } from "node:fs";
import { rm, writeFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { stringify } from "yaml";
import { loadConfig } from "../src/config.js";
import { synthesizeCorpus } from "../src/synth/synthesize.js";
import type { Checker } from "../src/validate/checker.js";
import { hewChecker } from "../src/validate/hew-checker.js";
import { realHew } from "../test/helpers/real-hew.js";
import { firstRequest, round, startLoopbackTeacher } from "../support/loopback-teacher.js";
import { synthProject } from "../test/synth/synth-project.js";
import type { Figure } from "./figure.js";

const ROOT = resolve(fileURLToPath(import.meta.url), "..", "..");
const FIXTURES = join(ROOT, "test", "fixtures", "synth");
const TASKS = 500;
const LATENCY_MS = 200;
const TEACHER_CONCURRENCY = 16;
const CHECKS = 2;
/** Tasks whose first answer fails and needs one repair round. */
const REPAIRED_EVERY = 10;
const REPAIRED_OF_TEN = 3;

const program = (name: string) => readFileSync(join(FIXTURES, "programs", `${name}.hew`), "utf8");

/** A checker that adds up the time its checks took, pool wait included: hew's part of each task. */
function timed(inner: Checker): Checker & { seconds: number; checks: number; close(): Promise<void> } {
  const t = {
    seconds: 0,
    checks: 0,
    identify: (o?: Parameters<Checker["identify"]>[0]) => inner.identify(o),
    async check(code: string, o?: Parameters<Checker["check"]>[1]) {
      const start = performance.now();
      try {
        return await inner.check(code, o);
      } finally {
        t.seconds += (performance.now() - start) / 1000;
        t.checks++;
      }
    },
    close: async () => {
      await inner.close?.();
    },
  };
  return t;
}

/**
 * 500 tasks against a loopback teacher that takes 200 ms per answer, 30% of them wrong first and repaired
 * once. The floor is set by the teacher: requests x latency / teacher concurrency. Each answer is a
 * distinct program (a trailing variant comment the checker ignores), so every one is really checked.
 */
export async function benchSynth(): Promise<Figure[]> {
  const bin = realHew();
  const right = ["squares-pass", "tally-right", "clock-right"].map(program);
  const wrong = program("tally-wrong");
  const teacher = await startLoopbackTeacher(
    (request) => {
      const n = Number(/^Task (\d+)/.exec(firstRequest(request))?.[1] ?? 0);
      const code = round(request) === 0 && n % REPAIRED_EVERY < REPAIRED_OF_TEN ? wrong : right[n % right.length]!;
      return { content: "```hew\n" + `${code}// hew-stand-in: variant ${n}\n` + "```\n" };
    },
    { delayMs: LATENCY_MS },
  );
  const dir = await synthProject({ url: teacher.url, model: "bench-teacher" });
  const tasks = Array.from({ length: TASKS }, (_, i) => ({ category: "algorithms", request: `Task ${i}: write program number ${i} of the benchmark.` }));
  await writeFile(join(dir, "tasks.yaml"), stringify({ tasks }));
  const index = join(dir, ".stand-in-index");
  const env = bin ? process.env : { ...process.env, HEW_STANDIN_VERDICTS: join(FIXTURES, "verdicts.jsonl"), HEW_STANDIN_INDEX: index };
  const checker = timed(hewChecker({ bin: bin ?? join(ROOT, "test", "stand-in", "hew"), concurrency: CHECKS, env }));
  try {
    await checker.identify();
    // One check at a time, nothing else running: what a check costs on this machine.
    const probes = 20;
    const probeStart = performance.now();
    for (let i = 0; i < probes; i++) await checker.check(`${right[0]}// hew-stand-in: variant ${TASKS + i}\n`);
    const oneCheck = (performance.now() - probeStart) / 1000 / probes;
    checker.seconds = 0;
    checker.checks = 0;
    const start = performance.now();
    const result = await synthesizeCorpus({ config: await loadConfig(dir), tasksFile: join(dir, "tasks.yaml"), checker, concurrency: TEACHER_CONCURRENCY, dryRun: true, systemPrompt: null });
    const wall = (performance.now() - start) / 1000;
    const requests = result.usage.requests;
    const limit = (requests * LATENCY_MS) / 1000 / TEACHER_CONCURRENCY;
    const hewLimit = (checker.checks * oneCheck) / CHECKS;
    const floor = Math.max(limit, hewLimit);
    const passed = result.funnel.passedFirstTry + result.funnel.passedAfterRepair.reduce((a, b) => a + b, 0);
    if (passed !== TASKS) throw new Error(`only ${passed} of ${TASKS} tasks passed: ${JSON.stringify(result.funnel)}`);
    const hewWork = checker.checks * oneCheck;
    const label = bin ? "real hew" : "stand-in hew (recorded verdicts, not a compiler)";
    return [
      { name: `synth ${TASKS} tasks, ${requests} teacher answers at ${LATENCY_MS} ms, teacher concurrency ${TEACHER_CONCURRENCY}, ${label} x${CHECKS}`, value: `${wall.toFixed(2)} s` },
      { name: "  limit set by the teacher (answers x latency / concurrency)", value: `${limit.toFixed(2)} s` },
      { name: `  limit set by hew (${checker.checks} checks x ${(oneCheck * 1000).toFixed(0)} ms alone / ${CHECKS} at once)`, value: `${hewLimit.toFixed(2)} s` },
      { name: "  ratio of the higher limit to the wall time", value: (floor / wall).toFixed(3), target: ">= 0.8", ok: floor / wall >= 0.8 },
      { name: "  hew's share of the work (check time / check + teacher time)", value: `${((100 * hewWork) / (hewWork + (requests * LATENCY_MS) / 1000)).toFixed(1)} %` },
      { name: "  time tasks waited on hew, pool wait included, per check", value: `${((1000 * checker.seconds) / checker.checks).toFixed(0)} ms` },
    ];
  } finally {
    await checker.close();
    await teacher.close();
    await rm(dir, { recursive: true, force: true });
  }
}
