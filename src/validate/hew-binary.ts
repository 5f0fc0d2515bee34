import { accessSync, constants, statSync } from "node:fs";
import { delimiter, isAbsolute, join, resolve } from "node:path";
import { UserError } from "../util/errors.js";
import type { Checker } from "./checker.js";

export class HewNotFoundError extends UserError {
  constructor(readonly bin: string, detail: string) {
    super(
      `hew not found (${detail}). Install Hew from https://github.com/hew-lang/hew and put \`hew\` on PATH, ` +
        `or point at it with --hew PATH, HEW_BIN=PATH or \`hew:\` in hew-corpus.config.yaml.`,
    );
  }
}

function isExecutableFile(path: string): boolean {
  try {
    if (!statSync(path).isFile()) return false;
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/**
 * The hew binary to run: an explicit choice (flag, then HEW_BIN, then config) wins; a bare name is
 * looked up on PATH. Throws HewNotFoundError with one clear line when there is none.
 */
export function resolveHewBinary(choice: { flag?: string; env?: string; config?: string; cwd?: string }): string {
  const wanted = choice.flag ?? (choice.env || undefined) ?? choice.config ?? "hew";
  const cwd = choice.cwd ?? process.cwd();
  if (wanted.includes("/")) {
    const path = isAbsolute(wanted) ? wanted : resolve(cwd, wanted);
    if (!isExecutableFile(path)) throw new HewNotFoundError(wanted, `${path} is not an executable file`);
    return path;
  }
  for (const dir of (process.env.PATH ?? "").split(delimiter)) {
    if (!dir) continue;
    const path = join(dir, wanted);
    if (isExecutableFile(path)) return path;
  }
  throw new HewNotFoundError(wanted, `no \`${wanted}\` on PATH`);
}

/** Stands in for the hew checker when there is none: every lock miss becomes "unchecked" with the reason. */
export function unavailableChecker(error: HewNotFoundError): Checker {
  return {
    identify: () => Promise.reject(error),
    check: () => Promise.reject(error),
  };
}
