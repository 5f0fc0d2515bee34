import { createServer, type ServerResponse } from "node:http";
import { listenOnLoopback, readBody } from "../../support/loopback-server.js";
import { createServer as createTcpServer, type AddressInfo } from "node:net";

/** What the server received: the parsed JSON body of one chat-completions request. */
export interface ChatRequest {
  model: string;
  messages: { role: string; content: string }[];
  temperature?: number;
  top_p?: number;
  max_tokens?: number;
  seed?: number;
  lora?: { id: number; scale: number }[];
  [key: string]: unknown;
}

export interface Reply {
  status?: number;
  /** A JSON body (default: none). */
  json?: unknown;
  /** A raw body, for servers that answer with something other than JSON. */
  text?: string;
  headers?: Record<string, string>;
  /** Wait this long before answering, like a model still generating. */
  delayMs?: number;
}

export type Responder = (request: ChatRequest, index: number) => Reply | Promise<Reply>;

export interface FakeLlamaServer {
  /** http://127.0.0.1:PORT */
  url: string;
  requests: ChatRequest[];
  close(): Promise<void>;
}

/** A chat-completions body shaped like llama-server's. */
export function completion(content: string, options: { reasoning?: string; finishReason?: string; tokens?: number } = {}): Reply {
  return {
    json: {
      id: "chatcmpl-test",
      object: "chat.completion",
      model: "test",
      choices: [
        {
          index: 0,
          finish_reason: options.finishReason ?? "stop",
          message: { role: "assistant", content, ...(options.reasoning === undefined ? {} : { reasoning_content: options.reasoning }) },
        },
      ],
      usage: { prompt_tokens: 10, completion_tokens: options.tokens ?? 20, total_tokens: 10 + (options.tokens ?? 20) },
    },
  };
}

async function send(res: ServerResponse, reply: Reply): Promise<void> {
  if (reply.delayMs) {
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, reply.delayMs);
      // A client that gave up closes the socket; stop waiting for it.
      res.on("close", () => {
        clearTimeout(timer);
        resolve();
      });
    });
  }
  if (res.destroyed) return;
  const body = reply.json === undefined ? (reply.text ?? "") : JSON.stringify(reply.json);
  res.writeHead(reply.status ?? 200, { "content-type": reply.json === undefined ? "text/plain" : "application/json", ...reply.headers });
  res.end(body);
}

/** What the stand-in says about itself on llama-server's own routes; each absent one answers 404, as vLLM's would. */
export interface FakeServerInfo {
  /** `GET /lora-adapters` */
  adapters?: { id: number; path: string; scale: number }[];
  /** `GET /props` total_slots */
  slots?: number;
  /** `GET /v1/models` */
  model?: string;
}

function infoReply(url: string | undefined, info: FakeServerInfo): Reply | undefined {
  if (url === "/lora-adapters" && info.adapters) return { json: info.adapters };
  if (url === "/props" && info.slots) return { json: { total_slots: info.slots, model_path: "/models/fake.gguf" } };
  if (url === "/v1/models" && info.model) return { json: { object: "list", data: [{ id: info.model, object: "model" }] } };
  return undefined;
}

/** An OpenAI-compatible server on 127.0.0.1 that answers `/v1/chat/completions` as the responder says. */
export async function startFakeLlamaServer(respond: Responder, info: FakeServerInfo = {}): Promise<FakeLlamaServer> {
  const requests: ChatRequest[] = [];
  const server = createServer((req, res) => {
    void (async () => {
      const about = req.method === "GET" ? infoReply(req.url, info) : undefined;
      if (about) return send(res, about);
      if (req.method !== "POST" || req.url !== "/v1/chat/completions") return send(res, { status: 404, json: { error: { message: "not found" } } });
      const request = JSON.parse((await readBody(req)).toString("utf8")) as ChatRequest;
      requests.push(request);
      return send(res, await respond(request, requests.length - 1));
    })().catch((err: unknown) => send(res, { status: 500, text: String(err) }));
  });
  return { ...(await listenOnLoopback(server)), requests };
}

/** A port on 127.0.0.1 with nothing listening. */
export async function closedPort(): Promise<number> {
  const probe = createTcpServer();
  await new Promise<void>((resolve) => probe.listen(0, "127.0.0.1", resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise((resolve) => probe.close(resolve));
  return port;
}
