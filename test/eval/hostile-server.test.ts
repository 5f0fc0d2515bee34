import { createServer, type Server } from "node:http";
import { listenOnLoopback } from "../../support/loopback-server.js";
import { join } from "node:path";
import { createGzip } from "node:zlib";
import { afterEach, describe, expect, it } from "vitest";
import { evaluateModel } from "../../src/eval/evaluate.js";
import { httpModelClient } from "../../src/eval/http-client.js";
import { readEvalRun } from "../../src/eval/run-file.js";
import type { EvalPrompt } from "../../src/schema/eval.js";
import { completion, startFakeLlamaServer, type FakeLlamaServer } from "./fake-llama-server.js";
import { evalProject } from "./project.js";

const messages = [{ role: "user" as const, content: "Write a main." }];
const sampling = { temperature: 0, maxTokens: 64 };
const MiB = 1024 * 1024;

let closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  await Promise.all(closers.map((c) => c()));
  closers = [];
});

async function listen(server: Server): Promise<string> {
  const listening = await listenOnLoopback(server);
  closers.push(listening.close);
  return listening.url;
}

async function fake(...args: Parameters<typeof startFakeLlamaServer>): Promise<FakeLlamaServer> {
  const server = await startFakeLlamaServer(...args);
  closers.push(() => server.close());
  return server;
}

/** Gzip of zeros streamed until the client hangs up: ~1 KB on the wire per MiB it decodes to, up to `mib`. */
function gzipBomb(mib: number): Server {
  return createServer((req, res) => {
    req.resume();
    res.writeHead(200, { "content-type": "application/json", "content-encoding": "gzip" });
    const gzip = createGzip({ level: 1 });
    gzip.pipe(res);
    gzip.write('{"choices":[{"message":{"content":"');
    const zeros = Buffer.alloc(MiB, 0x30);
    let sent = 0;
    const more = () => {
      while (sent < mib && !res.destroyed) {
        sent++;
        if (!gzip.write(zeros)) return void gzip.once("drain", more);
      }
      gzip.end('"}}]}');
    };
    res.on("close", () => gzip.destroy());
    more();
  });
}

describe("a hostile or broken model server", () => {
  it("stops reading an oversized answer at the byte limit and makes it that answer's model error", async () => {
    const server = await fake(() => completion("x".repeat(6 * MiB)));
    const client = httpModelClient({ url: server.url, model: "m", sampling, timeoutMs: 20_000, retries: 2, maxResponseBytes: 4 * MiB });
    const err = await client.complete(messages, { seed: 0 }).catch((e: unknown) => e);
    expect(err).toMatchObject({ retryable: false, attempts: 1, message: expect.stringMatching(/answered with over 4194304 bytes/) });
  });

  it("bounds a gzip bomb by its decoded size, in bytes and in memory", async () => {
    const url = await listen(gzipBomb(2048));
    const client = httpModelClient({ url, model: "m", sampling, timeoutMs: 60_000, retries: 0, maxResponseBytes: 4 * MiB });
    const before = process.memoryUsage().rss;
    const err = await client.complete(messages, { seed: 0 }).catch((e: unknown) => e);
    expect((err as Error).message).toMatch(/answered with over 4194304 bytes/);
    // 2 GiB decoded would be read in full without the bound; with it, a few MiB of buffers
    expect(process.memoryUsage().rss - before).toBeLessThan(200 * MiB);
  });

  it("does not follow a redirect to another origin, and names both", async () => {
    const other = await fake(() => completion("fn main() {}"));
    const first = await fake(() => ({ status: 307, headers: { location: `${other.url}/v1/chat/completions` } }));
    const client = httpModelClient({ url: first.url, model: "m", sampling, timeoutMs: 5000, retries: 2 });
    const err = await client.complete(messages, { seed: 0 }).catch((e: unknown) => e);
    expect(err).toMatchObject({ retryable: false, message: expect.stringContaining(`redirected to ${other.url}/v1/chat/completions: not followed`) });
    expect(other.requests).toHaveLength(0);
  });

  it("follows a redirect within the server's own origin", async () => {
    const url = await listen(
      createServer((req, res) => {
        req.resume();
        if (req.url === "/v1/chat/completions") return void res.writeHead(307, { location: "/moved/chat/completions" }).end();
        res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(completion("fn main() {}").json));
      }),
    );
    const client = httpModelClient({ url, model: "m", sampling, timeoutMs: 5000, retries: 0 });
    expect(await client.complete(messages, { seed: 0 })).toMatchObject({ content: "fn main() {}" });
  });

  it("never prints the API key a server echoes back, in any common encoding", async () => {
    const key = "sk-Secret-Token-123456";
    const server = await fake(() => ({
      status: 400,
      json: {
        error: {
          message: `bad request; headers: authorization=Bearer ${key} b64=${Buffer.from(`Bearer ${key}`).toString("base64").toLowerCase()} raw=${Buffer.from(key).toString("base64")} url=${encodeURIComponent(key)}`,
        },
      },
    }));
    const client = httpModelClient({ url: server.url, model: "m", sampling, timeoutMs: 5000, retries: 0, apiKey: key });
    const err = (await client.complete(messages, { seed: 0 }).catch((e: unknown) => e)) as Error;
    expect(err.message).toMatch(/HTTP 400/);
    for (const form of [key, key.toLowerCase(), Buffer.from(`Bearer ${key}`).toString("base64").slice(0, 20), Buffer.from(key).toString("base64").slice(0, 20)]) {
      expect(err.message.toLowerCase()).not.toContain(form.toLowerCase());
    }
  });
});

