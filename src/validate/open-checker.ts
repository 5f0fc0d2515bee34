import { existsSync } from "node:fs";
import { resolve } from "node:path";
import type { LoadedConfig } from "../config.js";
import { UserError } from "../util/errors.js";
import type { Checker } from "./checker.js";
import { cachedChecker } from "./cached-checker.js";
import { HewNotFoundError, resolveHewBinary, unavailableChecker } from "./hew-binary.js";
import { hewChecker } from "./hew-checker.js";
import { VerdictCache } from "./verdict-cache.js";
import { VerdictLock } from "./verdict-lock.js";

export interface OpenCheckerOptions {
  /** --hew: wins over HEW_BIN and the config. */
  hew?: string;
  /** hew processes at once; defaults to the config's, then the machine's available parallelism. */
  concurrency?: number;
  /** Use the on-disk verdict cache (default true). */
  cache?: boolean;
  /** A lock file to answer from; `false` for none; undefined uses the config's lock when it exists. */
  lock?: string | false;
}

export interface OpenedChecker {
  checker: Checker;
  cache?: VerdictCache;
  lock?: VerdictLock;
  lockFile?: string;
}

/** The checker every command uses: lock, then cache, then `hew check` (or "unchecked" when hew is missing). */
export async function openChecker({ config, root }: LoadedConfig, options: OpenCheckerOptions = {}): Promise<OpenedChecker> {
  let inner: Checker;
  try {
    // The flag and HEW_BIN are relative to where the user stands; the config's path to the config file.
    const fromCwd = (p: string | undefined) => (p && p.includes("/") ? resolve(p) : p || undefined);
    const bin = resolveHewBinary({ flag: fromCwd(options.hew), env: fromCwd(process.env.HEW_BIN), config: config.hew, cwd: root });
    inner = hewChecker({ bin, timeoutMs: config.timeoutMs, concurrency: options.concurrency ?? config.concurrency });
  } catch (err) {
    if (!(err instanceof HewNotFoundError)) throw err;
    inner = unavailableChecker(err);
  }
  const cache = options.cache === false ? undefined : new VerdictCache(resolve(root, config.cacheDir));
  let lock: VerdictLock | undefined;
  let lockFile: string | undefined;
  if (options.lock !== false) {
    lockFile = resolve(root, options.lock ?? config.lock);
    if (existsSync(lockFile)) lock = await VerdictLock.load(lockFile);
    else if (options.lock !== undefined) throw new UserError(`${options.lock}: verdict lock not found`);
  }
  return { checker: cachedChecker({ inner, cache, lock }), cache, lock, lockFile };
}
