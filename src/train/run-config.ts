import { existsSync, statSync } from "node:fs";
import { open } from "node:fs/promises";
import { dirname, resolve } from "node:path";
import { TrainConfigSchema, type TrainConfig } from "../schema/train.js";
import { UserError } from "../util/errors.js";
import { readTextFile } from "../util/read-text.js";
import { parseYamlText } from "../util/yaml-file.js";

export interface LoadedTrainConfig {
  /** Paths made absolute against the config file's folder. */
  config: TrainConfig;
  file: string;
}

/** `file:line: field:` for a top-level key of the config text, to point at a path that does not work. */
function where(file: string, text: string, key: string): string {
  const i = text.split("\n").findIndex((l) => new RegExp(`^${key}\\s*:`).test(l));
  return i < 0 ? `${file}: ${key}` : `${file}:${i + 1}: ${key}`;
}

async function checkGguf(path: string, at: string): Promise<void> {
  if (!existsSync(path)) throw new UserError(`${at}: model file not found: ${path} (expected a GGUF model)`);
  if (!statSync(path).isFile()) throw new UserError(`${at}: ${path} is not a file (expected a GGUF model)`);
  const handle = await open(path, "r");
  try {
    const { buffer, bytesRead } = await handle.read(Buffer.alloc(4), 0, 4, 0);
    if (bytesRead < 4 || buffer.toString("latin1") !== "GGUF") throw new UserError(`${at}: ${path} is not a GGUF file (expected a GGUF model)`);
  } finally {
    await handle.close();
  }
}

/** Read and check `run.yaml`: schema errors name file, line and field; the model and dataset must exist. */
export async function loadTrainConfig(file: string): Promise<LoadedTrainConfig> {
  const text = await readTextFile(file, "training config");
  const raw = parseYamlText(text, file, TrainConfigSchema.nullable());
  if (raw === null) throw new UserError(`${file}: the training config is empty (expected at least baseModel and dataset)`);
  const dir = dirname(resolve(file));
  const config: TrainConfig = {
    ...raw,
    baseModel: resolve(dir, raw.baseModel),
    dataset: resolve(dir, raw.dataset),
    ...(raw.outputDir ? { outputDir: resolve(dir, raw.outputDir) } : {}),
    ...(raw.registry ? { registry: resolve(dir, raw.registry) } : {}),
  };
  await checkGguf(config.baseModel, where(file, text, "baseModel"));
  if (!existsSync(config.dataset)) throw new UserError(`${where(file, text, "dataset")}: dataset not found: ${config.dataset} (expected the export's messages JSONL)`);
  return { config, file };
}
