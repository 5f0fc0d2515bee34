import { existsSync, readFileSync } from "node:fs";
import { mkdir, readdir, rename, rm, writeFile } from "node:fs/promises";
import { basename, dirname, join, resolve } from "node:path";
import { toChatMLDocument } from "../chatml/chatml-text.js";
import { formatSamplesJsonl } from "../chatml/jsonl.js";
import { renderSystemPrompt } from "../chatml/system-prompt.js";
import type { FittedSystemPrompt } from "../chatml/prompt-budget.js";
import { DROP_REASONS, type ExportFormat, type ExportManifest } from "../schema/export.js";
import type { Message, Sample } from "../schema/sample.js";
import { checkpoint } from "../util/abort.js";
import { UserError, errorMessage } from "../util/errors.js";
import { sha256Hex } from "../util/hash.js";
import { PACKAGE_ROOT } from "../util/package-root.js";
import type { PreparedTrainingSet } from "./pipeline.js";
import { mulberry32, shuffled } from "../util/random.js";
import { staleEntries, tempPath } from "../util/stale-temp.js";

export const EXPORT_FILES: Record<ExportFormat, string> = { messages: "train.jsonl", chatml: "train.chatml.txt" };
export const MANIFEST_FILE = "manifest.json";

export interface WriteOptions {
  out: string;
  formats: readonly ExportFormat[];
  shuffle: boolean;
  seed: number;
  /** When the system prompt was fitted to a budget: recorded in the manifest. */
  systemPromptBudget?: Pick<FittedSystemPrompt, "budget" | "dropped">;
  /** A cancel before the new set is swapped in leaves the folder as it was. */
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
  const systemText = renderSystemPrompt(prepared.systemPrompt);
  return {
    tool: TOOL,
    corpusHash: corpusHash(prepared.decisions.map((d) => d.sample.sample)),
    systemPrompt: {
      id: prepared.systemPrompt.id,
      sha256: sha256Hex(systemText),
      rules: prepared.systemPrompt.rules.map((r) => r.id),
      tokens: prepared.tokenizer.encode(systemText).length,
      ...(options.systemPromptBudget ? { budget: { tokens: options.systemPromptBudget.budget, dropped: options.systemPromptBudget.dropped } } : {}),
    },
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

/** What an export folder holds: the only names a new set may replace. */
const SET_FILES = new Set([...Object.values(EXPORT_FILES), MANIFEST_FILE]);

/**
 * Put back what a killed export left: the previous set, moved aside just before the new one went in, returns
 * when nothing took its place; every other leftover of a dead export (a half-written set) goes.
 */
async function recoverExportSet(out: string): Promise<void> {
  const stale = (await staleEntries(dirname(out))).filter((e) => e.groups.target === basename(out) && e.groups.role !== undefined);
  for (const entry of stale) {
    if (entry.groups.role === "previous" && !existsSync(out)) await rename(entry.path, out);
    else await rm(entry.path, { recursive: true, force: true });
  }
}

/** An existing folder may be replaced only when it holds nothing but an earlier export. */
async function checkReplaceable(out: string): Promise<void> {
  let names: string[];
  try {
    names = await readdir(out);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") return;
    throw new UserError(`${out}: cannot use as the export folder: ${errorMessage(err)}`);
  }
  const foreign = names.filter((n) => !SET_FILES.has(n));
  if (foreign.length > 0) {
    throw new UserError(`${out} holds files that hew-corpus export did not write (${foreign.slice(0, 3).join(", ")}${foreign.length > 3 ? ", ..." : ""}): the export replaces the whole folder, so name an empty or new one`);
  }
}

/**
 * Write the shipped samples in each format and the manifest into a temp folder beside `out`, then swap it in
 * with two renames (the previous set aside, the new one in), so that a reader sees the old set or the new one,
 * never a mix; a run killed between the renames has its previous set put back by the next export. The output
 * depends only on the inputs and the seed: no timestamps, a seeded shuffle, canonical key order.
 */
export async function writeTrainingSet(prepared: PreparedTrainingSet, options: WriteOptions): Promise<ExportManifest> {
  const out = resolve(options.out);
  await mkdir(dirname(out), { recursive: true });
  await recoverExportSet(out);
  await checkReplaceable(out);
  const shipped = prepared.decisions.filter((d) => !d.dropped).map((d) => d.rendered.messages);
  const ordered = options.shuffle ? shuffled(shipped, mulberry32(options.seed)) : shipped;
  const next = tempPath(out, "next");
  const previous = tempPath(out, "previous");
  try {
    await mkdir(next);
    const files: ExportManifest["files"] = [];
    for (const format of options.formats) {
      await checkpoint(options.signal);
      const text = formatText(format, ordered);
      await writeFile(join(next, EXPORT_FILES[format]), text);
      files.push({ path: EXPORT_FILES[format], format, samples: ordered.length, sha256: sha256Hex(text) });
    }
    const manifest = exportManifest(prepared, options, files);
    await writeFile(join(next, MANIFEST_FILE), JSON.stringify(manifest, null, 2) + "\n");
    await checkpoint(options.signal, "write");
    const replacing = existsSync(out);
    if (replacing) await rename(out, previous);
    await rename(next, out);
    if (replacing) await rm(previous, { recursive: true, force: true });
    return manifest;
  } catch (err) {
    if (existsSync(previous) && !existsSync(out)) await rename(previous, out);
    await rm(next, { recursive: true, force: true });
    throw err;
  }
}
