import { existsSync, openAsBlob } from "node:fs";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import type { LocatedSample } from "../chatml/jsonl.js";
import { MANIFEST_FILE, corpusHash } from "../export/write.js";
import { composition } from "../report/composition.js";
import type { CompositionCell } from "../report/report-data.js";
import type { ExportManifest } from "../schema/export.js";
import { readExportManifest, verifyExportFile } from "../export/manifest-file.js";
import { UserError, errorMessage } from "../util/errors.js";
import type { HubFile } from "./transfer.js";

export interface ExportContents {
  dir: string;
  manifest: ExportManifest;
  /** The manifest and every file it lists, as they will be uploaded. */
  files: HubFile[];
}

/**
 * An export folder as `hew-corpus export` wrote it: its manifest, and the files the manifest lists, each
 * checked against the hash the manifest recorded, so that a file edited since the export is not published
 * under a card that describes something else.
 */
export async function readExport(dir: string): Promise<ExportContents> {
  const manifestFile = join(dir, MANIFEST_FILE);
  if (!existsSync(manifestFile)) throw new UserError(`${manifestFile}: no export manifest (run hew-corpus export first, or name the export folder with --export)`);
  const manifest = await readExportManifest(manifestFile);
  const files: HubFile[] = [];
  for (const entry of manifest.files) {
    const file = join(dir, entry.path);
    const bytes = await readFile(file).catch((err: unknown) => {
      throw new UserError(`${file}: listed in the export manifest but cannot be read: ${errorMessage(err)}`);
    });
    verifyExportFile(manifest, manifestFile, entry.path, file, bytes);
    files.push({ path: entry.path, content: await openAsBlob(file) });
  }
  files.push({ path: MANIFEST_FILE, content: await openAsBlob(manifestFile) });
  return { dir, manifest, files };
}

/**
 * What the exported samples are, by category and source: the corpus the export read, less the samples the
 * manifest lists as dropped. The corpus must be the one the export read (same hash), or the counts would lie.
 */
export function exportComposition(manifest: ExportManifest, corpus: readonly LocatedSample[]): CompositionCell[] {
  if (corpusHash(corpus.map((s) => s.sample)) !== manifest.corpusHash) {
    throw new UserError("the corpus changed since the export was written (its hash differs from the manifest's corpusHash): run hew-corpus export again");
  }
  const dropped = new Set(Object.values(manifest.dropped).flatMap((d) => d.samples.map((s) => s.id)));
  return composition(corpus.map((s) => s.sample).filter((s) => !dropped.has(s.id)));
}
