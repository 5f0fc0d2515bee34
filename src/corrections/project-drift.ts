import { resolve } from "node:path";
import { loadConfig, type LoadedConfig } from "../config.js";
import { loadSystemPrompts } from "../chatml/system-prompt.js";
import { loadPromptSet } from "../eval/prompt-set.js";
import type { CheckerId } from "../schema/verdict.js";
import { formatCheckerId } from "../validate/checker.js";
import { driftLabel, formatDriftGroups, formatLockDrift, lockDriftJson } from "../validate/drift.js";
import { openChecker } from "../validate/open-checker.js";
import { validateCorpus, type ValidateCorpusResult } from "../validate/validate-corpus.js";
import type { ValidationProgress } from "../validate/validate-samples.js";
import { checkExpectations, type ExpectationOutcome } from "../failures/expectations.js";
import { referenceExpectations, ruleExampleExpectations, templateExpectations } from "./shipped-expectations.js";

export interface ProjectDriftOptions {
  config?: LoadedConfig;
  cwd?: string;
  hew?: string;
  cache?: boolean;
  concurrency?: number;
  /** Seeds per correction template (default 4): each is a right and a wrong program. */
  renderings?: number;
  signal?: AbortSignal;
  onProgress?: (progress: ValidationProgress) => void;
}

export type ShippedSource = "eval references" | "correction templates" | "rule examples";

export interface ProjectDriftResult {
  compiler: CheckerId;
  /** The corpus validated as `validate` does, with its drift against the lock. */
  samples: ValidateCorpusResult;
  sources: { source: ShippedSource; outcomes: ExpectationOutcome[] }[];
  /** Nothing the project ships broke: no locked pass fails, every sample passes, every expectation holds. */
  passed: boolean;
}

/**
 * Everything the project ships with Hew in it, judged by today's compiler: the corpus against its lock,
 * eval reference solutions, correction templates (right and wrong forms) and system-prompt rule examples.
 * What `hew-corpus drift` runs after a Hew upgrade.
 */
export async function projectDrift(options: ProjectDriftOptions = {}): Promise<ProjectDriftResult> {
  const cwd = options.cwd ?? process.cwd();
  const loaded = options.config ?? (await loadConfig(cwd));
  const { checker } = await openChecker(loaded, { hew: options.hew, cache: options.cache, concurrency: options.concurrency, lock: false });
  try {
    // Drift is about today's compiler: without one there is nothing to compare, so say so first.
    const compiler = await checker.identify({ signal: options.signal });
    const samples = await validateCorpus({ config: loaded, cwd, hew: options.hew, cache: options.cache, concurrency: options.concurrency, signal: options.signal, onProgress: options.onProgress });
    const prompts = await loadPromptSet(resolve(loaded.root, loaded.config.evalPrompts));
    const store = await loadSystemPrompts(resolve(loaded.root, loaded.config.systemPrompts));
    const wanted: { source: ShippedSource; expectations: ReturnType<typeof templateExpectations> }[] = [
      { source: "eval references", expectations: referenceExpectations(prompts, loaded.root) },
      { source: "correction templates", expectations: templateExpectations(options.renderings ?? 4) },
      { source: "rule examples", expectations: ruleExampleExpectations(store) },
    ];
    const sources = [];
    for (const w of wanted) sources.push({ source: w.source, outcomes: await checkExpectations(w.expectations, checker, { signal: options.signal }) });
    const holds = sources.every((s) => s.outcomes.every((o) => !o.broken && !o.unchecked));
    return { compiler, samples, sources, passed: samples.passed && holds };
  } finally {
    await checker.close?.();
  }
}

export function formatProjectDrift(result: ProjectDriftResult): string {
  const { funnel, drift } = result.samples;
  const row = (label: string, text: string) => `  ${label.padEnd(22)}${text}`;
  const lines = [`hew-corpus drift: everything shipped with Hew in it, judged by ${formatCheckerId(result.compiler)}`];
  const lockWords = drift && drift.compared > 0 ? `, ${drift.compared} re-checked against the lock, ${drift.blocks.length} changed` : ", the lock's own version";
  lines.push(row("samples", `${funnel.blocks} blocks: ${funnel.pass} pass, ${funnel.fail} fail, ${funnel.checkerError + funnel.unchecked} without a verdict${lockWords}`));
  for (const s of result.sources) {
    const broken = s.outcomes.filter((o) => o.broken).length;
    const unchecked = s.outcomes.filter((o) => o.unchecked).length;
    lines.push(row(s.source, `${s.outcomes.length} programs: ${s.outcomes.length - broken - unchecked} hold, ${broken} broken${unchecked ? `, ${unchecked} without a verdict` : ""}`));
  }
  if (drift && drift.blocks.length > 0) lines.push(formatLockDrift(drift));
  const failing = result.samples.results.flatMap((r) => r.blocks).filter((b) => b.verdict?.status !== "pass" && !drift?.blocks.some((d) => d.codeHash === b.codeHash));
  if (failing.length > 0) lines.push(`samples not passing (not from the lock's drift): ${failing.map((b) => driftLabel({ file: b.file, line: b.line, sampleId: b.sampleId, block: b.block.index + 1 })).join(", ")}`);
  for (const s of result.sources) {
    const broken = s.outcomes.filter((o) => o.broken);
    if (broken.length > 0) {
      lines.push(`${s.source}: ${broken.length} broken`);
      lines.push(...formatDriftGroups(broken.map((o) => ({ kind: o.broken!.kind, codes: o.broken!.codes, label: o.expectation.label }))));
    }
    for (const o of s.outcomes.filter((x) => x.unchecked)) lines.push(`${s.source}: ${o.expectation.label}: ${o.unchecked}`);
  }
  lines.push(result.passed ? "nothing drifted" : "drifted: fix what broke, then accept the samples' new verdicts with `validate --update-lock`");
  return lines.join("\n");
}

export function projectDriftJson(result: ProjectDriftResult) {
  return {
    compiler: result.compiler,
    passed: result.passed,
    samples: { funnel: result.samples.funnel, drift: result.samples.drift && lockDriftJson(result.samples.drift) },
    sources: result.sources.map((s) => ({
      source: s.source,
      programs: s.outcomes.length,
      broken: s.outcomes.filter((o) => o.broken).map((o) => ({ label: o.expectation.label, expect: o.expectation.expect, ...o.broken })),
      unchecked: s.outcomes.filter((o) => o.unchecked).map((o) => ({ label: o.expectation.label, reason: o.unchecked })),
    })),
  };
}
