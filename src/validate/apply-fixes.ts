import { resolve } from "node:path";
import type { LocatedSample } from "../chatml/jsonl.js";
import { canonicalSample } from "../chatml/jsonl.js";
import type { Diagnostic, Edit } from "../schema/diagnostic.js";
import type { Sample } from "../schema/sample.js";
import type { Verdict } from "../schema/verdict.js";
import { writeFileAtomic } from "../util/atomic-write.js";
import { UserError, errorMessage } from "../util/errors.js";
import { sha256Hex } from "../util/hash.js";
import { readTextFile } from "../util/read-text.js";
import type { Checker } from "./checker.js";
import type { BlockResult, SampleResult } from "./validate-samples.js";

export interface AppliedFix {
  /** The diagnostic code whose fix was applied. */
  code: string;
  title: string;
}

export interface FixOutcome {
  code: string;
  applied: AppliedFix[];
  /** Fixes left out, with why (overlap with an earlier fix, a span outside the code or inside a character). */
  skipped: (AppliedFix & { reason: string })[];
}

// A UTF-8 continuation byte (10xxxxxx): an offset there would cut a character in two.
const inside = (bytes: Buffer, at: number) => at < bytes.length && (bytes[at]! & 0xc0) === 0x80;

/**
 * Apply the first suggested fix of every error diagnostic to `code`. Spans are byte offsets into the UTF-8
 * text (hew-facts 1.5), so the edits are made on bytes, not on JavaScript's UTF-16 string indices. A fix
 * is applied whole or not at all; one that overlaps an earlier fix is skipped.
 */
export function applyFixes(code: string, diagnostics: readonly Diagnostic[]): FixOutcome {
  const bytes = Buffer.from(code, "utf8");
  const applied: AppliedFix[] = [];
  const skipped: FixOutcome["skipped"] = [];
  const taken: Edit[] = [];
  for (const d of diagnostics) {
    const fix = d.severity === "error" ? d.fixes[0] : undefined;
    if (!fix || fix.edits.length === 0) continue;
    const about = { code: d.code, title: fix.title };
    const bad = fix.edits.find(({ span: { start_byte: s, end_byte: e } }) => s < 0 || e < s || e > bytes.length || inside(bytes, s) || inside(bytes, e));
    if (bad) {
      skipped.push({ ...about, reason: `span ${bad.span.start_byte}..${bad.span.end_byte} is not a character range of the ${bytes.length}-byte code` });
      continue;
    }
    const overlaps = fix.edits.some((e) => taken.some((t) => e.span.start_byte < t.span.end_byte && t.span.start_byte < e.span.end_byte));
    if (overlaps) {
      skipped.push({ ...about, reason: "overlaps an earlier fix" });
      continue;
    }
    taken.push(...fix.edits);
    applied.push(about);
  }
  // From the end backwards, so earlier offsets stay valid.
  let out = bytes;
  for (const e of [...taken].sort((a, b) => b.span.start_byte - a.span.start_byte)) {
    out = Buffer.concat([out.subarray(0, e.span.start_byte), Buffer.from(e.new_text, "utf8"), out.subarray(e.span.end_byte)]);
  }
  return { code: out.toString("utf8"), applied, skipped };
}

export interface BlockFix {
  result: BlockResult;
  before: string;
  after: string;
  applied: AppliedFix[];
  /** The verdict of the fixed code; absent when none could be had (no hew, and the code is in no lock). */
  verdict?: Verdict;
  unchecked?: string;
  /** The fixed code passed: the sample is rewritten with it. */
  passed: boolean;
}

/** Fixing one error can let a later stage report the next one (hew-facts 1.3), so fixes are applied in rounds. */
const MAX_ROUNDS = 3;

async function fixBlock(result: BlockResult, checker: Checker, signal?: AbortSignal): Promise<BlockFix | undefined> {
  let verdict = result.verdict!;
  let code = result.block.code;
  const applied: AppliedFix[] = [];
  for (let round = 0; round < MAX_ROUNDS && verdict.status === "fail"; round++) {
    const outcome = applyFixes(code, verdict.diagnostics);
    if (outcome.applied.length === 0 || outcome.code === code) break;
    code = outcome.code;
    applied.push(...outcome.applied);
    try {
      verdict = await checker.check(code, { signal });
    } catch (err) {
      if (!(err instanceof UserError)) throw err;
      return { result, before: result.block.code, after: code, applied, unchecked: errorMessage(err), passed: false };
    }
  }
  if (applied.length === 0) return undefined;
  return { result, before: result.block.code, after: code, applied, verdict, passed: verdict.status === "pass" };
}

export interface FixRun {
  /** Every block a fix was tried on, passed or not. */
  fixes: BlockFix[];
  /** The validation results with the repaired blocks' new code and verdicts. */
  results: SampleResult[];
}

