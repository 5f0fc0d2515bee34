import { existsSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { CONFIG_FILE, ConfigSchema, type Config } from "./schema/config.js";
import { UserError } from "./util/errors.js";
import { readYamlFile } from "./util/yaml-file.js";

export interface LoadedConfig {
  config: Config;
  /** Folder that relative paths in the config are resolved against. */
  root: string;
  /** The file it came from, or undefined when defaults were used. */
  file?: string;
}

/** Nearest hew-corpus.config.yaml at or above `cwd`. */
export function findConfigFile(cwd: string): string | undefined {
  for (let dir = resolve(cwd); ; dir = dirname(dir)) {
    const candidate = join(dir, CONFIG_FILE);
    if (existsSync(candidate)) return candidate;
    if (dirname(dir) === dir) return undefined;
  }
}

/** The explicit file, else the nearest one, else the defaults rooted at `cwd`. */
export async function loadConfig(cwd = process.cwd(), explicit?: string): Promise<LoadedConfig> {
  if (explicit) {
    const file = resolve(cwd, explicit);
    if (!existsSync(file)) throw new UserError(`${explicit}: config file not found`);
    return { config: await readYamlFile(file, ConfigSchema), root: dirname(file), file };
  }
  const file = findConfigFile(cwd);
  if (!file) return { config: ConfigSchema.parse({}), root: resolve(cwd) };
  return { config: await readYamlFile(file, ConfigSchema.nullable().transform((c) => c ?? ConfigSchema.parse({}))), root: dirname(file), file };
}

/** Said before a default corpus glob that matches nothing: without a config file, the defaults were guessed. */
export function noConfigNote(loaded: LoadedConfig): string | undefined {
  return loaded.file ? undefined : `no ${CONFIG_FILE} in ${loaded.root} or any folder above it, so the default corpus was looked for (\`hew-corpus init\` writes a config)`;
}
