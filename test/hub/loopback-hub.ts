import { createHash } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import { listenOnLoopback, readBody } from "../../support/loopback-server.js";

/**
 * A Hugging Face Hub on 127.0.0.1 that speaks the part of the Hub API that @huggingface/hub's createRepo,
 * uploadFiles (commit), listFiles and downloadFile call:
 *
 *   POST /api/repos/create                                   create a repository (409 when it exists)
 *   POST /api/{type}s/{ns}/{name}/preupload/{rev}            which files go to LFS
 *   POST /[{type}s/]{ns}/{name}.git/info/lfs/objects/batch   LFS batch: where to PUT each object ("basic")
 *   PUT  /lfs-objects/{oid}                                  the LFS upload itself (no token, like a signed URL)
 *   POST /api/{type}s/{ns}/{name}/commit/{rev}               NDJSON commit: header, file, lfsFile
 *   GET  /api/{type}s/{ns}/{name}/tree/{rev}[/{path}]        the file listing
 *   GET  /[{type}s/]{ns}/{name}/resolve/{rev}/{path}         file content, with Range support
 *
 * Xet is not offered: the LFS batch answers with the "basic" transfer, and the client falls back to it.
 */

export interface StoredFile {
  content: Buffer;
  lfs: boolean;
}

export interface HubRequest {
  method: string;
  path: string;
  authorization?: string;
}

export interface LoopbackHub {
  url: string;
  token: string;
  /** Repositories by `type/ns/name`, each a map of path to file. */
  repos: Map<string, Map<string, StoredFile>>;
  requests: HubRequest[];
  /** When set, every API call answers this status with a message that echoes the request's Authorization header. */
  failWith?: number;
  /** How that message echoes the header (a server may print it encoded); as is by default. */
  echo?: (authorization: string) => string;
  /** Raw JSON served with 200 for an API path instead of the real answer: a server that is not quite a Hub. */
  answers: Map<string, string>;
  /** Content served for a path instead of what was committed (a corrupted transfer). */
  corrupt: Map<string, Buffer>;
  close(): Promise<void>;
}

const LFS_MIN_SIZE = 10 * 1024 * 1024;

function json(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { "Content-Type": "application/json", ...headers });
  res.end(JSON.stringify(body));
}

function gitBlobId(content: Buffer): string {
  return createHash("sha1").update(`blob ${content.length}\0`).update(content).digest("hex");
}

const sha256 = (b: Buffer) => createHash("sha256").update(b).digest("hex");

/** `models/ns/name` or `datasets/ns/name` from the URL forms the Hub uses. */
function repoKey(type: string | undefined, ns: string, name: string): string {
  return `${type ?? "models"}/${ns}/${name}`;
}