describe("eval against a hostile server", () => {
  const PROMPTS: EvalPrompt[] = ["huge", "bomb", "fine"].map((id) => ({ id: `actors-${id}`, category: "actors", prompt: id, reference: "fn main() {}" }));

  it("keeps the run file, with each oversized answer a model error that says why, and memory bounded", async () => {
    const bomb = gzipBomb(1024);
    const url = await listen(
      createServer((req, res) => {
        let body = "";
        req.on("data", (c: Buffer) => (body += c.toString()));
        req.on("end", () => {
          if (req.method === "GET") return void res.writeHead(404).end();
          const prompt = (JSON.parse(body) as { messages: { content: string }[] }).messages.at(-1)!.content;
          if (prompt === "bomb") return void bomb.emit("request", req, res);
          const content = prompt === "huge" ? "y".repeat(50 * MiB) : "```hew\nfn main() {}\n```";
          res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(completion(content).json));
        });
      }),
    );
    const dir = await evalProject(PROMPTS, { config: { eval: { maxResponseBytes: 4 * MiB, retries: 0 } } });
    const before = process.memoryUsage().rss;
    const { summary, file } = await evaluateModel({ cwd: dir, model: { kind: "http", url, model: "m" }, runId: "hostile" });
    // 50 MiB plus 1 GiB decoded would be held without the bound (and 50 MB answers once crashed the run's writer)
    expect(process.memoryUsage().rss - before).toBeLessThan(300 * MiB);
    expect(file).toBe(join(dir, "runs", "eval", "hostile.jsonl"));
    const run = await readEvalRun(file!);
    expect(run.answers).toHaveLength(3);
    const byId = (id: string) => run.answers.find((a) => a.promptId === id)!;
    expect(byId("actors-huge")).toMatchObject({ outcome: "model-error", raw: "", error: expect.stringMatching(/over 4194304 bytes/) });
    expect(byId("actors-bomb")).toMatchObject({ outcome: "model-error", error: expect.stringMatching(/over 4194304 bytes/) });
    expect(byId("actors-fine").outcome).not.toBe("model-error");
    expect(summary.outcomes["model-error"]).toBe(2);
    expect(summary.firstErrors[0]).toMatchObject({ outcome: "model-error", error: expect.stringMatching(/over 4194304 bytes/) });
  });

  it("cuts a long answer that fits the byte limit at maxAnswerChars, flags it and counts it a model error", async () => {
    const server = await fake(() => completion("w".repeat(300_000)));
    const dir = await evalProject(PROMPTS.slice(0, 1), { config: { eval: { maxAnswerChars: 100_000 } } });
    const { run } = await evaluateModel({ cwd: dir, model: { kind: "http", url: server.url, model: "m" }, runId: "long" });
    expect(run.answers[0]).toMatchObject({ outcome: "model-error", rawTruncated: true, error: expect.stringMatching(/300000 characters, over the limit of 100000/) });
    expect(run.answers[0]!.raw).toHaveLength(100_000);
  });
});
