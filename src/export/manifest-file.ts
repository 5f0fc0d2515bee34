import { ExportManifestSchema, type ExportManifest } from "../schema/export.js";
import { UserError, errorMessage, formatZodIssues } from "../util/errors.js";
import { sha256Hex } from "../util/hash.js";
import { readTextFile } from "../util/read-text.js";

/** The export's `manifest.json`, read and checked; a damaged one is named with what is wrong. */
export async function readExportManifest(file: string): Promise<ExportManifest> {
  const text = await readTextFile(file, "export manifest");
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new UserError(`${file}: invalid JSON: ${errorMessage(err)}`);
  }
  const parsed = ExportManifestSchema.safeParse(json);
  if (!parsed.success) throw new UserError(formatZodIssues(parsed.error.issues, { file }));
  return parsed.data;
}

/**
 * Throw unless `bytes` are what the manifest recorded for the file at `path` (its name in the export folder):
 * a file edited since the export, or a set read half old and half new, must not pass for what the manifest describes.
 */
export function verifyExportFile(manifest: ExportManifest, manifestFile: string, path: string, file: string, bytes: Uint8Array): void {
  const entry = manifest.files.find((f) => f.path === path);
  if (!entry) return;
  const actual = sha256Hex(bytes);
  if (actual !== entry.sha256) {
    throw new UserError(
      `${file} does not match ${manifestFile} (sha256 ${actual.slice(0, 12)}..., the manifest records ${entry.sha256.slice(0, 12)}...): ` +
        "it was edited or replaced since the export; run hew-corpus export again",
    );
  }
}
