import type { CheckerId, Verdict, VerdictOrigin } from "../schema/verdict.js";
import type { Diagnostic } from "../schema/diagnostic.js";
import { formatCheckerId } from "./checker.js";
import type { BlockResult, SampleResult } from "./validate-samples.js";

export interface ValidationFunnel {
  files: number;
  samples: number;
  validSamples: number;
  samplesWithoutCode: number;
  blocks: number;
  pass: number;
  fail: number;
  checkerError: number;
  unchecked: number;
  /** How the verdicts were obtained. */
  origins: Record<VerdictOrigin, number>;
  /** Every checker that produced a verdict in this report, with how many. */
  checkers: { checker: CheckerId; origin: VerdictOrigin; blocks: number }[];
  /** Blocks checked now whose verdict differs from an earlier checker version's. */
  changed: number;
}

export function summarize(results: readonly SampleResult[]): ValidationFunnel {
  const blocks = results.flatMap((r) => r.blocks);
  const count = (pred: (b: BlockResult) => boolean) => blocks.filter(pred).length;
  const origins: Record<VerdictOrigin, number> = { checked: 0, cache: 0, lock: 0 };
  const checkers = new Map<string, { checker: CheckerId; origin: VerdictOrigin; blocks: number }>();
  for (const b of blocks) {
    if (!b.verdict) continue;
    origins[b.verdict.origin]++;
    const key = `${b.verdict.origin}\0${b.verdict.checker.name}\0${b.verdict.checker.version}`;
    const entry = checkers.get(key) ?? { checker: b.verdict.checker, origin: b.verdict.origin, blocks: 0 };
    entry.blocks++;
    checkers.set(key, entry);
  }
  return {
    files: new Set(results.map((r) => r.sample.file)).size,
    samples: results.length,
    validSamples: results.filter((r) => r.valid).length,
    samplesWithoutCode: results.filter((r) => r.blocks.length === 0).length,
    blocks: blocks.length,
    pass: count((b) => b.verdict?.status === "pass"),
    fail: count((b) => b.verdict?.status === "fail"),
    checkerError: count((b) => b.verdict?.status === "checker-error"),
    unchecked: count((b) => !b.verdict),
    origins,
    checkers: [...checkers.values()],
    changed: count((b) => b.changedFrom !== undefined),
  };
}

/** Every block passed: the only state in which a corpus may ship. */
export function allPassed(funnel: ValidationFunnel): boolean {
  return funnel.pass === funnel.blocks && funnel.samplesWithoutCode === 0;
}

/** `validate`'s exit status when some blocks got no verdict at all: no compiler could check them. */
export const EXIT_UNCHECKED = 3;

/** 0 when the corpus may ship; EXIT_UNCHECKED when blocks went unchecked (the compiler is missing); else 1. */
export function validateExitStatus(funnel: ValidationFunnel): number {
  if (allPassed(funnel)) return 0;
  return funnel.unchecked > 0 ? EXIT_UNCHECKED : 1;
}

function firstError(diagnostics: readonly Diagnostic[]): Diagnostic | undefined {
  return diagnostics.find((d) => d.severity === "error") ?? diagnostics[0];
}

export function describeDiagnostic(d: Diagnostic): string {
  const at = d.span.start_line > 0 ? ` (${d.span.start_line}:${d.span.start_col})` : "";
  return `${d.code} ${d.message}${at}`;
}

/** `block 2: CODE message (line:col)`: the verdict of one block, for a line that already says which sample. */
export function describeBlockVerdict(b: BlockResult): string {
  const where = `block ${b.block.index + 1}`;
  if (!b.verdict) return `${where}: unchecked: ${b.unchecked ?? "no verdict"}`;
  if (b.verdict.status === "checker-error") return `${where}: checker-error: ${b.verdict.reason ?? "unknown"}`;
  const d = firstError(b.verdict.diagnostics);
  const more = b.verdict.diagnostics.filter((x) => x.severity === "error").length - 1;
  return `${where}: ${d ? describeDiagnostic(d) : "failed without a diagnostic"}${more > 0 ? ` (+${more} more)` : ""}`;
}

