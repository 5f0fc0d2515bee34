import { execFileSync } from "node:child_process";
import { cp } from "node:fs/promises";
import { join } from "node:path";
import { REPO_ROOT, tempDir } from "../helpers/fixtures.js";

export const FIXTURES = join(REPO_ROOT, "test", "fixtures", "ingest");

export function ingestStandInEnv(index: string): NodeJS.ProcessEnv {
  return { ...process.env, HEW_STANDIN_VERDICTS: join(FIXTURES, "verdicts.jsonl"), HEW_STANDIN_INDEX: index };
}

/** The fixture repository as a fresh git repository with one commit. */
export async function fixtureRepo(): Promise<{ dir: string; commit: string }> {
  const dir = join(await tempDir("hew-ingest-repo-"), "repo");
  await cp(join(FIXTURES, "repo"), dir, { recursive: true });
  const git = (...args: string[]) => execFileSync("git", args, { cwd: dir, encoding: "utf8", env: { ...process.env, GIT_AUTHOR_NAME: "t", GIT_AUTHOR_EMAIL: "t@example.com", GIT_COMMITTER_NAME: "t", GIT_COMMITTER_EMAIL: "t@example.com" } });
  git("init", "--quiet", "--initial-branch=main");
  git("add", ".");
  git("commit", "--quiet", "-m", "fixture programs");
  return { dir, commit: git("rev-parse", "HEAD").trim() };
}
