import type { LocatedSample } from "../chatml/jsonl.js";
import type { KeepCriterion } from "../schema/dedup.js";
import { jaccard } from "./hashing.js";
import { chooseKept, type KeepContext } from "./keep-policy.js";
import { signatureOf, type Fingerprint } from "./fingerprint.js";
import { findSimilarPairs } from "./similar-pairs.js";
import { UnionFind } from "./union-find.js";

/** How a cluster member relates to the sample the cluster keeps. */
export type DuplicateMatch = "kept" | "same-sample" | "same-code" | "near";

export interface ClusterMember {
  id: string;
  file: string;
  line: number;
  match: DuplicateMatch;
  /** Jaccard similarity of its code shingles to the kept sample's (1 for identical code). */
  similarity: number;
}

export interface DuplicateCluster {
  /** `exact`: every member has the kept sample's normalised code; `near`: some only resemble it. */
  kind: "exact" | "near";
  kept: ClusterMember;
  /** The kept sample first, then the rest in corpus order. */
  members: ClusterMember[];
}

export interface DedupResult {
  clusters: DuplicateCluster[];
  /** Each sample a cluster drops, with the id of the sample kept in its place. */
  duplicateOf: Map<string, string>;
  /** Pairs LSH proposed and the exact shingle sets then judged. */
  candidates: number;
}

export interface DedupOptions extends KeepContext {
  threshold: number;
  keep: readonly KeepCriterion[];
  onProgress?: (done: number, total: number) => void;
}

/**
 * Exact duplicates (same normalised code, or same normalised prompt and code) and near-duplicates
 * (code shingles with Jaccard >= threshold) of a corpus, as clusters with one sample kept in each.
 * `fingerprints[i]` belongs to `samples[i]`.
 */
export function dedupSamples(samples: readonly LocatedSample[], fingerprints: readonly Fingerprint[], options: DedupOptions): DedupResult {
  const links = new UnionFind(samples.length);
  const firstWith = new Map<string, number>();
  const linkByKey = (key: string | undefined, i: number) => {
    if (key === undefined) return;
    const first = firstWith.get(key);
    if (first === undefined) firstWith.set(key, i);
    else links.union(first, i);
  };
  fingerprints.forEach((fp, i) => {
    linkByKey(fp.codeHash === undefined ? undefined : `code:${fp.codeHash}`, i);
    linkByKey(`sample:${fp.sampleHash}`, i);
  });

  // A sample whose code repeats an earlier one's is already linked; leaving it out keeps LSH buckets small.
  const sets = fingerprints.map((fp, i) => (fp.codeHash !== undefined && firstWith.get(`code:${fp.codeHash}`) !== i ? new Uint32Array(0) : fp.codeShingles));
  const similar = findSimilarPairs(sets, {
    threshold: options.threshold,
    signature: (i) => signatureOf(fingerprints[i]!, "code"),
    onProgress: options.onProgress,
  });
  for (const pair of similar.pairs) links.union(pair.a, pair.b);

  const clusters: DuplicateCluster[] = [];
  const duplicateOf = new Map<string, string>();
  for (const group of links.groups()) {
    const kept = chooseKept(
      group.map((i) => samples[i]!),
      options.keep,
      options,
    );
    const keptIndex = group.find((i) => samples[i] === kept)!;
    const keptFp = fingerprints[keptIndex]!;
    const member = (i: number): ClusterMember => {
      const fp = fingerprints[i]!;
      const { sample, file, line } = samples[i]!;
      const match: DuplicateMatch =
        i === keptIndex ? "kept" : fp.sampleHash === keptFp.sampleHash ? "same-sample" : fp.codeHash !== undefined && fp.codeHash === keptFp.codeHash ? "same-code" : "near";
      const similarity = match === "near" ? jaccard(fp.codeShingles, keptFp.codeShingles) : 1;
      return { id: sample.id, file, line, match, similarity };
    };
    const members = [keptIndex, ...group.filter((i) => i !== keptIndex)].map(member);
    for (const m of members.slice(1)) duplicateOf.set(m.id, members[0]!.id);
    clusters.push({ kind: members.every((m) => m.match !== "near") ? "exact" : "near", kept: members[0]!, members });
  }
  return { clusters, duplicateOf, candidates: similar.candidates };
}
