import { existsSync } from "node:fs";
import { readFile, realpath, rename, rm } from "node:fs/promises";
import { dirname, join, relative, resolve } from "node:path";
import { loadConfig } from "../config.js";
import { writeFileAtomic } from "../util/atomic-write.js";
import { UserError } from "../util/errors.js";
import { git } from "../util/git.js";
import { CHAINED_HOOK, HOOK_MARKER, renderHookScript, type HookCli } from "./hook-script.js";

export interface InstallHookOptions {
  cwd: string;
  /** Replace a pre-commit hook that hew-corpus did not write. */
  force?: boolean;
  /** Keep such a hook and run it before the hew-corpus check. */
  chain?: boolean;
  /** The command that started this process ([node, ...flags, script]), used when the project has no local install. */
  invokedAs?: string[];
}

export interface InstalledHook {
  file: string;
  cli: HookCli;
  /** Folder the hook validates from, relative to the repository top. */
  dir: string;
  /** What was there before: nothing, an earlier hew-corpus hook, or another hook now replaced or chained. */
  previous: "none" | "hew-corpus" | "replaced" | "chained";
}

interface HookPaths {
  top: string;
  hooksDir: string;
  file: string;
  chained: string;
}

async function hookPaths(cwd: string): Promise<HookPaths> {
  const top = (await git(["rev-parse", "--show-toplevel"], cwd)).trim();
  const hooksPath = (await git(["config", "--default", "", "core.hooksPath"], cwd)).trim();
  if (hooksPath) {
    throw new UserError(
      `git's core.hooksPath is set to ${hooksPath}: another tool (husky, for one) manages this repository's hooks. ` +
        "Add `hew-corpus validate --staged` to its pre-commit hook instead (docs/hook.md has snippets for husky, lefthook and pre-commit).",
    );
  }
  const hooksDir = resolve(cwd, (await git(["rev-parse", "--git-path", "hooks"], cwd)).trim());
  return { top, hooksDir, file: join(hooksDir, "pre-commit"), chained: join(hooksDir, CHAINED_HOOK) };
}

async function isOurs(file: string): Promise<boolean> {
  return (await readFile(file, "utf8")).includes(HOOK_MARKER);
}

/** The project's own `node_modules/.bin/hew-corpus` at or above `from` (up to the top), else the invoking command. */
async function resolveCli(from: string, top: string, invokedAs: string[]): Promise<HookCli> {
  for (let dir = from; ; dir = dirname(dir)) {
    const bin = join(dir, "node_modules", ".bin", "hew-corpus");
    if (existsSync(bin)) return { kind: "local", path: relative(top, bin) };
    if (dir === top || dirname(dir) === dir) break;
  }
  return { kind: "command", argv: invokedAs };
}

/**
 * Install the pre-commit hook. A hook that hew-corpus did not write is never lost: without `force` or `chain`
 * the install stops and says so; with `chain` the old hook is kept and runs first.
 */
export async function installHook(options: InstallHookOptions): Promise<InstalledHook> {
  const cwd = await realpath(options.cwd);
  const paths = await hookPaths(cwd);
  const top = await realpath(paths.top);
  // The hook validates from the folder of the corpus config, so that a corpus below the top is found.
  const root = await realpath((await loadConfig(cwd)).root);
  const dir = relative(top, root).startsWith("..") ? relative(top, cwd) || "." : relative(top, root) || ".";
  const cli = await resolveCli(root, top, options.invokedAs ?? [process.execPath, ...process.execArgv, process.argv[1] ?? ""]);

  let previous: InstalledHook["previous"] = "none";
  if (existsSync(paths.file)) {
    if (await isOurs(paths.file)) previous = "hew-corpus";
    else if (options.chain) {
      if (existsSync(paths.chained)) throw new UserError(`${paths.chained} already exists: move it away before chaining ${paths.file}`);
      await rename(paths.file, paths.chained);
      previous = "chained";
    } else if (options.force) previous = "replaced";
    else {
      throw new UserError(
        `${paths.file} already exists and was not written by hew-corpus: ` +
          "use --chain to keep it and run it before the hew-corpus check, or --force to replace it",
      );
    }
  }
  await writeFileAtomic(paths.file, renderHookScript({ cli, dir }), 0o755);
  return { file: paths.file, cli, dir, previous };
}

export interface UninstalledHook {
  file: string;
  /** A hook chained at install time, now back in place. */
  restored: boolean;
}

/** Remove the hew-corpus hook and put a chained hook back; any other hook is left alone. */
export async function uninstallHook(cwd: string): Promise<UninstalledHook> {
  const paths = await hookPaths(cwd);
  if (!existsSync(paths.file)) throw new UserError(`${paths.file}: no pre-commit hook installed`);
  if (!(await isOurs(paths.file))) throw new UserError(`${paths.file} was not written by hew-corpus: left as it is`);
  const restored = existsSync(paths.chained);
  if (restored) await rename(paths.chained, paths.file);
  else await rm(paths.file);
  return { file: paths.file, restored };
}
