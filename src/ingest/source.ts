import { existsSync, statSync } from "node:fs";
import { mkdtemp, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { UserError } from "../util/errors.js";
import { git } from "../util/git.js";

export interface OpenedSource {
  /** The folder the programs are read from. */
  dir: string;
  /** How provenance names the source: the URL, or the path as given. */
  label: string;
  /** The commit read; `-dirty` is appended when a local work tree has uncommitted changes. */
  commit?: string;
  /** The licence file at the source's root, by name. */
  licence?: string;
  /** Remove the clone, if one was made. */
  close(): Promise<void>;
}

const REMOTE = /^(?:[a-z][a-z0-9+.-]*:\/\/|git@[^:]+:)/i;
const LICENCE_FILE = /^(?:licen[cs]e|copying|unlicense)(?:[.-].*)?$/i;

export function isRemoteSource(source: string): boolean {
  return REMOTE.test(source);
}

async function findLicence(dir: string): Promise<string | undefined> {
  return (await readdir(dir)).filter((n) => LICENCE_FILE.test(n)).sort()[0];
}

async function workTreeCommit(dir: string): Promise<string | undefined> {
  try {
    if ((await git(["rev-parse", "--is-inside-work-tree"], dir)).trim() !== "true") return undefined;
  } catch {
    // Not a repository: a plain folder has no commit to record.
    return undefined;
  }
  const head = (await git(["rev-parse", "HEAD"], dir)).trim();
  const dirty = (await git(["status", "--porcelain", "--", "."], dir)).trim() !== "";
  return dirty ? `${head}-dirty` : head;
}

/** A folder as it is, or a repository URL cloned shallow (one commit) into a temp folder. */
export async function openSource(source: string, cwd = process.cwd()): Promise<OpenedSource> {
  if (isRemoteSource(source)) {
    const dir = await mkdtemp(join(tmpdir(), "hew-corpus-ingest-"));
    try {
      await git(["clone", "--depth", "1", "--quiet", "--", source, dir]);
      return { dir, label: source, commit: (await git(["rev-parse", "HEAD"], dir)).trim(), licence: await findLicence(dir), close: () => rm(dir, { recursive: true, force: true }) };
    } catch (err) {
      await rm(dir, { recursive: true, force: true });
      throw err;
    }
  }
  const dir = resolve(cwd, source);
  if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new UserError(`${source}: not a folder or a repository URL`);
  return { dir, label: source, commit: await workTreeCommit(dir), licence: await findLicence(dir), close: async () => {} };
}
