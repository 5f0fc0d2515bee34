import { createHash } from "node:crypto";
import { resolve, sep } from "node:path";
import { HubApiError, createRepo, downloadFile, listFiles, uploadFiles, type RepoId } from "@huggingface/hub";
import { writeStreamAtomic } from "../util/atomic-write.js";
import { UserError } from "../util/errors.js";
import { NO_TOKEN, hubFailure, recordAnswers, type HubConnection } from "./connection.js";

export interface HubFile {
  /** Path inside the repository. */
  path: string;
  content: Blob;
}

export interface PushResult {
  repo: RepoId;
  commitUrl: string;
  created: boolean;
}

export function repoUrl(connection: HubConnection, repo: RepoId): string {
  return `${connection.hubUrl}/${repo.type === "model" ? "" : `${repo.type}s/`}${repo.name}`;
}

/** Create the repository when it does not exist yet (private if asked), then upload every file in one commit. */
export async function pushFiles(connection: HubConnection, repo: RepoId, files: readonly HubFile[], title: string, options: { private?: boolean } = {}): Promise<PushResult> {
  const { hubUrl, accessToken } = connection;
  if (!accessToken) throw new UserError(NO_TOKEN);
  const answers = recordAnswers();
  let created = true;
  try {
    await createRepo({ repo, hubUrl, accessToken, fetch: answers.fetch, ...(options.private ? { private: true } : {}) });
  } catch (err) {
    // 409: the repository is there already, which is the usual case from the second push on.
    if (!(err instanceof HubApiError && err.statusCode === 409)) throw hubFailure(err, `creating ${repo.type} ${repo.name}`, connection, await answers.last());
    created = false;
  }
  try {
    const out = await uploadFiles({ repo, hubUrl, accessToken, fetch: answers.fetch, files: [...files], commitTitle: title });
    return { repo, commitUrl: out?.commit.url ?? repoUrl(connection, repo), created };
  } catch (err) {
    throw hubFailure(err, `uploading to ${repo.type} ${repo.name}`, connection, await answers.last());
  }
}

export interface PulledFile {
  path: string;
  file: string;
  size: number;
}

/** The id git gives a file's content: what the Hub lists as `oid` for a file not stored in LFS. */
function gitBlobHash(size: number) {
  return createHash("sha1").update(`blob ${size}\0`);
}

/**
 * Download every file of a repository into `outDir`, each written atomically and checked against the hash
 * the Hub lists for it (sha256 for LFS files, the git blob id for the others).
 */
export async function pullFiles(connection: HubConnection, repo: RepoId, outDir: string, revision = "main"): Promise<PulledFile[]> {
  const { hubUrl, accessToken } = connection;
  const what = `downloading ${repo.type} ${repo.name}`;
  const pulled: PulledFile[] = [];
  const answers = recordAnswers();
  try {
    for await (const entry of listFiles({ repo, hubUrl, accessToken, revision, recursive: true, fetch: answers.fetch })) {
      if (entry.type !== "file") continue;
      const file = resolve(outDir, entry.path);
      if (!file.startsWith(resolve(outDir) + sep)) throw new UserError(`${what}: the Hub listed a file outside the repository: ${entry.path}`);
      const blob = await downloadFile({ repo, path: entry.path, revision, hubUrl, accessToken, fetch: answers.fetch });
      if (!blob) throw new UserError(`${what}: ${entry.path} is listed but cannot be downloaded`);
      const expected = entry.lfs ? entry.lfs.oid : entry.oid;
      const hash = entry.lfs ? createHash("sha256") : gitBlobHash(blob.size);
      let size = 0;
      async function* counted() {
        for await (const chunk of blob!.stream()) {
          hash.update(chunk);
          size += chunk.length;
          yield chunk;
        }
      }
      await writeStreamAtomic(file, counted(), () => {
        const actual = hash.digest("hex");
        if (expected && actual !== expected) throw new UserError(`${what}: ${entry.path} arrived corrupted (hash ${actual}, the Hub lists ${expected})`);
      });
      pulled.push({ path: entry.path, file, size });
    }
  } catch (err) {
    if (err instanceof UserError) throw err;
    throw hubFailure(err, what, connection, await answers.last());
  }
  if (pulled.length === 0) throw new UserError(`${what}: the repository has no files`);
  return pulled;
}
