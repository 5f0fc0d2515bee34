import { ExportManifestSchema, type ExportManifest } from "../schema/export.js";
import { UserError, errorMessage, formatZodIssues } from "../util/errors.js";
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
