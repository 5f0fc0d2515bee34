import { existsSync } from "node:fs";
import { resolve } from "node:path";
import { HewNotFoundError, resolveHewBinary } from "../../src/validate/hew-binary.js";

/** The real compiler for integration tests: HEW_BIN, else `hew` on PATH; undefined when there is none. */
export function realHew(): string | undefined {
  const fromEnv = process.env.HEW_BIN;
  if (fromEnv) {
    const path = resolve(fromEnv);
    if (!existsSync(path)) throw new Error(`HEW_BIN=${fromEnv} does not exist`);
    return path;
  }
  try {
    return resolveHewBinary({});
  } catch (err) {
    if (err instanceof HewNotFoundError) return undefined;
    throw err;
  }
}

export const REAL_HEW = realHew();
export const SKIP_REASON = "no real hew: set HEW_BIN=/path/to/hew or put hew on PATH to run the integration tests";
if (!REAL_HEW) console.warn(`integration tests skipped: ${SKIP_REASON}`);
