import type { CheckerId, Verdict } from "../schema/verdict.js";
import { formatCheckerId } from "./checker.js";
import type { BlockResult, SampleResult } from "./validate-samples.js";
import type { VerdictLock } from "./verdict-lock.js";

/** What a compiler change did to one block: its status flipped, or it fails with other error codes. */
export type DriftKind = "pass-to-fail" | "fail-to-pass" | "diagnostics-changed";

export interface BlockDrift {
  kind: DriftKind;
  /** `file:line [id]` of the sample, plus which block. */
  file: string;
  line: number;
  sampleId: string;
  block: number;
  codeHash: string;
  before: Verdict;
  after: Verdict;
  /** The error codes the change is about: today's for a new failure or a changed one, the lock's for a new pass. */
  codes: string[];
}

export interface LockDrift {
  /** Who recorded the lock verdicts that today's compiler disagreed with or re-checked. */
  recordedBy: CheckerId[];
  checkedWith: CheckerId[];
  /** Blocks the lock knew and another checker judged now. */
  compared: number;
  blocks: BlockDrift[];
}

export function errorCodes(verdict: Verdict): string[] {
  return [...new Set(verdict.diagnostics.filter((d) => d.severity === "error").map((d) => d.code))].sort();
}

const sameChecker = (a: CheckerId, b: CheckerId) => a.name === b.name && a.version === b.version;

/** How `after` differs from `before`, or undefined when a compiler change left the verdict as it was. */
export function verdictDrift(before: Verdict, after: Verdict): { kind: DriftKind; codes: string[] } | undefined {
  if (before.status === "pass" && after.status !== "pass") return { kind: "pass-to-fail", codes: after.status === "fail" ? errorCodes(after) : ["checker-error"] };
  if (before.status !== "pass" && after.status === "pass") return { kind: "fail-to-pass", codes: errorCodes(before) };
  const a = errorCodes(before);
  const b = errorCodes(after);
  if (a.join("\0") === b.join("\0")) return undefined;
  return { kind: "diagnostics-changed", codes: b.filter((c) => !a.includes(c)).concat(a.filter((c) => !b.includes(c))) };
}

/**
 * Every block whose verdict the lock holds but another checker (a newer hew) gave today, compared with
 * the lock's: a lock must never hide what an upgrade did.
 */
export function lockDrift(results: readonly SampleResult[], lock: VerdictLock): LockDrift {
  const recordedBy = new Map<string, CheckerId>();
  const checkedWith = new Map<string, CheckerId>();
  const blocks: BlockDrift[] = [];
  let compared = 0;
  for (const b of results.flatMap((r) => r.blocks)) {
    const before = lock.get(b.codeHash);
    const after = b.verdict;
    if (!before || !after || after.origin === "lock" || sameChecker(before.checker, after.checker)) continue;
    compared++;
    recordedBy.set(formatCheckerId(before.checker), before.checker);
    checkedWith.set(formatCheckerId(after.checker), after.checker);
    const change = verdictDrift(before, after);
    if (change) blocks.push({ ...change, ...where(b), codeHash: b.codeHash, before, after });
  }
  return { recordedBy: [...recordedBy.values()], checkedWith: [...checkedWith.values()], compared, blocks };
}

function where(b: BlockResult) {
  return { file: b.file, line: b.line, sampleId: b.sampleId, block: b.block.index + 1 };
}

/** A new failure is the drift that stops a corpus from shipping. */
export function driftBreaks(drift: LockDrift): boolean {
  return drift.blocks.some((b) => b.kind === "pass-to-fail");
}

const KIND_WORDS: Record<DriftKind, string> = {
  "pass-to-fail": "pass -> fail",
  "fail-to-pass": "fail -> pass",
  "diagnostics-changed": "diagnostics changed",
};

/** Drifted items grouped by kind, then by diagnostic code with counts, listed as `file:line [id]`. */
export function formatDriftGroups(items: readonly { kind: DriftKind; codes: readonly string[]; label: string }[]): string[] {
  const lines: string[] = [];
  for (const kind of Object.keys(KIND_WORDS) as DriftKind[]) {
    const ofKind = items.filter((i) => i.kind === kind);
    if (ofKind.length === 0) continue;
    lines.push(`  ${KIND_WORDS[kind]}: ${ofKind.length}`);
    const byCode = new Map<string, string[]>();
    for (const i of ofKind) for (const code of i.codes.length > 0 ? i.codes : ["(no error code)"]) byCode.set(code, [...(byCode.get(code) ?? []), i.label]);
    for (const [code, labels] of [...byCode].sort((a, b) => b[1].length - a[1].length || a[0].localeCompare(b[0]))) {
      lines.push(`    ${code} (${labels.length}): ${labels.join(", ")}`);
    }
  }
  return lines;
}

export function driftLabel(b: Pick<BlockDrift, "file" | "line" | "sampleId" | "block">): string {
  return `${b.file}:${b.line} [${b.sampleId}]${b.block > 1 ? ` block ${b.block}` : ""}`;
}

export function formatLockDrift(drift: LockDrift): string {
  if (drift.compared === 0) return "";
  const by = drift.recordedBy.map(formatCheckerId).join(", ");
  const now = drift.checkedWith.map(formatCheckerId).join(", ");
  const head = `drift: ${drift.compared} locked blocks re-checked with ${now} (the lock was recorded by ${by}); ${drift.blocks.length} changed`;
  const lines = [head, ...formatDriftGroups(drift.blocks.map((b) => ({ kind: b.kind, codes: b.codes, label: driftLabel(b) })))];
  lines.push(drift.blocks.length > 0 ? "  accept today's verdicts with --update-lock once the corpus is as it should be" : "  every verdict is as the lock says; --update-lock records them under the new version");
  return lines.join("\n");
}

/** The drift as `--json` carries it. */
export function lockDriftJson(drift: LockDrift) {
  return {
    recordedBy: drift.recordedBy,
    checkedWith: drift.checkedWith,
    compared: drift.compared,
    blocks: drift.blocks.map(({ before, after, ...b }) => ({ ...b, before: { status: before.status, codes: errorCodes(before) }, after: { status: after.status, codes: errorCodes(after) } })),
  };
}
