import { existsSync, readdirSync } from "node:fs";
import { basename, dirname, extname, join, resolve } from "node:path";
import type { TrainConfig } from "../schema/train.js";
import { UserError } from "../util/errors.js";
import { checkpointDir } from "./checkpoint.js";

const ADAPTER = "adapter.gguf";

/** `20261204-193005`: sorts by time, and is a valid folder name everywhere. */
function stamp(date: Date): string {
  return date.toISOString().replace(/[-:]/g, "").replace("T", "-").slice(0, 15);
}

/**
 * The folder a run writes into. The config's `outputDir` is taken as given, but a finished adapter there is
 * never overwritten by a new run (the registry would keep the old adapter's hash). Without `outputDir`, each
 * run gets its own folder under runs/<config name>/, and `--resume` continues the newest unfinished one.
 */
export async function runFolder(config: TrainConfig, configFile: string, resume: boolean, now = new Date()): Promise<string> {
  if (config.outputDir) {
    if (!resume && existsSync(join(config.outputDir, ADAPTER))) {
      throw new UserError(
        `${config.outputDir} already holds the adapter of an earlier run; set another outputDir in ${configFile}, remove that folder, or leave outputDir out so that every run gets a folder of its own`,
      );
    }
    return config.outputDir;
  }
  const parent = join(dirname(resolve(configFile)), "runs", basename(configFile, extname(configFile)));
  if (!resume) return join(parent, stamp(now));
  const unfinished = (existsSync(parent) ? readdirSync(parent) : [])
    .sort()
    .reverse()
    .map((name) => join(parent, name))
    .find((dir) => existsSync(checkpointDir(dir)) && !existsSync(join(dir, ADAPTER)));
  if (!unfinished) throw new UserError(`nothing to resume: no unfinished run under ${parent} (a run that was stopped leaves a checkpoint/ folder there)`);
  return unfinished;
}