export async function startLoopbackHub(token = "hf_loopbackTestToken0123456789"): Promise<LoopbackHub> {
  const repos = new Map<string, Map<string, StoredFile>>();
  const lfsObjects = new Map<string, Buffer>();
  const requests: HubRequest[] = [];
  let commits = 0;

  const hub: LoopbackHub = {
    url: "",
    token,
    repos,
    requests,
    corrupt: new Map(),
    answers: new Map(),
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };

  const authorized = (req: IncomingMessage) => req.headers.authorization === `Bearer ${token}`;

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? "/", hub.url);
    const path = decodeURIComponent(url.pathname);
    requests.push({ method: req.method ?? "", path, authorization: req.headers.authorization });
    let m: RegExpMatchArray | null;

    if (hub.failWith && !path.startsWith("/lfs-objects/")) {
      const sent = req.headers.authorization ?? "no credentials";
      return json(res, hub.failWith, { error: `refused: you sent ${hub.echo ? hub.echo(sent) : sent}` });
    }
    const answer = hub.answers.get(path);
    if (answer !== undefined) {
      res.writeHead(200, { "Content-Type": "application/json" });
      return void res.end(answer);
    }

    if (req.method === "POST" && path === "/api/repos/create") {
      if (!authorized(req)) return json(res, 401, { error: "Invalid credentials in Authorization header" });
      const body = JSON.parse((await readBody(req)).toString()) as { name: string; organization: string; type: string };
      const key = repoKey(`${body.type}s`, body.organization, body.name);
      if (repos.has(key)) return json(res, 409, { error: "You already created this repo", url: `${hub.url}/${key}` });
      repos.set(key, new Map());
      return json(res, 200, { url: `${hub.url}/${key}`, id: `${body.organization}/${body.name}` });
    }

    if (req.method === "POST" && (m = path.match(/^\/api\/(models|datasets)\/([^/]+)\/([^/]+)\/preupload\/([^/]+)$/))) {
      if (!authorized(req)) return json(res, 401, { error: "Invalid credentials in Authorization header" });
      const body = JSON.parse((await readBody(req)).toString()) as { files: { path: string; size: number; sample: string }[] };
      return json(res, 200, {
        files: body.files.map((f) => ({
          path: f.path,
          uploadMode: f.path.endsWith(".gguf") || f.size >= LFS_MIN_SIZE || Buffer.from(f.sample, "base64").includes(0) ? "lfs" : "regular",
        })),
      });
    }

    if (req.method === "POST" && (m = path.match(/^\/(?:(datasets)\/)?([^/]+)\/([^/]+)\.git\/info\/lfs\/objects\/batch$/))) {
      if (!authorized(req)) return json(res, 401, { message: "Invalid credentials" });
      const body = JSON.parse((await readBody(req)).toString()) as { objects: { oid: string; size: number }[] };
      return json(
        res,
        200,
        {
          transfer: "basic",
          objects: body.objects.map((o) =>
            lfsObjects.has(o.oid) ? { oid: o.oid, size: o.size } : { oid: o.oid, size: o.size, actions: { upload: { href: `${hub.url}/lfs-objects/${o.oid}` } } },
          ),
        },
        { "Content-Type": "application/vnd.git-lfs+json" },
      );
    }

    if (req.method === "PUT" && (m = path.match(/^\/lfs-objects\/([0-9a-f]{64})$/))) {
      const body = await readBody(req);
      if (sha256(body) !== m[1]) return json(res, 400, { error: "content does not match its oid" });
      lfsObjects.set(m[1]!, body);
      res.writeHead(200).end();
      return;
    }

    if (req.method === "POST" && (m = path.match(/^\/api\/(models|datasets)\/([^/]+)\/([^/]+)\/commit\/([^/]+)$/))) {
      if (!authorized(req)) return json(res, 401, { error: "Invalid credentials in Authorization header" });
      const files = repos.get(repoKey(m[1], m[2]!, m[3]!));
      if (!files) return json(res, 404, { error: "Repository not found" });
      const lines = (await readBody(req)).toString().split("\n").filter(Boolean);
      for (const line of lines) {
        const op = JSON.parse(line) as { key: string; value: { path: string; content?: string; oid?: string } };
        if (op.key === "file") files.set(op.value.path, { content: Buffer.from(op.value.content!, "base64"), lfs: false });
        else if (op.key === "lfsFile") {
          const content = lfsObjects.get(op.value.oid!);
          if (!content) return json(res, 422, { error: `LFS object ${op.value.oid} was never uploaded` });
          files.set(op.value.path, { content, lfs: true });
        } else if (op.key !== "header") return json(res, 400, { error: `unsupported operation ${op.key}` });
      }
      const oid = createHash("sha1").update(String(++commits)).digest("hex");
      return json(res, 200, { commitOid: oid, commitUrl: `${hub.url}/${m[1]}/${m[2]}/${m[3]}/commit/${oid}` });
    }

    if (req.method === "GET" && (m = path.match(/^\/api\/(models|datasets)\/([^/]+)\/([^/]+)\/tree\/([^/]+)(?:\/(.*))?$/))) {
      const files = repos.get(repoKey(m[1], m[2]!, m[3]!));
      if (!files) return json(res, 404, { error: "Repository not found" }, { "X-Error-Code": "RepoNotFound" });
      const under = m[5] ? `${m[5]}/` : "";
      return json(
        res,
        200,
        [...files]
          .filter(([p]) => p.startsWith(under))
          .map(([p, f]) => ({
            type: "file",
            path: p,
            size: f.content.length,
            oid: gitBlobId(f.lfs ? Buffer.from(`version https://git-lfs.github.com/spec/v1\noid sha256:${sha256(f.content)}\n`) : f.content),
            ...(f.lfs ? { lfs: { oid: sha256(f.content), size: f.content.length, pointerSize: 134 } } : {}),
          })),
      );
    }

    if (req.method === "GET" && (m = path.match(/^\/(?:(datasets)\/)?([^/]+)\/([^/]+)\/resolve\/([^/]+)\/(.+)$/))) {
      const stored = repos.get(repoKey(m[1], m[2]!, m[3]!))?.get(m[5]!);
      if (!stored) return json(res, 404, { error: "Entry not found" }, { "X-Error-Code": "EntryNotFound" });
      const file = { ...stored, content: hub.corrupt.get(m[5]!) ?? stored.content };
      const etag = `"${sha256(file.content)}"`;
      const range = req.headers.range?.match(/^bytes=(\d+)-(\d+)$/);
      if (range) {
        const start = Number(range[1]);
        const end = Math.min(Number(range[2]), file.content.length - 1);
        res.writeHead(206, { "Content-Range": `bytes ${start}-${end}/${file.content.length}`, ETag: etag, "Content-Type": "application/octet-stream" });
        res.end(file.content.subarray(start, end + 1));
      } else {
        res.writeHead(200, { "Content-Length": file.content.length, ETag: etag, "Content-Type": "application/octet-stream" });
        res.end(file.content);
      }
      return;
    }

    json(res, 404, { error: `the loopback hub does not serve ${req.method} ${path}` });
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => json(res, 500, { error: String(err) }));
  });
  hub.url = (await listenOnLoopback(server)).url;
  return hub;
}
