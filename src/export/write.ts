import { readFileSync } from "node:fs";
import { join } from "node:path";
import { toChatMLDocument } from "../chatml/chatml-text.js";
import { formatSamplesJsonl } from "../chatml/jsonl.js";
import { renderSystemPrompt } from "../chatml/system-prompt.js";
import { DROP_REASONS, type ExportFormat, type ExportManifest } from "../schema/export.js";
import type { Message, Sample } from "../schema/sample.js";
import { checkpoint } from "../util/abort.js";
import { writeFileAtomic } from "../util/atomic-write.js";
import { sha256Hex } from "../util/hash.js";
import { PACKAGE_ROOT } from "../util/package-root.js";
import type { PreparedTrainingSet } from "./pipeline.js";
import { mulberry32, shuffled } from "../util/random.js";

export const EXPORT_FILES: Record<ExportFormat, string> = { messages: "train.jsonl", chatml: "train.chatml.txt" };
export const MANIFEST_FILE = "manifest.json";

export interface WriteOptions {
  out: string;
  formats: readonly ExportFormat[];
  shuffle: boolean;
  seed: number;
  /** A cancel before the first file is renamed into place leaves the folder as it was. */
  signal?: AbortSignal;
}

const TOOL = `hew-corpus ${(JSON.parse(readFileSync(join(PACKAGE_ROOT, "package.json"), "utf8")) as { version: string }).version}`;

function formatText(format: ExportFormat, conversations: readonly Message[][]): string {
  if (format === "chatml") return toChatMLDocument(conversations);
  return conversations.map((messages) => JSON.stringify({ messages: messages.map(({ role, content }) => ({ role, content })) }) + "\n").join("");
}

/** sha256 of a corpus as canonical sample JSONL in corpus order: the manifest's `corpusHash`. */
export function corpusHash(samples: readonly Sample[]): string {
  return sha256Hex(formatSamplesJsonl(samples));
}

/** The manifest of a prepared training set, given the files its samples were written to. */
export function exportManifest(prepared: PreparedTrainingSet, options: WriteOptions, files: ExportManifest["files"]): ExportManifest {
  const shipped = prepared.decisions.filter((d) => !d.dropped);
  const shippedIds = new Set(shipped.map((d) => d.sample.sample.id));
  const compilers = new Map<string, ExportManifest["compilers"][number]>();
  for (const r of prepared.validation) {
    if (!shippedIds.has(r.sample.sample.id)) continue;
    for (const b of r.blocks) {
      const { name, version } = b.verdict!.checker;
      const entry = compilers.get(`${name}\0${version}`) ?? { name, version, blocks: 0 };
      entry.blocks++;
      compilers.set(`${name}\0${version}`, entry);
    }
  }
  const dropped = Object.fromEntries(
    DROP_REASONS.map((reason) => {
      const samples = prepared.decisions.filter((d) => d.dropped?.reason === reason).map((d) => ({ id: d.sample.sample.id, detail: d.dropped!.detail }));
      return [reason, { count: samples.length, samples }];
    }),
  ) as ExportManifest["dropped"];
  return {
    tool: TOOL,
    corpusHash: corpusHash(prepared.decisions.map((d) => d.sample.sample)),
    systemPrompt: { id: prepared.systemPrompt.id, sha256: sha256Hex(renderSystemPrompt(prepared.systemPrompt)) },
    tokenizer: { name: prepared.tokenizer.name, chatTemplateSha256: prepared.tokenizer.chatTemplateSha256, maxSeqLen: prepared.maxSeqLen },
    compilers: [...compilers.values()].sort((a, b) => a.name.localeCompare(b.name) || a.version.localeCompare(b.version)),
    shuffle: options.shuffle,
    seed: options.seed,
    funnel: prepared.funnel,
    tokens: { total: shipped.reduce((n, d) => n + d.tokens, 0), max: shipped.reduce((n, d) => Math.max(n, d.tokens), 0) },
    dropped,
    files,
  };
}

/**
 * Write the shipped samples in each format, then the manifest, each file atomically. The output depends
 * only on the inputs and the seed: no timestamps, a seeded shuffle, canonical key order.
 */
export async function writeTrainingSet(prepared: PreparedTrainingSet, options: WriteOptions): Promise<ExportManifest> {
  const shipped = prepared.decisions.filter((d) => !d.dropped).map((d) => d.rendered.messages);
  const ordered = options.shuffle ? shuffled(shipped, mulberry32(options.seed)) : shipped;
  const texts: { format: ExportFormat; text: string }[] = [];
  for (const format of options.formats) {
    await checkpoint(options.signal);
    texts.push({ format, text: formatText(format, ordered) });
  }
  const files: ExportManifest["files"] = texts.map(({ format, text }) => ({ path: EXPORT_FILES[format], format, samples: ordered.length, sha256: sha256Hex(text) }));
  const manifest = exportManifest(prepared, options, files);
  await checkpoint(options.signal, "write");
  for (const { format, text } of texts) await writeFileAtomic(join(options.out, EXPORT_FILES[format]), text);
  await writeFileAtomic(join(options.out, MANIFEST_FILE), JSON.stringify(manifest, null, 2) + "\n");
  return manifest;
}