/** Try the compiler's fixes on every failing block that carries some, and re-check. Nothing is written here. */
export async function fixFailingBlocks(results: readonly SampleResult[], checker: Checker, options: { signal?: AbortSignal } = {}): Promise<FixRun> {
  const fixes: BlockFix[] = [];
  const updated = await Promise.all(
    results.map(async (r): Promise<SampleResult> => {
      const blocks = await Promise.all(
        r.blocks.map(async (b): Promise<BlockResult> => {
          if (b.verdict?.status !== "fail" || !b.verdict.diagnostics.some((d) => d.severity === "error" && d.fixes.length > 0)) return b;
          const fix = await fixBlock(b, checker, options.signal);
          if (!fix) return b;
          fixes.push(fix);
          return fix.passed ? { ...b, block: { ...b.block, code: fix.after }, codeHash: sha256Hex(fix.after), verdict: fix.verdict } : b;
        }),
      );
      return { ...r, blocks, valid: blocks.length > 0 && blocks.every((b) => b.verdict?.status === "pass") };
    }),
  );
  fixes.sort((a, b) => a.result.file.localeCompare(b.result.file) || a.result.line - b.result.line || a.result.block.index - b.result.block.index);
  return { fixes, results: updated };
}

/** The sample with the passing fixed blocks put back into their messages. */
export function fixedSample(sample: Sample, fixes: readonly BlockFix[]): Sample {
  const messages = sample.messages.map((m) => ({ ...m }));
  // Later blocks of a message first, so the offsets of earlier ones stay valid.
  for (const f of [...fixes].filter((x) => x.passed).sort((a, b) => b.result.block.start - a.result.block.start)) {
    const { messageIndex, start, end } = f.result.block;
    const m = messages[messageIndex]!;
    m.content = m.content.slice(0, start) + f.after + m.content.slice(end);
  }
  return { ...sample, messages };
}

function holdsSample(line: string | undefined, sample: Sample): boolean {
  try {
    return JSON.stringify(canonicalSample(JSON.parse(line ?? ""))) === JSON.stringify(canonicalSample(sample));
  } catch {
    return false;
  }
}

/**
 * Rewrite the sample lines whose blocks now pass, one atomic write per file; every other line stays byte
 * for byte. A line that no longer holds the sample that was validated is refused rather than overwritten.
 */
export async function writeFixedSamples(fixes: readonly BlockFix[], samples: readonly LocatedSample[], baseDir: string): Promise<number> {
  const passing = fixes.filter((f) => f.passed);
  const byFile = new Map<string, BlockFix[]>();
  for (const f of passing) byFile.set(f.result.file, [...(byFile.get(f.result.file) ?? []), f]);
  let written = 0;
  for (const [file, fileFixes] of byFile) {
    const path = resolve(baseDir, file);
    const lines = (await readTextFile(path, "sample file")).split("\n");
    for (const line of new Set(fileFixes.map((f) => f.result.line))) {
      const located = samples.find((s) => s.file === file && s.line === line)!;
      if (!holdsSample(lines[line - 1], located.sample)) throw new UserError(`${file}:${line}: changed since it was validated; not writing the fix`);
      lines[line - 1] = JSON.stringify(canonicalSample(fixedSample(located.sample, fileFixes.filter((f) => f.result.line === line))));
      written++;
    }
    await writeFileAtomic(path, lines.join("\n"));
  }
  return written;
}

/** A small line diff of one fixed block: the changed lines between the common head and tail. */
export function formatBlockDiff(before: string, after: string): string {
  const a = before.split("\n");
  const b = after.split("\n");
  let head = 0;
  while (head < a.length && head < b.length && a[head] === b[head]) head++;
  let tail = 0;
  while (tail < a.length - head && tail < b.length - head && a[a.length - 1 - tail] === b[b.length - 1 - tail]) tail++;
  const removed = a.slice(head, a.length - tail).map((l) => `    - ${l}`);
  const added = b.slice(head, b.length - tail).map((l) => `    + ${l}`);
  return [`    @@ line ${head + 1}`, ...removed, ...added].join("\n");
}

export function formatFixes(fixes: readonly BlockFix[]): string {
  if (fixes.length === 0) return "fix: no failing block carries a compiler fix";
  const lines = fixes.map((f) => {
    const where = `${f.result.file}:${f.result.line} [${f.result.sampleId}] block ${f.result.block.index + 1}`;
    const what = f.applied.map((x) => `${x.title} (${x.code})`).join("; ");
    const outcome = f.passed ? "fixed" : `not fixed, left as it was (${f.unchecked ? `unchecked: ${f.unchecked}` : `still ${f.verdict!.status}`})`;
    return `${where}: ${outcome}: ${what}\n${formatBlockDiff(f.before, f.after)}`;
  });
  const fixed = fixes.filter((f) => f.passed).length;
  return [`fix: ${fixed} of ${fixes.length} block(s) with compiler fixes now pass`, ...lines].join("\n");
}
