import { existsSync } from "node:fs";
import { readFile, rename, rm } from "node:fs/promises";
import { join } from "node:path";
import { z } from "zod";
import { UserError } from "../util/errors.js";
import { writeFileAtomic } from "../util/atomic-write.js";

export const CheckpointStateSchema = z.strictObject({
  version: z.literal(1),
  fingerprint: z.string(),
  epochsDone: z.number().int().min(0),
  step: z.number().int().min(0),
  losses: z.array(z.strictObject({ epoch: z.number().int(), train: z.number(), validation: z.number().nullable() })),
  initialValidationLoss: z.number().nullable(),
});
export type CheckpointState = z.infer<typeof CheckpointStateSchema>;

export function checkpointDir(outputDir: string): string {
  return join(outputDir, "checkpoint");
}

export function checkpointAdapter(outputDir: string): string {
  return join(checkpointDir(outputDir), "adapter.gguf");
}

/** The checkpoint to resume from, or undefined when there is none; one made for another job is refused. */
export async function readCheckpoint(outputDir: string, fingerprint: string): Promise<CheckpointState | undefined> {
  const file = join(checkpointDir(outputDir), "state.json");
  if (!existsSync(file) || !existsSync(checkpointAdapter(outputDir))) return undefined;
  const parsed = CheckpointStateSchema.safeParse(JSON.parse(await readFile(file, "utf8")));
  if (!parsed.success) throw new UserError(`${file}: not a checkpoint this version of hew-corpus can resume; delete ${checkpointDir(outputDir)} to start over`);
  if (parsed.data.fingerprint !== fingerprint) {
    throw new UserError(`${checkpointDir(outputDir)} was made with another dataset or training settings; delete it to start over, or run without --resume`);
  }
  return parsed.data;
}

/**
 * Save adapter then state, each atomically: the state names an epoch only once its adapter is on disk, so an
 * interrupted save leaves the previous checkpoint usable.
 */
export async function writeCheckpoint(outputDir: string, state: CheckpointState, saveAdapter: (path: string) => void): Promise<void> {
  await replaceWith(checkpointAdapter(outputDir), saveAdapter);
  await writeFileAtomic(join(checkpointDir(outputDir), "state.json"), JSON.stringify(state, null, 2) + "\n");
}

/** Let `write` produce a file at a temp path beside `target`, then rename it over `target`. */
export async function replaceWith(target: string, write: (path: string) => void): Promise<void> {
  const tmp = `${target}.tmp-${process.pid}`;
  try {
    await writeFileAtomic(tmp, ""); // creates the folder
    write(tmp);
    await rename(tmp, target);
  } catch (err) {
    await rm(tmp, { force: true });
    throw err;
  }
}
