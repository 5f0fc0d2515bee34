import { existsSync, readFileSync, readdirSync } from "node:fs";
import { mkdir, rename, rm } from "node:fs/promises";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { PACKAGE_ROOT } from "../../util/package-root.js";
import { sha256Hex } from "../../util/hash.js";
import { UserError } from "../../util/errors.js";
import { git } from "../../util/git.js";

export const NATIVE_DIR = join(PACKAGE_ROOT, "native");
export const PATCH_DIR = join(NATIVE_DIR, "patches");

/** llama.cpp's source as node-llama-cpp ships it: one git bundle, pinned by the package version. */
export function llamaBundlePath(): string {
  // the package exports no package.json: walk up from its entry point
  let dir = dirname(fileURLToPath(import.meta.resolve("node-llama-cpp")));
  while (!existsSync(join(dir, "llama")) && dirname(dir) !== dir) dir = dirname(dir);
  const bundle = join(dir, "llama", "gitRelease.bundle");
  if (!existsSync(bundle)) throw new UserError(`node-llama-cpp does not ship llama.cpp's source (${bundle} is missing); reinstall dependencies`);
  return bundle;
}

export function patchFiles(): string[] {
  return readdirSync(PATCH_DIR)
    .filter((f) => f.endsWith(".patch"))
    .sort()
    .map((f) => join(PATCH_DIR, f));
}

export interface LlamaSource {
  /** The bundle's commit. */
  commit: string;
  /** sha256 over the patch files, in the order they are applied. */
  patchesHash: string;
}

export async function llamaSourceVersion(): Promise<LlamaSource> {
  const stdout = await git(["bundle", "list-heads", llamaBundlePath()]);
  const commit = stdout.trim().split(/\s+/)[0];
  if (!commit || !/^[0-9a-f]{40}$/.test(commit)) throw new Error(`unexpected output from git bundle list-heads: ${stdout}`);
  const patchesHash = sha256Hex(patchFiles().map((f) => readFileSync(f, "utf8")).join("\0"));
  return { commit, patchesHash };
}

/**
 * The patched llama.cpp tree under `cacheDir`, unpacked once per (commit, patches): cloned from the bundle and
 * patched in a temp folder, then renamed into place, so a half-prepared tree is never used.
 */
export async function preparedLlamaSource(cacheDir: string, version: LlamaSource): Promise<string> {
  const dir = join(cacheDir, `llama.cpp-${version.commit.slice(0, 12)}-${version.patchesHash.slice(0, 8)}`);
  if (existsSync(join(dir, "CMakeLists.txt"))) return dir;
  await mkdir(cacheDir, { recursive: true });
  const tmp = `${dir}.tmp-${process.pid}`;
  await rm(tmp, { recursive: true, force: true });
  try {
    await git(["clone", "--quiet", llamaBundlePath(), tmp]);
    for (const patch of patchFiles()) await git(["apply", "--whitespace=nowarn", patch], tmp);
    await rm(join(tmp, ".git"), { recursive: true, force: true });
    await rename(tmp, dir);
  } catch (err) {
    await rm(tmp, { recursive: true, force: true });
    if (existsSync(join(dir, "CMakeLists.txt"))) return dir; // another process finished first
    throw err;
  }
  return dir;
}
