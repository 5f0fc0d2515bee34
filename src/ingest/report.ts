import type { IngestFunnel } from "../schema/ingest.js";
import { formatUsage } from "../synth/report.js";
import type { IngestResult, ProgramDecision } from "./ingest.js";

export function formatIngestFunnel(f: IngestFunnel): string {
  const skipped = Object.entries(f.skipped).map(([reason, n]) => [`skipped: ${reason}`, n] as const);
  const rows: (readonly [string, number])[] = [
    ["files", f.files],
    ["programs", f.programs],
    ...skipped,
    ["checked", f.checked],
    ["passed", f.passed],
    ["failed", f.failed],
    ["checker-error", f.checkerError],
    ["unchecked", f.unchecked],
    ["duplicates", f.duplicates],
    ["leaks", f.leaks],
    ["admitted", f.admitted],
  ];
  const width = Math.max(...rows.map(([l]) => l.length));
  return ["funnel:", ...rows.map(([label, n]) => `  ${label.padEnd(width)}  ${String(n).padStart(6)}`)].join("\n");
}

const where = (d: ProgramDecision) => (d.line ? `${d.path}:${d.line}` : d.path);

/** The funnel, then one line per program: what it became and why. With `dryRun`, the requests admitted ones would get. */
export function formatIngestResult(result: IngestResult, options: { dryRun?: boolean } = {}): string {
  const s = result.source;
  const lines = [`source ${s.label}${s.commit ? ` at ${s.commit}` : ""}; licence file: ${s.licence ?? "none found"}`, "", formatIngestFunnel(result.funnel), ""];
  for (const d of result.decisions) {
    if (d.outcome === "admitted") {
      const request = d.sample!.messages[0]!.content;
      lines.push(`  ${options.dryRun ? "would admit" : "admitted"} ${where(d)} as ${d.sample!.id} [${d.sample!.meta.category}, request from ${d.sample!.meta.provenance?.request}]${options.dryRun ? `\n      ${request}` : ""}`);
    } else lines.push(`  ${d.outcome} ${where(d)}${d.detail ? `: ${d.detail}` : ""}`);
  }
  if (result.usage.requests > 0) lines.push("", `teacher (back-translation): ${formatUsage(result.usage)}`);
  if (result.teacherErrors.length > 0) lines.push(`  ${result.teacherErrors.length} requests unanswered, template used instead; first: ${result.teacherErrors[0]}`);
  return lines.join("\n");
}
