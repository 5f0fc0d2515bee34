import type { Leak, LeakEvidence } from "./contamination.js";
import type { ClusterMember, DedupResult } from "./dedup.js";

const MATCH_WORDS: Record<ClusterMember["match"], string> = {
  kept: "kept",
  "same-sample": "same prompt and code",
  "same-code": "same code",
  near: "near",
};

function describeMember(m: ClusterMember): string {
  const how = m.match === "near" ? `near, Jaccard ${m.similarity.toFixed(2)}` : MATCH_WORDS[m.match];
  return `${m.file}:${m.line} [${m.id}] ${how}`;
}

export function describeEvidence(e: LeakEvidence): string {
  const part = e.kind.startsWith("prompt") ? "prompt" : "code";
  if ("text" in e) return `${part} shares "${e.text}"${e.count > 1 ? ` (+${e.count - 1} more runs)` : ""}`;
  return `${part} Jaccard ${e.jaccard.toFixed(2)}`;
}

/** Clusters with file:line of every member, then the eval leaks. */
export function formatDuplicates(result: DedupResult, leaks: readonly Leak[]): string {
  const lines: string[] = [];
  const exact = result.clusters.filter((c) => c.kind === "exact").length;
  lines.push(`duplicate clusters: ${result.clusters.length} (${exact} exact, ${result.clusters.length - exact} near); ${result.duplicateOf.size} samples to drop`);
  result.clusters.forEach((c, n) => {
    lines.push(`  cluster ${n + 1} (${c.kind}, ${c.members.length} samples):`);
    for (const m of c.members) lines.push(`    ${describeMember(m)}`);
  });
  const samples = new Set(leaks.map((l) => l.sampleId)).size;
  lines.push(`eval leaks: ${leaks.length} (${samples} training samples)`);
  for (const l of leaks) lines.push(`  ${l.file}:${l.line} [${l.sampleId}] leaks eval ${l.evalId}: ${l.evidence.map(describeEvidence).join("; ")}`);
  return lines.join("\n");
}

export function duplicatesJson(result: DedupResult, leaks: readonly Leak[]) {
  return { clusters: result.clusters, candidates: result.candidates, leaks };
}