/** `samples/x.jsonl:17 [sample-id] block 2: CODE message (line:col)` */
export function describeBlock(b: BlockResult): string {
  return `${b.file}:${b.line} [${b.sampleId}] ${describeBlockVerdict(b)}`;
}

const ORIGIN_WORDS: Record<VerdictOrigin, string> = {
  checked: "checked now",
  cache: "from the verdict cache",
  lock: "recorded in the verdict lock",
};

function describeVerdictSource(v: Verdict): string {
  return `${formatCheckerId(v.checker)}, ${ORIGIN_WORDS[v.origin]}`;
}

export function formatValidationReport(results: readonly SampleResult[], funnel = summarize(results)): string {
  const pad = (label: string, n: number) => `  ${label.padEnd(15)}${String(n).padStart(7)}`;
  const lines = [
    `hew-corpus validate: ${funnel.samples} samples in ${funnel.files} files, ${funnel.blocks} code blocks`,
    pad("pass", funnel.pass),
    pad("fail", funnel.fail),
    pad("checker-error", funnel.checkerError),
    pad("unchecked", funnel.unchecked),
    `  valid samples  ${String(funnel.validSamples).padStart(7)} of ${funnel.samples}`,
  ];
  if (funnel.samplesWithoutCode > 0) lines.push(`  samples without a Hew code block: ${funnel.samplesWithoutCode}`);
  lines.push("verdicts:");
  for (const c of funnel.checkers) lines.push(`  ${String(c.blocks).padStart(7)} ${formatCheckerId(c.checker)}, ${ORIGIN_WORDS[c.origin]}`);
  if (funnel.checkers.length === 0) lines.push("  none");
  const blocks = results.flatMap((r) => r.blocks);
  const bad = blocks.filter((b) => b.verdict?.status !== "pass");
  const noCode = results.filter((r) => r.blocks.length === 0);
  if (bad.length > 0 || noCode.length > 0) {
    lines.push("problems:");
    for (const b of bad) lines.push(`  ${describeBlock(b)}`);
    for (const { sample: s } of noCode) lines.push(`  ${s.file}:${s.line} [${s.sample.id}]: no Hew code block`);
  }
  const changed = blocks.filter((b) => b.changedFrom);
  if (changed.length > 0) {
    lines.push("verdicts changed since an earlier compiler:");
    for (const b of changed) {
      lines.push(`  ${b.file}:${b.line} [${b.sampleId}] block ${b.block.index + 1}: ${b.changedFrom!.status} under ${describeVerdictSource(b.changedFrom!)} -> ${b.verdict!.status} now`);
    }
  }
  const unchecked = blocks.find((b) => !b.verdict);
  if (unchecked) lines.push(`note: ${unchecked.unchecked}`);
  return lines.join("\n");
}

/** The machine-readable report of `--json`. */
export function validationReportJson(results: readonly SampleResult[], funnel = summarize(results)) {
  return {
    funnel,
    blocks: results.flatMap((r) =>
      r.blocks.map((b) => ({
        file: b.file,
        line: b.line,
        sampleId: b.sampleId,
        block: b.block.index + 1,
        codeLine: b.block.line,
        codeHash: b.codeHash,
        status: b.verdict?.status ?? "unchecked",
        origin: b.verdict?.origin,
        checker: b.verdict?.checker,
        reason: b.verdict?.reason ?? b.unchecked,
        diagnostics: b.verdict?.diagnostics ?? [],
        changedFrom: b.changedFrom ? { status: b.changedFrom.status, checker: b.changedFrom.checker } : undefined,
      })),
    ),
  };
}

/** Without a compiler the lock answers; the user must know whose verdicts those are. */
export function formatLockNote(funnel: ValidationFunnel, compiler: CheckerId | undefined): string {
  if (compiler || funnel.origins.lock === 0) return "";
  const by = funnel.checkers.filter((c) => c.origin === "lock").map((c) => formatCheckerId(c.checker));
  return `note: no compiler here: ${funnel.origins.lock} verdicts come from the verdict lock, recorded by ${by.join(", ")}; install that hew or a newer one to check them today`;
}
